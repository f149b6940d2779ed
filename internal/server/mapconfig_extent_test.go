package server

import (
	"encoding/json"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/web/templates"
)

// TestMapOpensOnTheData checks the box the map page opens on for a
// dataset without bases: its incidents', or with no incident either the
// region the project maps; never [0, 0, 0, 0], which opened the map on the
// sea off Africa.
func TestMapOpensOnTheData(t *testing.T) {
	t.Parallel()
	const noBases = `{"type":"FeatureCollection","features":[]}`
	incident := func(id string, lon, lat float64) string {
		b, _ := json.Marshal(map[string]any{"type": "Feature", "id": id,
			"geometry":   map[string]any{"type": "Point", "coordinates": []float64{lon, lat}},
			"properties": map[string]any{"date": "2023-10-18", "weapon": "drone", "status": "claimed", "location_precision": "exact", "sources": []any{map[string]any{"publisher": "p", "kind": "claim", "says": "s"}}}})
		return string(b)
	}
	for _, tc := range []struct {
		name      string
		incidents string
		want      [4]float64
	}{
		{"incidents", `{"type":"FeatureCollection","features":[` + incident("a", 40.5, 33.25) + "," + incident("b", 42, 36.5) + `]}`, [4]float64{40.5, 33.25, 42, 36.5}},
		{"nothing", `{"type":"FeatureCollection","features":[]}`, [4]float64{35.5, 29, 48.6, 37.4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := geo.Parse([]byte(noBases), []byte(tc.incidents))
			if err != nil {
				t.Fatal(err)
			}
			s := mustNew(t, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap})
			raw := doc(t, get(t, s, "/")).Find("script#map-config").Text()
			var cfg templates.MapConfig
			if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
				t.Fatalf("map-config %q: %v", raw, err)
			}
			if cfg.Bounds != tc.want {
				t.Errorf("the map opens on %v, want %v", cfg.Bounds, tc.want)
			}
		})
	}
}
