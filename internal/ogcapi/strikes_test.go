package ogcapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"strikemap/internal/ogcapi"
)

// shippedStrike is a strike as /api/strikes.geojson gives it: the record
// the OGC collection must agree with.
type shippedStrike struct {
	ID       string
	Lon, Lat float64
	Date     string
	DateEnd  string
	Status   string
}

func shippedStrikes(t *testing.T, h http.Handler) []shippedStrike {
	t.Helper()
	var fc featureCollection
	getJSON(t, h, "/api/strikes.geojson", "application/geo+json", &fc)
	out := make([]shippedStrike, len(fc.Features))
	for i, f := range fc.Features {
		s := shippedStrike{ID: f.ID, Lon: f.Geometry.Coordinates[0], Lat: f.Geometry.Coordinates[1], Date: f.Properties["date"].(string), Status: f.Properties["status"].(string)}
		s.DateEnd = s.Date
		if end, ok := f.Properties["date_end"].(string); ok {
			s.DateEnd = end
		}
		out[i] = s
	}
	if len(out) < 10 {
		t.Fatalf("%d shipped strikes: want the campaign's (at least 10)", len(out))
	}
	return out
}

// TestStrikesCollectionFilters checks that bbox, datetime and status pick
// from the strikes collection exactly the strikes a reader would pick from
// /api/strikes.geojson by hand, and that numberMatched counts them.
func TestStrikesCollectionFilters(t *testing.T) {
	s := shippedServer(t)
	all := shippedStrikes(t, s)
	for _, tc := range []struct {
		query string
		keep  func(shippedStrike) bool
	}{
		{"", func(shippedStrike) bool { return true }},
		// Syria east of 40°E: Abu Kamal, Mayadin, Deir ez-Zor.
		{"bbox=40,34,41,36", func(x shippedStrike) bool { return x.Lon >= 40 && x.Lon <= 41 && x.Lat >= 34 && x.Lat <= 36 }},
		{"bbox=40,34,0,41,36,0", func(x shippedStrike) bool { return x.Lon >= 40 && x.Lon <= 41 && x.Lat >= 34 && x.Lat <= 36 }},
		{"datetime=2024-01-01/..", func(x shippedStrike) bool { return x.DateEnd >= "2024-01-01" }},
		{"datetime=../2023-11-30", func(x shippedStrike) bool { return x.Date <= "2023-11-30" }},
		{"datetime=2024-02-02T21:00:00Z", func(x shippedStrike) bool { return x.Date <= "2024-02-02" && x.DateEnd >= "2024-02-02" }},
		{"status=confirmed", func(x shippedStrike) bool { return x.Status == "confirmed" }},
		{"status=claimed,reported", func(x shippedStrike) bool { return x.Status != "confirmed" }},
	} {
		t.Run(tc.query, func(t *testing.T) {
			var want []string
			for _, x := range all {
				if tc.keep(x) {
					want = append(want, x.ID)
				}
			}
			fc := items(t, s, "/ogc/collections/strikes/items?limit=10000&"+tc.query)
			if got := fc.ids(); !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
			if *fc.NumberMatched != len(want) {
				t.Errorf("numberMatched %d, want %d", *fc.NumberMatched, len(want))
			}
			for _, f := range fc.Features {
				if f.Properties["kind"] != "strike" || f.Properties["attacker"] == "" {
					t.Errorf("%s: properties %v", f.ID, f.Properties)
				}
			}
		})
	}
	if n := len(items(t, s, "/ogc/collections/strikes/items?datetime=2024-01-01/..").ids()); n == 0 || n == len(all) {
		t.Errorf("datetime=2024-01-01/.. kept %d of %d: the test needs a filter that keeps some", n, len(all))
	}
}

