package cluster

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

var world = orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}

// uniformPoints returns n points spread over the world.
func uniformPoints(n int, seed uint64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, 1))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{rng.Float64()*360 - 180, rng.Float64()*170 - 85}
	}
	return pts
}

// blobPoints returns n points in a few tight blobs, rounded to a coarse grid
// so that many share their coordinates.
func blobPoints(n int, seed uint64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, 2))
	centres := make([]orb.Point, 8)
	for i := range centres {
		centres[i] = orb.Point{36 + rng.Float64()*12, 29 + rng.Float64()*8}
	}
	pts := make([]orb.Point, n)
	for i := range pts {
		c := centres[rng.IntN(len(centres))]
		spread := math.Pow(10, -rng.Float64()*4) // 1° down to 0.0001°
		pts[i] = orb.Point{
			math.Round((c[0]+rng.NormFloat64()*spread)*1e3) / 1e3,
			math.Round((c[1]+rng.NormFloat64()*spread)*1e3) / 1e3,
		}
	}
	return pts
}

func mustNew(t testing.TB, pts []orb.Point, opts Options) *Index {
	t.Helper()
	ix, err := New(pts, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

var testSets = []struct {
	name string
	pts  []orb.Point
	opts func(*Options)
}{
	{"uniform-2000", uniformPoints(2000, 1), nil},
	{"uniform-40000", uniformPoints(40000, 11), nil}, // goroutines share the neighbour search
	{"blobs-40000", blobPoints(40000, 12), nil},      // and dense spots overflow its lists
	{"blobs-40000-radius-7", blobPoints(40000, 13), func(o *Options) { o.Radius = 7 }},
	{"uniform-500-radius-200", uniformPoints(500, 2), func(o *Options) { o.Radius = 200 }},
	{"blobs-1500", blobPoints(1500, 3), nil},
	{"blobs-800-minpoints-5", blobPoints(800, 4), func(o *Options) { o.MinPoints = 5 }},
	{"blobs-600-zooms-3-12", blobPoints(600, 5), func(o *Options) { o.MinZoom, o.MaxZoom = 3, 12 }},
	{"uniform-300-minpoints-3-a", uniformPoints(300, 21), func(o *Options) { o.MinPoints, o.Radius = 3, 300 }},
	{"uniform-300-minpoints-3-b", uniformPoints(300, 22), func(o *Options) { o.MinPoints, o.Radius = 3, 300 }},
	{"blobs-300-minpoints-4", blobPoints(300, 23), func(o *Options) { o.MinPoints = 4 }},
	{"same-point-100", slices.Repeat([]orb.Point{{44.36, 33.31}}, 100), nil},
	{"antimeridian", []orb.Point{{179.9999, 0}, {-179.9999, 0}, {179.99, 10}, {-179.99, 10.001}, {0, 0}}, nil},
	{"poles", []orb.Point{{0, 90}, {1, 89}, {0, -90}, {10, -89.5}, {0, 85.06}}, nil},
	{"one", []orb.Point{{1, 2}}, nil},
	{"none", nil, nil},
}

func setOptions(f func(*Options)) Options {
	o := DefaultOptions()
	if f != nil {
		f(&o)
	}
	return o
}

// TestMatchesReference checks that at every zoom the Index makes the same
// clusters as a direct port of supercluster's algorithm.
func TestMatchesReference(t *testing.T) {
	for _, tc := range testSets {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // the sets are read only; under -race the 40,000-point ones take minutes each
			opts := setOptions(tc.opts)
			ix := mustNew(t, tc.pts, opts)
			ref := newRef(tc.pts, opts)
			for z := opts.MinZoom - 1; z <= opts.MaxZoom+2; z++ {
				want := ref.entries(z)
				var got []refEntry
				for _, c := range ix.Clusters(world, z) {
					x, y := lonX(c.Point[0]), latY(c.Point[1])
					got = append(got, refEntry{x, y, c.Count, c.PointIndex})
				}
				// Sort on positions rounded well above the last bits, in
				// which the centroids may differ: the two sum a cluster's
				// members in different orders.
				q := func(v float64) int64 { return int64(math.Round(v * 1e9)) }
				order := func(a, b refEntry) int {
					return cmp.Or(cmp.Compare(a.pointIndex, b.pointIndex), cmp.Compare(a.count, b.count),
						cmp.Compare(q(a.x), q(b.x)), cmp.Compare(q(a.y), q(b.y)))
				}
				slices.SortFunc(got, order)
				slices.SortFunc(want, order)
				if len(got) != len(want) {
					t.Fatalf("zoom %d: %d clusters and points, want %d", z, len(got), len(want))
				}
				for i := range got {
					g, w := got[i], want[i]
					if g.count != w.count || g.pointIndex != w.pointIndex ||
						math.Abs(g.x-w.x) > 1e-12 || math.Abs(g.y-w.y) > 1e-12 {
						t.Fatalf("zoom %d: entry %d is %+v, want %+v", z, i, g, w)
					}
				}
			}
		})
	}
}

