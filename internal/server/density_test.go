package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

type densityFC struct {
	NumberMatched int `json:"numberMatched"`
	Most          int `json:"most"`
	Features      []struct {
		Geometry struct {
			Type        string         `json:"type"`
			Coordinates [][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties struct {
			Count int `json:"count"`
		} `json:"properties"`
	} `json:"features"`
}

// TestDensity: the density layer's hexagons count every matching incident
// once, follow the filters and the box, and bad input gets a 400 saying
// what is allowed.
func TestDensity(t *testing.T) {
	t.Parallel() // its own server on a shared, read-only synthetic set
	s := syntheticServer(t, 6000)
	read := func(query string) densityFC {
		t.Helper()
		rec := get(t, s, "/api/density.geojson?"+query)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", query, rec.Code, rec.Body.String())
		}
		var fc densityFC
		if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil {
			t.Fatal(err)
		}
		return fc
	}
	sum := func(fc densityFC) (n int) {
		for _, f := range fc.Features {
			n += f.Properties.Count
			if f.Geometry.Type != "Polygon" || len(f.Geometry.Coordinates) != 1 || len(f.Geometry.Coordinates[0]) != 7 {
				t.Fatalf("a hexagon is a %s of %v", f.Geometry.Type, f.Geometry.Coordinates)
			}
			if f.Properties.Count > fc.Most {
				t.Fatalf("a hexagon counts %d, more than most %d", f.Properties.Count, fc.Most)
			}
		}
		return n
	}
	for _, zoom := range []string{"4", "7", "10"} {
		all := read("zoom=" + zoom)
		if all.NumberMatched != 6000 || sum(all) != 6000 {
			t.Errorf("zoom %s: %d hexagons count %d of %d incidents, want all 6,000", zoom, len(all.Features), sum(all), all.NumberMatched)
		}
	}
	drones := read("zoom=6&weapon=drone")
	if n := sum(drones); n != drones.NumberMatched || n == 0 || n >= 6000 {
		t.Errorf("drones only: the hexagons count %d, want the %d drones", n, drones.NumberMatched)
	}
	box := read("zoom=6&bbox=38,32,41,35")
	if n := sum(box); n == 0 || n >= 6000 {
		t.Errorf("a box counts %d of 6,000", n)
	}
	for _, bad := range []string{"", "zoom=x", "zoom=21", "zoom=5&weapon=laser", "zoom=5&bbox=1,2"} {
		rec := get(t, s, "/api/density.geojson?"+bad)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Header().Get("Content-Type"), "json") {
			t.Errorf("%q: %d %s, want 400 with a JSON body", bad, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
}
