package export_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/cluster"
	"strikemap/internal/export"
	"strikemap/internal/geo"
)

// TestWriteClusters writes a lone incident, a cluster and a provisional
// grid cell: the lone incident is its full feature, a cluster's position is
// rounded to 6 decimals as every feature's is, and it is named by its
// nearest base.
func TestWriteClusters(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	inc := d.Incidents[0]
	base := d.Bases[0]
	at := orb.Point{base.Point[0] + 1e-9, base.Point[1] - 1e-9}
	found := []cluster.Cluster{{Point: inc.Point, Count: 1, ID: -1, PointIndex: 0}, {Point: at, Count: 12, ID: 37, PointIndex: -1}}
	for _, provisional := range []bool{false, true} {
		var buf bytes.Buffer
		err := export.WriteClusters(&buf, d, export.Clusters{Found: found, Matched: 13, Incidents: []*geo.Incident{inc}, Provisional: provisional,
			ExpansionZoom: func(cl cluster.Cluster) (int, error) { return 9, nil }})
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			NumberMatched int   `json:"numberMatched"`
			Provisional   *bool `json:"provisional"`
			Features      []struct {
				ID       string `json:"id"`
				Geometry struct {
					Coordinates []float64 `json:"coordinates"`
				} `json:"geometry"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, buf.String())
		}
		var lone bytes.Buffer
		if err := export.WriteFeature(&lone, d, inc); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), lone.String()) {
			t.Errorf("the lone incident is not its full feature:\n%s", buf.String())
		}
		cl := got.Features[1]
		wantID := "c37"
		if provisional {
			wantID = "g1"
		}
		if got.NumberMatched != 13 || (got.Provisional != nil) != provisional || cl.ID != wantID {
			t.Errorf("provisional %v: numberMatched %d, provisional %v, id %q", provisional, got.NumberMatched, got.Provisional, cl.ID)
		}
		if c := cl.Geometry.Coordinates; len(c) != 2 || c[0] != base.Point[0] || c[1] != base.Point[1] {
			t.Errorf("cluster at %v, want %v rounded to 6 decimals", c, base.Point)
		}
		p := cl.Properties
		if p["cluster"] != true || p["count"] != 12.0 || p["expansion_zoom"] != 9.0 || p["near"] != base.Name || p["near_km"] != 0.0 {
			t.Errorf("cluster properties %v", p)
		}
	}
}

// TestWriteDensity writes two hexagons: their rings rounded, most the
// largest count.
func TestWriteDensity(t *testing.T) {
	ring := orb.Ring{{1.23456789, 2}, {3, 4.000000001}, {5, 6}, {1.23456789, 2}}
	var buf bytes.Buffer
	if err := export.WriteDensity(&buf, []cluster.Hexbin{{Ring: ring, Count: 3}, {Ring: ring, Count: 8}}, 11); err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","numberMatched":11,"most":8,"features":[` +
		`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1.234568,2],[3,4],[5,6],[1.234568,2]]]},"properties":{"count":3}},` +
		`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1.234568,2],[3,4],[5,6],[1.234568,2]]]},"properties":{"count":8}}]}`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