// TestCountsAndMembers checks, at every zoom, that the clusters and points
// covering the world account for every input point exactly once, that each
// cluster's count is the number of its leaves and the sum of its children's
// counts, and that each leaf lies near its cluster.
func TestCountsAndMembers(t *testing.T) {
	for _, tc := range testSets {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // the sets are read only; under -race the 40,000-point ones take minutes each
			opts := setOptions(tc.opts)
			ix := mustNew(t, tc.pts, opts)
			for z := opts.MinZoom; z <= opts.MaxZoom+1; z++ {
				seen := make([]int, len(tc.pts))
				total := 0
				for _, c := range ix.Clusters(world, z) {
					total += c.Count
					if !c.IsCluster() {
						seen[c.PointIndex]++
						continue
					}
					leaves, err := ix.Leaves(c.ID, -1, 0)
					if err != nil {
						t.Fatalf("zoom %d: leaves of %d: %v", z, c.ID, err)
					}
					if len(leaves) != c.Count {
						t.Fatalf("zoom %d: cluster %d of %d has %d leaves", z, c.ID, c.Count, len(leaves))
					}
					children, err := ix.Children(c.ID)
					if err != nil {
						t.Fatal(err)
					}
					sum := 0
					for _, ch := range children {
						sum += ch.Count
					}
					if sum != c.Count || len(children) < 2 {
						t.Fatalf("zoom %d: cluster %d of %d has %d children of %d", z, c.ID, c.Count, len(children), sum)
					}
					// Leaves are within twice the radius of the origin
					// entry, itself within the radius of the centroid.
					limit := 4 * opts.radiusAt(z)
					cx, cy := lonX(c.Point[0]), latY(c.Point[1])
					for _, i := range leaves {
						seen[i]++
						p := tc.pts[i]
						if d := math.Hypot(lonX(p[0])-cx, latY(p[1])-cy); d > limit {
							t.Fatalf("zoom %d: point %d is %g from its cluster, more than %g", z, i, d, limit)
						}
					}
				}
				if total != len(tc.pts) {
					t.Fatalf("zoom %d: counts add up to %d, want %d", z, total, len(tc.pts))
				}
				for i, s := range seen {
					if s != 1 {
						t.Fatalf("zoom %d: point %d is in %d clusters", z, i, s)
					}
				}
			}
		})
	}
}

func TestSamePoint(t *testing.T) {
	pts := slices.Repeat([]orb.Point{{44.36, 33.31}}, 5)
	ix := mustNew(t, pts, DefaultOptions())
	for z := 0; z <= 16; z++ {
		cs := ix.Clusters(world, z)
		if len(cs) != 1 || cs[0].Count != 5 {
			t.Fatalf("zoom %d: %+v, want one cluster of 5", z, cs)
		}
		if ez, err := ix.ExpansionZoom(cs[0].ID); err != nil || ez != 17 {
			t.Fatalf("zoom %d: expansion zoom %d, %v; want 17", z, ez, err)
		}
	}
	if cs := ix.Clusters(world, 17); len(cs) != 5 {
		t.Fatalf("zoom 17: %d entries, want 5 points", len(cs))
	}
}

