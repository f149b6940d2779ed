package ogcapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/ogcapi"
	"strikemap/internal/server"
	"strikemap/internal/synth"
)

// numberMatched costs at most CountBudget candidates read: it is given when
// free (no filter) or cheap (a small box), left out when a filter leaves
// more candidates than that, and the next links still walk every match.
func TestNumberMatchedOnlyWhenCheap(t *testing.T) {
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	const n = ogcapi.CountBudget + 5000
	d, err := synth.Dataset(basesJSON, shipped.Bases, n, 3)
	if err != nil {
		t.Fatal(err)
	}
	s := mustNew(t, geo.NewStore(d, time.Now()), server.Options{})
	p := d.Incidents[0].Point
	box := orb.Bound{Min: orb.Point{p[0] - 0.2, p[1] - 0.2}, Max: orb.Point{p[0] + 0.2, p[1] + 0.2}}
	boxQuery := fmt.Sprintf("bbox=%g,%g,%g,%g", box.Min[0], box.Min[1], box.Max[0], box.Max[1])
	for _, tc := range []struct {
		query string
		given bool
	}{
		{"", true},
		{boxQuery, true},
		{"weapon=drone,rocket,missile,unknown", false},
		{"datetime=../2100-01-01", false},
	} {
		var fc featureCollection
		target := "/ogc/collections/incidents/items?limit=10000&" + tc.query
		getJSON(t, s, target, "application/geo+json", &fc)
		if given := fc.NumberMatched != nil; given != tc.given {
			t.Errorf("%s: numberMatched given %v, want %v", target, given, tc.given)
		}
		total := 0
		for next := target; next != ""; next = relative(t, fc.link("next")) {
			fc = featureCollection{}
			getJSON(t, s, next, "application/geo+json", &fc)
			total += len(fc.Features)
		}
		want := n
		if tc.query == boxQuery {
			want = d.Count(geo.Filter{BBox: &box})
		}
		if total != want {
			t.Errorf("%s: the next links walk %d features, want %d", target, total, want)
		}
	}
}
