package server

import (
	"testing"

	"github.com/paulmach/orb"

	"strikemap/internal/cluster"
	"strikemap/internal/geo"
)

// BenchmarkProvisionalFirstView makes the provisional clusters of the map
// page's first view (zoom 7, the whole set) of 200,000 incidents: from
// the spatial index's cells (provisionalWhole), and as before, a grid of
// every point, the points read from the incidents first (what the first
// answer waited for) or already read.
func BenchmarkProvisionalFirstView(b *testing.B) {
	d := syntheticDataset(b, 200000)
	view := orb.Bound{Min: orb.Point{36.40869, 32.32428}, Max: orb.Point{46.604, 37.88352}}
	b.Run("cells", func(b *testing.B) {
		for b.Loop() {
			provisionalWhole(d, view, 7)
		}
	})
	b.Run("grid+points", func(b *testing.B) {
		for b.Loop() {
			cluster.Grid(geo.Points(d.Select(geo.Filter{})), view, 7, cluster.DefaultOptions())
		}
	})
	points := geo.Points(d.Select(geo.Filter{}))
	b.Run("grid", func(b *testing.B) {
		for b.Loop() {
			cluster.Grid(points, view, 7, cluster.DefaultOptions())
		}
	})
}
