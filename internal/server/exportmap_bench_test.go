package server

import (
	"fmt"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
)

// BenchmarkExportMarks draws 1,000, 2,000 and 5,000 synthetic incidents as
// PNG, SVG and PDF, the whole set in the default 1200 × 800 view: the
// sizes up to the point where an image draws every incident as its own
// symbol. It reports the image's size and how many incidents were drawn
// one by one (the rest as clusters).
//
//	go test ./internal/server -run '^$' -bench ExportMarks -benchtime 2x
func BenchmarkExportMarks(b *testing.B) {
	for _, n := range []int{1000, 2000, 5000} {
		s := mustNew(b, geo.NewStore(syntheticDataset(b, n), time.Now()), Options{Basemap: data.Basemap})
		for _, format := range []string{"png", "svg", "pdf"} {
			b.Run(fmt.Sprintf("%d/%s", n, format), func(b *testing.B) {
				size := 0
				for b.Loop() {
					rec := serve(s, "/api/export/map."+format)
					if rec.Code != 200 {
						b.Fatalf("%d %s", rec.Code, rec.Body)
					}
					size = rec.Body.Len()
				}
				b.ReportMetric(float64(size), "bytes/image")
				rec := serve(s, "/api/export/map.svg")
				m := readSVGMarks(&testing.T{}, rec.Body.Bytes())
				b.ReportMetric(float64(m.incidents), "symbols")
			})
		}
	}
}
