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
	cells := map[[2]int64]*acc{}
	var order [][2]int64
	for i, p := range points {
		if !inBound(bound, p) {
			continue
		}
		x, y := lonX(p[0]), latY(p[1])
		key := [2]int64{int64(i), -1}
		if side > 0 {
			key = [2]int64{int64(math.Floor(x / side)), int64(math.Floor(y / side))}
		}
		a := cells[key]
		if a == nil {
			a = &acc{first: i}
			cells[key] = a
			order = append(order, key)
		}
		a.n++
		a.x += x
		a.y += y
	}
	out := make([]Cluster, 0, len(order))
	for _, k := range order {
		a := cells[k]
		if a.n == 1 {
			out = append(out, Cluster{Point: points[a.first], Count: 1, ID: -1, PointIndex: a.first})
			continue
		}
		out = append(out, Cluster{Point: orb.Point{xLon(a.x / float64(a.n)), yLat(a.y / float64(a.n))}, Count: a.n, ID: 0, PointIndex: -1})
	}
	return out
}

// inBound reports whether p lies in b, edges included, as Clusters reads
// a bound: one at least 360° wide covers every longitude, and one whose
// Min longitude lies east of its Max crosses the antimeridian.
func inBound(b orb.Bound, p orb.Point) bool {
	if p[1] < b.Min[1] || p[1] > b.Max[1] {
		return false
	}
	if b.Max[0]-b.Min[0] >= 360 {
		return true
	}
	lo, hi, lon := wrapLon(b.Min[0]), b.Max[0], p[0]
	if hi != 180 {
		hi = wrapLon(hi)
	}
	if lo <= hi {
		return lon >= lo && lon <= hi
	}
	return lon >= lo || lon <= hi
}
