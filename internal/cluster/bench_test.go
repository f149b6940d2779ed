package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// go test -run=X -bench=. -benchmem ./internal/cluster
// (BenchmarkBuild/n=1M and BenchmarkClusters build a million points: add
// -benchtime=3x for Build.)

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		pts := uniformPoints(benchSize(n), 42)
		b.Run(fmt.Sprintf("n=%s", short(n)), func(b *testing.B) {
			for b.Loop() {
				if _, err := New(pts, DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchSize shrinks a benchmark's size a hundredfold when
// STRIKEMAP_BENCH_SMALL is set, as CI does to run each benchmark once as a
// check that it works.
func benchSize(n int) int {
	if os.Getenv("STRIKEMAP_BENCH_SMALL") != "" {
		return max(1000, n/100)
	}
	return n
}

var million = sync.OnceValue(func() *Index {
	ix, err := New(uniformPoints(benchSize(1_000_000), 42), DefaultOptions())
	if err != nil {
		panic(err)
	}
	return ix
})

// viewport returns the bound of a 1280×800 px map view (256 px tiles)
// centred on p at zoom z.
func viewport(p orb.Point, z int) orb.Bound {
	scale := 256 * math.Exp2(float64(z))
	x, y := lonX(p[0]), latY(p[1])
	hw, hh := 640/scale, 400/scale
	return orb.Bound{
		Min: orb.Point{xLon(x - hw), yLat(math.Min(1, y+hh))},
		Max: orb.Point{xLon(x + hw), yLat(math.Max(0, y-hh))},
	}
}

// BenchmarkClusters times viewport queries over a million points, with the
// viewport centred on a different input point each time; it reports the
// median and 99th percentile latency and the entries returned.
func BenchmarkClusters(b *testing.B) {
	ix := million()
	for _, z := range []int{0, 3, 6, 9, 12, 15, 17} {
		b.Run(fmt.Sprintf("zoom=%d", z), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(uint64(z), 3))
			var times []time.Duration
			var buf []Cluster
			returned := 0
			for b.Loop() {
				bound := viewport(ix.points[rng.IntN(len(ix.points))], z)
				start := time.Now()
				buf = ix.AppendClusters(buf[:0], bound, z)
				times = append(times, time.Since(start))
				returned += len(buf)
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds())/1e3, "p99-µs")
			b.ReportMetric(float64(returned)/float64(len(times)), "entries/op")
		})
	}
}

func short(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

// BenchmarkSubset times what a filter change costs the map page at a
// million points: making the Subset of two thirds of them, against
// building an Index of those alone (BenchmarkBuild), and a viewport query
// of the Subset at zoom 7 (the page's first view), with its clusters'
// ExpansionZoom, as the clusters endpoint makes it.
func BenchmarkSubset(b *testing.B) {
	ix := million()
	keep := func(i int) bool { return i%3 != 0 }
	b.Run("make", func(b *testing.B) {
		for b.Loop() {
			ix.Subset(keep)
		}
	})
	s := ix.Subset(keep)
	b.Run("query/zoom=7", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(7, 3))
		var buf []Cluster
		for b.Loop() {
			buf = s.AppendClusters(buf[:0], viewport(ix.points[rng.IntN(len(ix.points))], 7), 7)
			for _, c := range buf {
				if c.IsCluster() {
					if _, err := s.ExpansionZoom(c.ID); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	})
}