func TestExpansionZoom(t *testing.T) {
	pts := blobPoints(1000, 7)
	ix := mustNew(t, pts, DefaultOptions())
	for z := 0; z <= 16; z++ {
		for _, c := range ix.Clusters(world, z) {
			if !c.IsCluster() {
				continue
			}
			ez, err := ix.ExpansionZoom(c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ez <= z {
				t.Fatalf("zoom %d: cluster %d expands at %d", z, c.ID, ez)
			}
			// At the expansion zoom the cluster is gone: split into its
			// children.
			for _, d := range ix.Clusters(world, ez) {
				if d.ID == c.ID {
					t.Fatalf("zoom %d: cluster %d still there at its expansion zoom %d", z, c.ID, ez)
				}
			}
			if ez > z+1 {
				for _, d := range ix.Clusters(world, ez-1) {
					if d.ID == c.ID {
						goto found
					}
				}
				t.Fatalf("zoom %d: cluster %d gone before its expansion zoom %d", z, c.ID, ez)
			found:
			}
		}
	}
}

func TestLeavesPaging(t *testing.T) {
	ix := mustNew(t, blobPoints(500, 8), DefaultOptions())
	c := slices.MaxFunc(ix.Clusters(world, 0), func(a, b Cluster) int { return cmp.Compare(a.Count, b.Count) })
	all, err := ix.Leaves(c.ID, -1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var paged []int
	for off := 0; off < len(all); off += 7 {
		page, err := ix.Leaves(c.ID, 7, off)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
	}
	if !slices.Equal(all, paged) {
		t.Fatalf("paged leaves differ from all leaves")
	}
}

func TestBadClusterID(t *testing.T) {
	ix := mustNew(t, blobPoints(300, 9), DefaultOptions())
	for _, id := range []int{-1, 0, 1, 31, 1 << 40, 12345<<5 | 3} {
		if _, err := ix.Children(id); err != ErrNoCluster {
			t.Errorf("Children(%d): %v, want ErrNoCluster", id, err)
		}
		if _, err := ix.ExpansionZoom(id); err != ErrNoCluster {
			t.Errorf("ExpansionZoom(%d): %v, want ErrNoCluster", id, err)
		}
		if _, err := ix.Leaves(id, 10, 0); err != ErrNoCluster {
			t.Errorf("Leaves(%d): %v, want ErrNoCluster", id, err)
		}
	}
}

func TestBadInput(t *testing.T) {
	if _, err := New([]orb.Point{{math.NaN(), 0}}, DefaultOptions()); err == nil {
		t.Error("NaN point accepted")
	}
	for _, f := range []func(*Options){
		func(o *Options) { o.Radius = 0 },
		func(o *Options) { o.Extent = math.Inf(1) },
		func(o *Options) { o.MaxZoom = 31 },
		func(o *Options) { o.MinZoom = 5; o.MaxZoom = 4 },
		func(o *Options) { o.MinPoints = 0 },
	} {
		if _, err := New(nil, setOptions(f)); err == nil {
			t.Errorf("options %+v accepted", setOptions(f))
		}
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Error("zero options accepted")
	}
}

func TestBounds(t *testing.T) {
	pts := []orb.Point{{179.5, 1}, {-179.5, 1}, {0, 1}, {10, 50}}
	ix := mustNew(t, pts, DefaultOptions())
	indexes := func(b orb.Bound) []int {
		var out []int
		for _, c := range ix.Clusters(b, 17) {
			out = append(out, c.PointIndex)
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name  string
		bound orb.Bound
		want  []int
	}{
		{"world", world, []int{0, 1, 2, 3}},
		{"wider than the world", orb.Bound{Min: orb.Point{-500, -90}, Max: orb.Point{500, 90}}, []int{0, 1, 2, 3}},
		{"across the antimeridian", orb.Bound{Min: orb.Point{170, -10}, Max: orb.Point{-170, 10}}, []int{0, 1}},
		{"across the antimeridian, unwrapped", orb.Bound{Min: orb.Point{170, -10}, Max: orb.Point{190, 10}}, []int{0, 1}},
		{"east only", orb.Bound{Min: orb.Point{170, -10}, Max: orb.Point{180, 10}}, []int{0}},
		{"west of the antimeridian, shifted", orb.Bound{Min: orb.Point{-539.9, -10}, Max: orb.Point{-530, 10}}, []int{1}},
		{"a box", orb.Bound{Min: orb.Point{-1, 0}, Max: orb.Point{11, 51}}, []int{2, 3}},
		{"edges included", orb.Bound{Min: orb.Point{10, 50}, Max: orb.Point{10, 50}}, []int{3}},
		{"empty", orb.Bound{Min: orb.Point{20, 20}, Max: orb.Point{30, 30}}, nil},
	} {
		if got := indexes(tc.bound); !slices.Equal(got, tc.want) {
			t.Errorf("%s: points %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSharedLevels checks that a zoom at which nothing merges shares the
// arrays of the zoom above instead of copying them.
func TestSharedLevels(t *testing.T) {
	ix := mustNew(t, []orb.Point{{10, 10}, {10, 10}, {-100, -40}}, DefaultOptions())
	top := &ix.levels[len(ix.levels)-1]
	for z := 16; z >= 0; z-- {
		l := &ix.levels[z]
		if z < 16 && &l.coords[0] != &ix.levels[16].coords[0] {
			t.Errorf("zoom %d does not share the arrays of zoom 16", z)
		}
		if &l.coords[0] == &top.coords[0] {
			t.Errorf("zoom %d shares the unclustered points' arrays", z)
		}
		if &l.parent[0] == &ix.levels[z+1].parent[0] {
			t.Errorf("zoom %d shares its parents with zoom %d", z, z+1)
		}
	}
}
