package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestLeafOrder checks that every entry's points, at every zoom, are one
// run of the leaf order: the runs of a zoom's entries tile the points, and
// a cluster's run holds exactly its Leaves.
func TestLeafOrder(t *testing.T) {
	for _, tc := range testSets {
		t.Run(tc.name, func(t *testing.T) {
			ix := mustNew(t, tc.pts, setOptions(tc.opts))
			top := &ix.levels[len(ix.levels)-1]
			if len(ix.leaves) != len(tc.pts) {
				t.Fatalf("%d leaves for %d points", len(ix.leaves), len(tc.pts))
			}
			for k, l := range ix.levels {
				covered := make([]int, len(tc.pts))
				for i := range l.num {
					lo, hi := l.lo[i], l.lo[i]+l.num[i]
					for p := lo; p < hi; p++ {
						covered[p]++
					}
					if l.num[i] == 1 {
						if got := top.id[ix.leaves[lo]]; got != l.id[i] {
							t.Fatalf("level %d entry %d: point %d, leaf order has %d", k, i, l.id[i], got)
						}
						continue
					}
					if k%4 != 0 { // Leaves is slow; a few levels suffice
						continue
					}
					want, err := ix.Leaves(int(l.id[i]), -1, 0)
					if err != nil {
						t.Fatal(err)
					}
					var got []int
					for _, t := range ix.leaves[lo:hi] {
						got = append(got, int(top.id[t]))
					}
					slices.Sort(want)
					slices.Sort(got)
					if !slices.Equal(got, want) {
						t.Fatalf("level %d cluster %d: run holds %v, Leaves %v", k, l.id[i], got, want)
					}
				}
				for p, c := range covered {
					if c != 1 {
						t.Fatalf("level %d: leaf %d in %d runs", k, p, c)
					}
				}
			}
		})
	}
}

// TestSubset checks a Subset's clusters against its points: at every zoom
// they count each point once, each cluster holds exactly the Subset's
// points of the Index's cluster of the same ID, at their centroid, and a
// Subset of every point is the Index itself.
func TestSubset(t *testing.T) {
	for _, tc := range testSets {
		t.Run(tc.name, func(t *testing.T) {
			ix := mustNew(t, tc.pts, setOptions(tc.opts))
			all := ix.Subset(func(int) bool { return true })
			rng := rand.New(rand.NewPCG(7, 7))
			keep := make([]bool, len(tc.pts))
			n := 0
			for i := range keep {
				keep[i] = rng.IntN(3) == 0
				if keep[i] {
					n++
				}
			}
			s := ix.Subset(func(i int) bool { return keep[i] })
			if s.Len() != n {
				t.Fatalf("Len %d, want %d", s.Len(), n)
			}
			for z := ix.opts.MinZoom; z <= ix.opts.MaxZoom+1; z++ {
				if got, want := all.Clusters(world, z), ix.Clusters(world, z); !slices.Equal(got, want) {
					t.Fatalf("zoom %d: the Subset of every point differs from the Index", z)
				}
				total := 0
				for _, c := range s.Clusters(world, z) {
					total += c.Count
					if !c.IsCluster() {
						if !keep[c.PointIndex] {
							t.Fatalf("zoom %d: point %d is not in the subset", z, c.PointIndex)
						}
						continue
					}
					if z%3 != 0 { // Leaves is slow; a few zooms suffice
						continue
					}
					leaves, err := ix.Leaves(c.ID, -1, 0)
					if err != nil {
						t.Fatal(err)
					}
					var kept int
					var x, y float64
					for _, i := range leaves {
						if keep[i] {
							kept++
							x += lonX(tc.pts[i][0])
							y += latY(tc.pts[i][1])
						}
					}
					if kept != c.Count {
						t.Fatalf("zoom %d cluster %d: count %d, holds %d of the subset", z, c.ID, c.Count, kept)
					}
					if dx, dy := lonX(c.Point[0])-x/float64(kept), latY(c.Point[1])-y/float64(kept); math.Hypot(dx, dy) > 1e-9 {
						t.Fatalf("zoom %d cluster %d: at %v, off its points' centroid by %g", z, c.ID, c.Point, math.Hypot(dx, dy))
					}
				}
				if total != n {
					t.Fatalf("zoom %d: counts add up to %d, want %d", z, total, n)
				}
			}
		})
	}
}

// TestSubsetExpansionZoom checks that a Subset's cluster is one at every
// zoom up to its ExpansionZoom, and splits there.
func TestSubsetExpansionZoom(t *testing.T) {
	pts := blobPoints(3000, 31)
	ix := mustNew(t, pts, DefaultOptions())
	// Keep one blob's worth of points: many clusters then keep one part.
	s := ix.Subset(func(i int) bool { return i%5 == 0 })
	// parts returns how many of the subset's entries at zoom hold points of
	// the set in.
	parts := func(zoom int, in map[int]bool) int {
		n := 0
		for _, c := range s.Clusters(world, zoom) {
			if !c.IsCluster() {
				if in[c.PointIndex] {
					n++
				}
				continue
			}
			leaves, _ := ix.Leaves(c.ID, -1, 0)
			if slices.ContainsFunc(leaves, func(i int) bool { return in[i] && i%5 == 0 }) {
				n++
			}
		}
		return n
	}
	checked, later := 0, 0
	for _, z := range []int{2, 6, 10} {
		for _, c := range s.Clusters(world, z) {
			if !c.IsCluster() || checked >= 30 {
				continue
			}
			ez, err := s.ExpansionZoom(c.ID)
			if err != nil {
				t.Fatal(err)
			}
			whole, _ := ix.ExpansionZoom(c.ID)
			if ez < whole || ez <= z {
				t.Fatalf("cluster %d at zoom %d: expansion zoom %d, the Index's %d", c.ID, z, ez, whole)
			}
			if ez > whole {
				later++
			}
			leaves, _ := ix.Leaves(c.ID, -1, 0)
			in := map[int]bool{}
			for _, i := range leaves {
				in[i] = true
			}
			if got := parts(ez-1, in); got != 1 {
				t.Fatalf("cluster %d at zoom %d: %d parts at zoom %d, before its expansion zoom", c.ID, z, got, ez-1)
			}
			if got := parts(ez, in); got < 2 {
				t.Fatalf("cluster %d at zoom %d: %d part at its expansion zoom %d", c.ID, z, got, ez)
			}
			checked++
		}
	}
	if checked == 0 || later == 0 {
		t.Fatalf("checked %d clusters, %d expanding later than the Index's: the test shows nothing", checked, later)
	}
	if _, err := s.ExpansionZoom(12345); err == nil {
		t.Error("no error for a cluster id the Index did not make")
	}
}

