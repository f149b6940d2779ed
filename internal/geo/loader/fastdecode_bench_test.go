//go:build unix

package loader_test

import (
	"bytes"
	"encoding/json"
	"syscall"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/geo/loader"
	"strikemap/internal/synth"
)

// BenchmarkParseObject reads features with the fast decoder, the loader's
// inner loop, on one core: the shipped incidents (long quotes from their
// sources) and synthetic ones (short, as in the load benchmarks), each
// compact as dataset import and synth write them. cpu-ns/op is the
// process's CPU time per op (getrusage), steadier than the wall time on a
// shared machine.
func BenchmarkParseObject(b *testing.B) {
	d, err := geo.Load(data.FS)
	if err != nil {
		b.Fatal(err)
	}
	shipped, err := data.FS.ReadFile(geo.IncidentsFile)
	if err != nil {
		b.Fatal(err)
	}
	var synthetic bytes.Buffer
	if err := synth.WriteIncidents(&synthetic, synth.Config{N: 2000, Seed: 1, Bases: d.Bases}); err != nil {
		b.Fatal(err)
	}
	for _, set := range []struct {
		name string
		file []byte
	}{{"shipped", shipped}, {"synthetic", synthetic.Bytes()}} {
		var fc struct{ Features []json.RawMessage }
		if err := json.Unmarshal(set.file, &fc); err != nil {
			b.Fatal(err)
		}
		features := make([][]byte, len(fc.Features))
		size := 0
		for i, f := range fc.Features {
			var c bytes.Buffer
			if err := json.Compact(&c, f); err != nil {
				b.Fatal(err)
			}
			features[i] = c.Bytes()
			size += c.Len()
		}
		b.Run(set.name, func(b *testing.B) {
			var f loader.FastFeature
			b.SetBytes(int64(size))
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				for _, raw := range features {
					if n := f.ParseObject(raw); n != len(raw) {
						b.Fatalf("the fast decoder gave up on %.200s", raw)
					}
				}
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user and system CPU time so far, in ns.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
