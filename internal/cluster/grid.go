package cluster

import (
	"math"

	"github.com/paulmach/orb"
)

// Grid groups points ([lon, lat] degrees) into square cells, twice the
// clustering radius of opts on a side at zoom, inside bound: a rough stand-in
// for an Index's clusters at that zoom, for while one is being built (a
// million points take a second or more; Grid reads them once). A cell with
// several points is a Cluster at their centroid with ID 0, which names no
// cluster of any Index; a cell with one point is that point, with its index
// in points as PointIndex. Cells come in no particular order.
func Grid(points []orb.Point, bound orb.Bound, zoom int, opts Options) []Cluster {
	side := 2 * opts.radiusAt(max(opts.MinZoom, min(zoom, opts.MaxZoom)))
	if zoom > opts.MaxZoom {
		side = 0 // every point alone, as an Index has them
	}
	type acc struct {
		n, first int
		x, y     float64
	}
	var accs []acc
	// A view's cells are few (a screen's worth): they are numbered in a
	// dense table, which a million points read ten times faster than a
	// map. A box crossing the antimeridian, or cells too many for a
	// table, take the map.
	cols, rows, col0, row0, dense := denseCells(bound, side)
	var table []int32
	if dense {
		table = make([]int32, cols*rows)
	}
	cells := map[[2]int64]int{}
	in := boundTest(bound)
	for i, p := range points {
		if !in(p) {
			continue
		}
		x, y := lonX(p[0]), latY(p[1])
		k := -1
		if dense {
			c := min(max(int64(math.Floor(x/side))-col0, 0), cols-1)
			r := min(max(int64(math.Floor(y/side))-row0, 0), rows-1)
			if t := table[r*cols+c]; t > 0 {
				k = int(t - 1)
			} else {
				k = len(accs)
				accs = append(accs, acc{first: i})
				table[r*cols+c] = int32(k + 1)
			}
		} else {
			key := [2]int64{int64(i), -1}
			if side > 0 {
				key = [2]int64{int64(math.Floor(x / side)), int64(math.Floor(y / side))}
			}
			var ok bool
			if k, ok = cells[key]; !ok {
				k = len(accs)
				accs = append(accs, acc{first: i})
				cells[key] = k
			}
		}
		a := &accs[k]
		a.n++
		a.x += x
		a.y += y
	}
	out := make([]Cluster, 0, len(accs))
	for k := range accs {
		a := &accs[k]
		if a.n == 1 {
			out = append(out, Cluster{Point: points[a.first], Count: 1, ID: -1, PointIndex: a.first})
			continue
		}
		out = append(out, Cluster{Point: orb.Point{xLon(a.x / float64(a.n)), yLat(a.y / float64(a.n))}, Count: a.n, ID: 0, PointIndex: -1})
	}
	return out
}

// denseCells says which cells of side (unit-square units) bound covers,
// as a table of cols by rows from cell (col0, row0), and whether a table
// serves: not for a box crossing the antimeridian or as wide as the
// world, not for single points (side 0), nor for more than 1<<20 cells.
func denseCells(bound orb.Bound, side float64) (cols, rows, col0, row0 int64, ok bool) {
	if side <= 0 || bound.Max[0]-bound.Min[0] >= 360 || bound.Min[0] < -180 || bound.Max[0] > 180 || bound.Min[0] > bound.Max[0] {
		return 0, 0, 0, 0, false
	}
	col0, col1 := int64(math.Floor(lonX(bound.Min[0])/side)), int64(math.Floor(lonX(bound.Max[0])/side))
	row0, row1 := int64(math.Floor(latY(bound.Max[1])/side)), int64(math.Floor(latY(bound.Min[1])/side))
	cols, rows = col1-col0+1, row1-row0+1
	if cols <= 0 || rows <= 0 || cols*rows > 1<<20 {
		return 0, 0, 0, 0, false
	}
	return cols, rows, col0, row0, true
}

// inBound reports whether p lies in b, edges included, as Clusters reads
// a bound: one at least 360° wide covers every longitude, and one whose
// Min longitude lies east of its Max crosses the antimeridian.
func inBound(b orb.Bound, p orb.Point) bool {
	return boundTest(b)(p)
}

// boundTest returns inBound for b, its longitudes wrapped once rather
// than at every point.
func boundTest(b orb.Bound) func(orb.Point) bool {
	world := b.Max[0]-b.Min[0] >= 360
	lo, hi := wrapLon(b.Min[0]), b.Max[0]
	if hi != 180 {
		hi = wrapLon(hi)
	}
	return func(p orb.Point) bool {
		if p[1] < b.Min[1] || p[1] > b.Max[1] {
			return false
		}
		if world {
			return true
		}
		if lo <= hi {
			return p[0] >= lo && p[0] <= hi
		}
		return p[0] >= lo || p[0] <= hi
	}
}

// Lump is several points that Lumps counts as one: Count points whose mean
// is Point ([lon, lat] degrees), Index being the index of one of them,
// which names it when it is alone (Count 1).
type Lump struct {
	Point orb.Point
	Count int
	Index int
}

// LumpFits reports whether the points of box b may be counted as one Lump
// at zoom: when b is no wider nor taller than Grid's cell there, a lump
// moves its points less than Grid's cells do.
func LumpFits(b orb.Bound, zoom int, opts Options) bool {
	if zoom > opts.MaxZoom {
		return false
	}
	side := 2 * opts.radiusAt(max(opts.MinZoom, zoom))
	return lonX(b.Max[0])-lonX(b.Min[0]) <= side && latY(b.Min[1])-latY(b.Max[1]) <= side
}

// Lumps is Grid over lumps of points rather than points: each lump falls
// in the cell of its mean point with its count, and a cell's cluster is at
// the mean of its points. A grid of a view at a million points reads a
// million points; one of the lumps a coarse index already holds (a few
// thousand) reads a few thousand. A cell holding one point is that point,
// with its lump's Index as PointIndex. The caller chooses the lumps in
// view, as Grid's bound would.
func Lumps(lumps []Lump, zoom int, opts Options) []Cluster {
	side := 2 * opts.radiusAt(max(opts.MinZoom, min(zoom, opts.MaxZoom)))
	type acc struct {
		n, first int
		x, y     float64
		p        orb.Point
	}
	var accs []acc
	cells := make(map[[2]int64]int, len(lumps))
	for k, l := range lumps {
		if l.Count <= 0 {
			continue
		}
		x, y := lonX(l.Point[0]), latY(l.Point[1])
		key := [2]int64{int64(k), -1}
		if zoom <= opts.MaxZoom {
			key = [2]int64{int64(math.Floor(x / side)), int64(math.Floor(y / side))}
		}
		i, ok := cells[key]
		if !ok {
			i = len(accs)
			accs = append(accs, acc{first: l.Index, p: l.Point})
			cells[key] = i
		}
		a := &accs[i]
		a.n += l.Count
		a.x += x * float64(l.Count)
		a.y += y * float64(l.Count)
	}
	out := make([]Cluster, 0, len(accs))
	for k := range accs {
		a := &accs[k]
		if a.n == 1 {
			out = append(out, Cluster{Point: a.p, Count: 1, ID: -1, PointIndex: a.first})
			continue
		}
		out = append(out, Cluster{Point: orb.Point{xLon(a.x / float64(a.n)), yLat(a.y / float64(a.n))}, Count: a.n, ID: 0, PointIndex: -1})
	}
	return out
}