// TestStrikesCollectionPaging follows the next links with a small page and
// must read every strike once, in order; prev goes back.
func TestStrikesCollectionPaging(t *testing.T) {
	s := shippedServer(t)
	var want []string
	for _, x := range shippedStrikes(t, s) {
		want = append(want, x.ID)
	}
	var got []string
	target := "/ogc/collections/strikes/items?limit=5"
	for pages := 0; target != ""; pages++ {
		if pages > len(want) {
			t.Fatal("the next links never end")
		}
		fc := items(t, s, target)
		if len(fc.Features) > 5 {
			t.Fatalf("%s: %d features on a page of 5", target, len(fc.Features))
		}
		got = append(got, fc.ids()...)
		if pages > 0 && fc.link("prev") == "" {
			t.Errorf("%s: no prev link", target)
		}
		target = ""
		if next := fc.link("next"); next != "" {
			target = relative(t, next)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged through %v\nwant %v", got, want)
	}
	fc := items(t, s, "/ogc/collections/strikes/items?limit=5&offset=5")
	if !slices.Equal(fc.ids(), want[5:min(10, len(want))]) {
		t.Errorf("offset=5: %v", fc.ids())
	}
	prev := items(t, s, relative(t, fc.link("prev")))
	if !slices.Equal(prev.ids(), want[:5]) {
		t.Errorf("prev of offset=5: %v", prev.ids())
	}
}

// TestStrikesCollectionResources checks the strikes collection's metadata,
// queryables, one item, and the HTML pages, which a person reads.
func TestStrikesCollectionResources(t *testing.T) {
	s := shippedServer(t)
	all := shippedStrikes(t, s)

	var c collection
	getJSON(t, s, "/ogc/collections/strikes", "application/json", &c)
	checkLinks(t, c.Links)
	findLink(t, c.Links, "items", "application/geo+json")
	if c.Extent == nil || c.Extent.Temporal == nil {
		t.Fatalf("extent %+v", c.Extent)
	}
	checkBBoxCovers(t, s, "strikes", c.Extent.Spatial.BBox[0])
	first, last := all[0].Date, all[0].DateEnd
	for _, x := range all {
		first, last = min(first, x.Date), max(last, x.DateEnd)
	}
	if iv := c.Extent.Temporal.Interval[0]; iv[0] != first+"T00:00:00Z" || iv[1] != last+"T23:59:59Z" {
		t.Errorf("temporal extent %v, want %s to %s", iv, first, last)
	}

	var q struct {
		Properties map[string]struct{ Enum []string }
	}
	getJSON(t, s, "/ogc/collections/strikes/queryables", "application/schema+json", &q)
	var names []string
	for name := range q.Properties {
		names = append(names, name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"date", "geometry", "status"}) {
		t.Errorf("strike queryables %v, want date, geometry, status: the items request filters on no other", names)
	}

	var f struct {
		ID         string
		Properties map[string]any
		Links      []link
	}
	getJSON(t, s, "/ogc/collections/strikes/items/"+all[0].ID, "application/geo+json", &f)
	if f.ID != all[0].ID || f.Properties["date"] != all[0].Date || f.Properties["kind"] != "strike" {
		t.Errorf("item %+v", f)
	}
	checkLinks(t, f.Links)
	findLink(t, f.Links, "collection", "application/json")

	doc := checkPage(t, s, "/ogc/collections?f=html")
	if !strings.Contains(doc.Find("main").Text(), "Strikes") {
		t.Error("the collections page does not list Strikes")
	}
	doc = checkPage(t, s, "/ogc/collections/strikes/items?f=html&limit=5")
	if rows := doc.Find("main table tbody tr").Length(); rows != 5 {
		t.Errorf("%d table rows on a page of 5", rows)
	}
	checkMap(t, s, doc, "FeatureCollection", 5)
	doc = checkPage(t, s, "/ogc/collections/strikes/items/"+all[0].ID+"?f=html")
	text := doc.Find("main").Text()
	for _, want := range []string{"attacker", "United States", "in_response_to", all[0].Date} {
		if !strings.Contains(text, want) {
			t.Errorf("the strike's page does not show %q", want)
		}
	}
	if doc.Find(`main a[href^="http"]`).Length() == 0 {
		t.Error("the strike's page links no source")
	}
}

// TestStrikesCollectionErrors: a parameter a strike has no use for, or a
// bad value, is a 400 whose JSON says what is wrong and what is allowed.
func TestStrikesCollectionErrors(t *testing.T) {
	s := shippedServer(t)
	for _, tc := range []struct {
		target string
		status int
		msg    string
	}{
		{"/ogc/collections/strikes/items?weapon=drone", 400, `unknown parameter "weapon"; this endpoint takes: bbox, datetime, limit, offset, status, f`},
		{"/ogc/collections/strikes/items?base=ain-al-asad", 400, `unknown parameter "base"`},
		{"/ogc/collections/strikes/items?status=rumour", 400, "not one of claimed, reported, confirmed"},
		{"/ogc/collections/strikes/items?limit=0", 400, "from 1 to 10000"},
		{"/ogc/collections/strikes/items?offset=x", 400, "is not a whole number from 0"},
		{"/ogc/collections/strikes/items?bbox=1,2,3", 400, "bbox has 3 numbers"},
		{"/ogc/collections/strikes/items?datetime=2024-02-03/2024-02-01", 400, "after it ends on"},
		{"/ogc/collections/strikes/items?f=csv", 400, "not one of json, geojson, html"},
		{"/ogc/collections/strikes/items/2023-10-18-ain-al-asad-drones", 404, `no feature "2023-10-18-ain-al-asad-drones" in strikes`},
	} {
		t.Run(tc.target, func(t *testing.T) {
			rec := get(t, s, tc.target)
			if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("status %d %s, want %d JSON: %s", rec.Code, rec.Header().Get("Content-Type"), tc.status, rec.Body)
			}
			var e ogcapi.Exception
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !strings.Contains(e.Description, tc.msg) {
				t.Errorf("got %s, want a description containing %q", rec.Body, tc.msg)
			}
		})
	}
}
