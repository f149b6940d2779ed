package mapimage_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/mapimage"
	"strikemap/internal/synth"
)

// BenchmarkMarks draws 2,000 and 5,000 incidents one symbol each (no
// clusters), with the bases, rings and legend, as PNG and PDF at
// 1200 × 800: the cost of the renderers themselves. cpu-ms/op is the CPU
// time (user and system, all threads) per image, which a busy machine
// inflates far less than ns/op. The default view of
// 200,000 incidents (clusters, density) is BenchmarkExportMap in
// internal/server.
//
//	go test ./internal/mapimage -run '^$' -bench Marks -benchtime 3x
func BenchmarkMarks(b *testing.B) {
	shipped, err := geo.Load(data.FS)
	if err != nil {
		b.Fatal(err)
	}
	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	r, err := mapimage.New(data.Basemap)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{2000, 5000} {
		d, err := synth.Dataset(basesJSON, shipped.Bases, n, 11)
		if err != nil {
			b.Fatal(err)
		}
		v := benchView(d)
		for _, format := range []string{"png", "pdf"} {
			render := r.PNG
			if format == "pdf" {
				render = r.PDF
			}
			b.Run(fmt.Sprintf("%s/%d", format, n), func(b *testing.B) {
				var buf bytes.Buffer
				cpu := cpuTime()
				for b.Loop() {
					buf.Reset()
					if err := render(&buf, v); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(buf.Len()), "bytes/image")
				b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

func benchView(d *geo.Dataset) mapimage.View {
	var bases []*geo.Base
	for i := range d.Bases {
		bases = append(bases, &d.Bases[i])
	}
	rings, _ := geo.RangeRings(bases, geo.DefaultRingRadii())
	return mapimage.View{
		Width: 1200, Height: 800, Scale: 1, Fit: true, Legend: true,
		Title: "Attacks on US bases", Caption: "benchmark", Version: d.Version,
		Bases: bases, Incidents: d.Select(geo.Filter{}), Rings: rings,
	}
}
