package cluster

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestHexbins(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	points := make([]orb.Point, 20000)
	for i := range points {
		points[i] = orb.Point{40 + rng.NormFloat64(), 34 + rng.NormFloat64()}
	}
	ix, err := New(points, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	world := orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}
	for _, zoom := range []int{3, 6, 9} {
		bins := ix.Hexbins(world, zoom, 10)
		total := 0
		for i, b := range bins {
			total += b.Count
			if b.Count <= 0 || len(b.Ring) != 7 || !b.Ring[0].Equal(b.Ring[6]) {
				t.Fatalf("zoom %d: hexagon %d: %+v", zoom, i, b)
			}
		}
		// Every point is counted once.
		if total != len(points) {
			t.Errorf("zoom %d: the hexagons count %d points, want %d", zoom, total, len(points))
		}
		// Hexagons tile the map: none overlaps another (their centres are at
		// least √3·radius apart, in pixels).
		px := func(p orb.Point) (float64, float64) {
			w := 256 * math.Exp2(float64(zoom))
			return lonX(p[0]) * w, latY(p[1]) * w
		}
		for i := 1; i < len(bins) && i < 300; i++ {
			ca, _ := planar.CentroidArea(orb.Polygon{bins[i-1].Ring})
			cb, _ := planar.CentroidArea(orb.Polygon{bins[i].Ring})
			ax, ay := px(ca)
			bx, by := px(cb)
			if d := math.Hypot(ax-bx, ay-by); d < math.Sqrt(3)*10-0.01 {
				t.Fatalf("zoom %d: hexagons %d and %d are %.2f px apart", zoom, i-1, i, d)
			}
		}
	}
	// A box counts what is inside it, fewer than the whole.
	box := orb.Bound{Min: orb.Point{39, 33}, Max: orb.Point{41, 35}}
	n := 0
	for _, b := range ix.Hexbins(box, 6, 10) {
		n += b.Count
	}
	if n == 0 || n >= len(points) {
		t.Errorf("the box counts %d of %d points", n, len(points))
	}
}
