package server

import (
	"os"
	"testing"
	"time"

	"strikemap/internal/geo"
)

// BenchmarkSmallPages serves the requests QGIS and the map pan with, a page
// of 10 in a bbox, on /api and /ogc, from 200,000 synthetic incidents
// (5,000 with STRIKEMAP_BENCH_SMALL): with -benchmem it shows what one
// request allocates, which under 32 clients is what the GC pauses for
// (docs/performance.md, issue 14).
//
//	go test ./internal/server -run '^$' -bench SmallPages -benchmem
func BenchmarkSmallPages(b *testing.B) {
	n := 200000
	if os.Getenv("STRIKEMAP_BENCH_SMALL") != "" {
		n = 5000
	}
	s := mustNew(b, geo.NewStore(syntheticDataset(b, n), time.Now()), Options{})
	for _, tc := range []struct{ name, url string }{
		{"api", "/api/incidents.geojson?limit=10&bbox=43.5,33.5,43.7,33.7"},
		{"ogc", "/ogc/collections/incidents/items?limit=10&bbox=43.5,33.5,43.7,33.7"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if rec := serve(s, tc.url); rec.Code != 200 {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
