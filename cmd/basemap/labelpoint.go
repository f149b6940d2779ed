package main

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// labelPoint returns a point well inside mp to hang its name on: the point
// of a grid over the largest polygon that lies farthest from any edge (an
// approximation of the pole of inaccessibility, refined once on a finer grid
// around the best cell). A centroid would do for a square but falls outside
// a crescent and hugs the long edge of a thin country. It also returns that
// polygon's area in square degrees.
func labelPoint(mp orb.MultiPolygon) (orb.Point, float64) {
	best := largest(mp)
	if best == nil {
		return orb.Point{}, 0
	}
	bestArea := planar.Area(best)
	b := best.Bound()
	const n = 48
	pt, d := gridSearch(best, b, n)
	step := math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) / n
	fine := orb.Bound{Min: orb.Point{pt[0] - step, pt[1] - step}, Max: orb.Point{pt[0] + step, pt[1] + step}}
	if p2, d2 := gridSearch(best, fine, n/4); d2 > d {
		pt = p2
	}
	return orb.Point{round(pt[0], 3), round(pt[1], 3)}, bestArea
}

// labelPoints returns labelPoint's point followed by up to more other
// points of mp, each at least sep degrees from the ones before it and at
// least a third as far from the edges as the best: where else the name may go
// when the best point is off screen or taken, so that a view showing only
// part of a country still names it.
func labelPoints(mp orb.MultiPolygon, more int, sep float64) ([]orb.Point, float64) {
	best, area := labelPoint(mp)
	if area == 0 {
		return nil, 0
	}
	pts := []orb.Point{best}
	bestD := edgeDistance(largest(mp), best)
	type cand struct {
		p orb.Point
		d float64
	}
	var cands []cand
	for _, poly := range mp {
		b := poly.Bound()
		const n = 32
		w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
		for i := 0; i <= n; i++ {
			for j := 0; j <= n; j++ {
				q := orb.Point{b.Min[0] + w*float64(i)/n, b.Min[1] + h*float64(j)/n}
				if !planar.PolygonContains(poly, q) {
					continue
				}
				if d := edgeDistance(poly, q); d >= bestD/3 {
					cands = append(cands, cand{q, d})
				}
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].d > cands[j].d })
	for _, c := range cands {
		if len(pts) > more {
			break
		}
		far := true
		for _, p := range pts {
			if planar.Distance(p, c.p) < sep {
				far = false
				break
			}
		}
		if far {
			pts = append(pts, orb.Point{round(c.p[0], 3), round(c.p[1], 3)})
		}
	}
	return pts, area
}

// largest returns the polygon of mp with the largest area.
func largest(mp orb.MultiPolygon) orb.Polygon {
	var best orb.Polygon
	bestArea := 0.0
	for _, p := range mp {
		if a := planar.Area(p); a > bestArea {
			best, bestArea = p, a
		}
	}
	return best
}

// gridSearch returns the point of an n x n grid over b, inside p, farthest
// from p's edges, and that distance (-1 when no grid point is inside).
func gridSearch(p orb.Polygon, b orb.Bound, n int) (orb.Point, float64) {
	best, _ := planar.CentroidArea(p)
	bestD := -1.0
	if planar.PolygonContains(p, best) {
		bestD = edgeDistance(p, best)
	}
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	for i := 0; i <= n; i++ {
		for j := 0; j <= n; j++ {
			q := orb.Point{b.Min[0] + w*float64(i)/float64(n), b.Min[1] + h*float64(j)/float64(n)}
			if !planar.PolygonContains(p, q) {
				continue
			}
			if d := edgeDistance(p, q); d > bestD {
				best, bestD = q, d
			}
		}
	}
	return best, bestD
}

// edgeDistance is the distance in degrees from q to the nearest edge of p.
func edgeDistance(p orb.Polygon, q orb.Point) float64 {
	d := math.Inf(1)
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			d = math.Min(d, planar.DistanceFromSegmentSquared(r[i-1], r[i], q))
		}
	}
	return math.Sqrt(d)
}
