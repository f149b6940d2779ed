package main

import (
	"math"

	"github.com/paulmach/orb"
)

// crossings counts proper crossings between any two segments of the
// multipolygon's rings (within a ring, across rings and across polygons).
// Shared vertices are allowed; a crossing means simplification went too far.
func crossings(mp orb.MultiPolygon) int { return crossingsOffEdge(mp, orb.Bound{}) }

// crossingsOffEdge is crossings but ignores the segments that run along an
// edge of clip: clipping a ring that leaves and re-enters the box can make
// it run back and forth along the edge, a zero-width overlap that no
// renderer shows.
func crossingsOffEdge(mp orb.MultiPolygon, clip orb.Bound) int {
	type seg struct{ a, b orb.Point }
	onEdge := func(a, b orb.Point) bool {
		if clip.IsZero() {
			return false
		}
		for k := 0; k < 2; k++ {
			if (a[k] == clip.Min[k] && b[k] == clip.Min[k]) || (a[k] == clip.Max[k] && b[k] == clip.Max[k]) {
				return true
			}
		}
		return false
	}
	var segs []seg
	for _, p := range mp {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				if !onEdge(r[i], r[i+1]) {
					segs = append(segs, seg{r[i], r[i+1]})
				}
			}
		}
	}
	n := 0
	for i := range segs {
		si := segs[i]
		minx, maxx := math.Min(si.a[0], si.b[0]), math.Max(si.a[0], si.b[0])
		miny, maxy := math.Min(si.a[1], si.b[1]), math.Max(si.a[1], si.b[1])
		for j := i + 1; j < len(segs); j++ {
			sj := segs[j]
			if math.Max(sj.a[0], sj.b[0]) < minx || math.Min(sj.a[0], sj.b[0]) > maxx ||
				math.Max(sj.a[1], sj.b[1]) < miny || math.Min(sj.a[1], sj.b[1]) > maxy {
				continue
			}
			if segmentsCross(si.a, si.b, sj.a, sj.b) {
				n++
			}
		}
	}
	return n
}

// segmentsCross reports whether segments ab and cd intersect at a point
// interior to both, or overlap along a line; touching at endpoints is allowed.
func segmentsCross(a, b, c, d orb.Point) bool {
	o := func(p, q, r orb.Point) float64 { return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0]) }
	d1, d2 := o(c, d, a), o(c, d, b)
	d3, d4 := o(a, b, c), o(a, b, d)
	const eps = 1e-12
	if math.Abs(d1) < eps || math.Abs(d2) < eps || math.Abs(d3) < eps || math.Abs(d4) < eps {
		return collinearOverlap(a, b, c, d, d1, d2, eps)
	}
	return (d1 > 0) != (d2 > 0) && (d3 > 0) != (d4 > 0)
}

// collinearOverlap reports whether ab and cd lie on one line and share more
// than a point; d1 and d2 are the orientations of a and b relative to cd.
func collinearOverlap(a, b, c, d orb.Point, d1, d2, eps float64) bool {
	if !(math.Abs(d1) < eps && math.Abs(d2) < eps) {
		return false
	}
	axis := 0
	if math.Abs(b[0]-a[0]) < math.Abs(b[1]-a[1]) {
		axis = 1
	}
	lo1, hi1 := math.Min(a[axis], b[axis]), math.Max(a[axis], b[axis])
	lo2, hi2 := math.Min(c[axis], d[axis]), math.Max(c[axis], d[axis])
	return math.Min(hi1, hi2)-math.Max(lo1, lo2) > eps
}
