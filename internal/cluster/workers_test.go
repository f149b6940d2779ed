package cluster

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestWorkersSameClusters: how many goroutines search for neighbours
// changes how fast an index is built, never which clusters it holds.
func TestWorkersSameClusters(t *testing.T) {
	pts := blobPoints(3*parallelNear, 7) // enough to share among workers
	world := orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}
	opts := DefaultOptions()
	many, err := New(pts, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Workers = 1
	one, err := New(pts, opts)
	if err != nil {
		t.Fatal(err)
	}
	for z := 0; z <= opts.MaxZoom+1; z++ {
		a, b := many.Clusters(world, z), one.Clusters(world, z)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("zoom %d: %d clusters with one worker per processor, %d with one, or not the same", z, len(a), len(b))
		}
	}
	opts.Workers = -1
	if _, err := New(pts, opts); err == nil {
		t.Error("workers -1: no error")
	}
}

// TestGridTableAsMap: Grid numbers a view's cells in a table; it must
// count them as a map of cells does, which it uses for boxes a table
// cannot hold (the antimeridian's).
func TestGridTableAsMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := blobPoints(20000, 11)
	for range 5000 { // and some at the box's edges
		pts = append(pts, orb.Point{30 + 25*float64(rng.IntN(2)), 25 + 15*rng.Float64()})
	}
	bound := orb.Bound{Min: orb.Point{30, 25}, Max: orb.Point{55, 40}}
	opts := DefaultOptions()
	for _, z := range []int{0, 3, 6, 9} {
		side := 2 * opts.radiusAt(z)
		if _, _, _, _, ok := denseCells(bound, side); !ok {
			t.Fatalf("zoom %d: no table for a view", z)
		}
		type cell struct{ n, first int }
		want := map[[2]int64]*cell{}
		in := boundTest(bound)
		for i, p := range pts {
			if !in(p) {
				continue
			}
			x, y := lonX(p[0]), latY(p[1])
			k := [2]int64{int64(x / side), int64(y / side)}
			if want[k] == nil {
				want[k] = &cell{first: i}
			}
			want[k].n++
		}
		var w, g [][2]int
		for _, c := range want {
			w = append(w, [2]int{c.first, c.n})
		}
		got := Grid(pts, bound, z, opts)
		for _, c := range got {
			first := c.PointIndex
			if c.IsCluster() {
				first = -1
			}
			g = append(g, [2]int{first, c.Count})
		}
		// A cluster names no point: compare the cells' counts, and the
		// single points by index.
		for i := range w {
			if w[i][1] > 1 {
				w[i][0] = -1
			}
		}
		cmp := func(a, b [2]int) int {
			if a[1] != b[1] {
				return a[1] - b[1]
			}
			return a[0] - b[0]
		}
		slices.SortFunc(w, cmp)
		slices.SortFunc(g, cmp)
		if !slices.Equal(w, g) {
			t.Fatalf("zoom %d: %d cells from the table, %d from a map, or counted apart", z, len(g), len(w))
		}
	}
}