// TestSubsetHexbins checks that the Subset's density counts its points.
func TestSubsetHexbins(t *testing.T) {
	ix := mustNew(t, blobPoints(2000, 41), DefaultOptions())
	s := ix.Subset(func(i int) bool { return i%2 == 0 })
	total := 0
	for _, h := range s.Hexbins(orb.Bound{Min: orb.Point{30, 25}, Max: orb.Point{55, 40}}, 6, 10) {
		total += h.Count
	}
	if total != s.Len() {
		t.Fatalf("hexagons count %d, the subset holds %d", total, s.Len())
	}
}

// TestGrid checks that Grid counts every point in the bound once, keeps
// single points as given, and makes fewer entries than points where they
// crowd.
func TestGrid(t *testing.T) {
	pts := blobPoints(5000, 51)
	bound := orb.Bound{Min: orb.Point{30, 25}, Max: orb.Point{55, 40}}
	in := 0
	for _, p := range pts {
		if inBound(bound, p) {
			in++
		}
	}
	for _, z := range []int{3, 8, 17} {
		got := Grid(pts, bound, z, DefaultOptions())
		total := 0
		for _, c := range got {
			total += c.Count
			if !c.IsCluster() && pts[c.PointIndex] != c.Point {
				t.Fatalf("zoom %d: point %d at %v, given at %v", z, c.PointIndex, c.Point, pts[c.PointIndex])
			}
			if c.IsCluster() && !inBound(bound, c.Point) {
				t.Fatalf("zoom %d: a cluster at %v, outside the bound", z, c.Point)
			}
		}
		if total != in {
			t.Fatalf("zoom %d: counts add up to %d, %d points in the bound", z, total, in)
		}
		if z == 3 && len(got) > in/10 {
			t.Fatalf("zoom 3: %d entries for %d crowded points", len(got), in)
		}
		if z == 17 && len(got) != in {
			t.Fatalf("zoom 17: %d entries for %d points, which should stand alone", len(got), in)
		}
	}
}

// TestLumps checks Lumps against Grid: single points as lumps give Grid's
// cells, and lumps of several points count them all.
func TestLumps(t *testing.T) {
	pts := blobPoints(5000, 51)
	bound := orb.Bound{Min: orb.Point{30, 25}, Max: orb.Point{55, 40}}
	var lumps []Lump
	for i, p := range pts {
		if inBound(bound, p) {
			lumps = append(lumps, Lump{Point: p, Count: 1, Index: i})
		}
	}
	key := func(c Cluster) [3]float64 {
		return [3]float64{math.Round(c.Point[0]*1e6) / 1e6, math.Round(c.Point[1]*1e6) / 1e6, float64(c.Count)}
	}
	for _, z := range []int{3, 8, 17} {
		want := map[[3]float64]int{}
		for _, c := range Grid(pts, bound, z, DefaultOptions()) {
			want[key(c)]++
		}
		got := Lumps(lumps, z, DefaultOptions())
		for _, c := range got {
			if !c.IsCluster() && pts[c.PointIndex] != c.Point {
				t.Fatalf("zoom %d: point %d at %v, given at %v", z, c.PointIndex, c.Point, pts[c.PointIndex])
			}
			if want[key(c)]--; want[key(c)] < 0 {
				t.Fatalf("zoom %d: %v (count %d) is not one of Grid's", z, c.Point, c.Count)
			}
		}
		if len(got) != len(Grid(pts, bound, z, DefaultOptions())) {
			t.Fatalf("zoom %d: %d entries, Grid has %d", z, len(got), len(Grid(pts, bound, z, DefaultOptions())))
		}
	}
	// Lumps of 10 points each, all in one cell at zoom 3: one cluster of
	// all of them at their mean.
	heavy := []Lump{{Point: orb.Point{44, 33}, Count: 10, Index: 0}, {Point: orb.Point{44.1, 33.1}, Count: 30, Index: 10}}
	got := Lumps(heavy, 3, DefaultOptions())
	if len(got) != 1 || got[0].Count != 40 || !got[0].IsCluster() {
		t.Fatalf("two lumps of 10 and 30 in one cell: %+v", got)
	}
	if math.Abs(got[0].Point[0]-44.075) > 1e-3 {
		t.Errorf("their cluster at lon %v, not the mean of their points (44.075)", got[0].Point[0])
	}
	if got := Lumps([]Lump{{Point: orb.Point{44, 33}, Count: 1, Index: 7}}, 3, DefaultOptions()); len(got) != 1 || got[0].IsCluster() || got[0].PointIndex != 7 {
		t.Errorf("a lump of one point: %+v, want that point (index 7)", got)
	}
}
