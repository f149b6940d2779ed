package cluster

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Hexbin is one hexagon of a density layer: its outline and the number of
// points in it.
type Hexbin struct {
	// Ring is the hexagon's closed outline, [lon, lat] degrees.
	Ring orb.Ring
	// Count is the number of input points counted in it.
	Count int
}

// DensityRadius is the radius in pixels (centre to corner) of the
// hexagons of the density layer, on the map page and in its images alike.
const DensityRadius = 10

// DensityZoomStep is how many zooms deeper than the view Hexbins reads the
// clusters it counts: their centres are then a few pixels apart, well
// inside a hexagon.
const DensityZoomStep = 3

// Hexbins counts the points inside bound ([lon, lat] degrees) in
// pointy-top hexagons of radius pixels (centre to corner) on the Web
// Mercator map of zoom, 256·2^zoom pixels wide, as a tiled web map draws
// it. The hexagons are fixed on the world, so panning does not move them.
// Points are counted through the clusters DensityZoomStep zooms deeper,
// each at its centre, so a query costs a viewport's clusters, not its
// points. Hexagons come in a fixed order (by row, then column).
func (ix *Index) Hexbins(bound orb.Bound, zoom int, radius float64) []Hexbin {
	if !(radius > 0) {
		return nil
	}
	world := 256 * math.Exp2(float64(zoom))
	type cell struct{ q, r int }
	counts := map[cell]int{}
	for _, c := range ix.Clusters(bound, zoom+DensityZoomStep) {
		q, r := hexAt(lonX(c.Point[0])*world, latY(c.Point[1])*world, radius)
		counts[cell{q, r}] += c.Count
	}
	cells := make([]cell, 0, len(counts))
	for k := range counts {
		cells = append(cells, k)
	}
	slices.SortFunc(cells, func(a, b cell) int {
		if a.r != b.r {
			return a.r - b.r
		}
		return a.q - b.q
	})
	out := make([]Hexbin, len(cells))
	for i, k := range cells {
		cx, cy := radius*math.Sqrt(3)*(float64(k.q)+float64(k.r)/2), radius*1.5*float64(k.r)
		ring := make(orb.Ring, 7)
		for j := range 6 {
			a := math.Pi/6 + float64(j)*math.Pi/3
			ring[j] = orb.Point{xLon((cx + radius*math.Cos(a)) / world), yLat((cy + radius*math.Sin(a)) / world)}
		}
		ring[6] = ring[0]
		out[i] = Hexbin{Ring: ring, Count: counts[k]}
	}
	return out
}

// hexAt returns the axial coordinates of the pointy-top hexagon of radius
// rad holding the pixel (x, y).
func hexAt(x, y, rad float64) (int, int) {
	fq := (math.Sqrt(3)/3*x - y/3) / rad
	fr := 2.0 / 3 * y / rad
	// Round in cube coordinates.
	fs := -fq - fr
	q, r, s := math.Round(fq), math.Round(fr), math.Round(fs)
	dq, dr, ds := math.Abs(q-fq), math.Abs(r-fr), math.Abs(s-fs)
	if dq > dr && dq > ds {
		q = -r - s
	} else if dr > ds {
		r = -q - s
	}
	return int(q), int(r)
}
