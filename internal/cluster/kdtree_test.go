package cluster

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKDTree checks the tree's searches against brute force, on points with
// many duplicates (equal medians are the tricky case for the selection).
func TestKDTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n = parallelMin + 5000 // big enough to sort in parallel
	coords := make([]float64, 2*n)
	for i := range coords {
		coords[i] = float64(rng.IntN(300)) / 300
	}
	orig := slices.Clone(coords)
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	splits := kdSort(coords, perm, 1)
	for i, p := range perm {
		if coords[2*i] != orig[2*p] || coords[2*i+1] != orig[2*p+1] {
			t.Fatalf("position %d holds (%v, %v), but perm says point %d", i, coords[2*i], coords[2*i+1], p)
		}
	}
	for range 300 {
		qx, qy, r := rng.Float64(), rng.Float64(), rng.Float64()*0.05
		var want []int32
		for i := range n {
			if dx, dy := coords[2*i]-qx, coords[2*i+1]-qy; dx*dx+dy*dy <= r*r {
				want = append(want, int32(i))
			}
		}
		got := kdWithin(coords, splits, qx, qy, r, nil)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("within %v of (%v, %v): %d points, want %d", r, qx, qy, len(got), len(want))
		}
		if got, ok := kdWithinMax(coords, splits, qx, qy, r, 3, nil); ok != (len(want) <= 3) || (ok && len(got) != len(want)) {
			t.Fatalf("within %v of (%v, %v), at most 3: %d points, %v; want %d", r, qx, qy, len(got), ok, len(want))
		}

		minX, minY := rng.Float64(), rng.Float64()
		maxX, maxY := minX+rng.Float64()*0.1, minY+rng.Float64()*0.1
		want = want[:0]
		for i := range n {
			if x, y := coords[2*i], coords[2*i+1]; x >= minX && x <= maxX && y >= minY && y <= maxY {
				want = append(want, int32(i))
			}
		}
		got = kdRange(coords, splits, minX, minY, maxX, maxY, nil)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("range (%v, %v)-(%v, %v): %d points, want %d", minX, minY, maxX, maxY, len(got), len(want))
		}
	}
}
