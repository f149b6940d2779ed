package cluster

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// refIndex is a line-by-line port of supercluster's load and _cluster (v8),
// with its flat stride-6 data arrays and a brute-force neighbour search in
// place of the KD-tree: the reference the Index is tested against.
type refIndex struct {
	opts   Options
	n      int
	levels map[int][]float64 // zoom -> data, stride 6
}

const (
	refZoom   = 2 // last zoom the entry was processed at
	refID     = 3 // input index or cluster id
	refParent = 4
	refNum    = 5
	refStride = 6
)

func newRef(points []orb.Point, opts Options) *refIndex {
	r := &refIndex{opts: opts, n: len(points), levels: map[int][]float64{}}
	var data []float64
	for i, p := range points {
		data = append(data, lonX(p[0]), latY(p[1]), math.Inf(1), float64(i), -1, 1)
	}
	r.levels[opts.MaxZoom+1] = data
	for z := opts.MaxZoom; z >= opts.MinZoom; z-- {
		data = r.cluster(data, z)
		r.levels[z] = data
	}
	return r
}

// refGrid finds neighbours by brute force within the cells of a grid of
// cell size r, so that the reference runs on tens of thousands of points.
type refGrid struct {
	data  []float64
	r     float64
	cells map[[2]int][]int
}

func newRefGrid(data []float64, r float64) *refGrid {
	g := &refGrid{data: data, r: r, cells: map[[2]int][]int{}}
	for i := 0; i < len(data); i += refStride {
		c := g.cell(data[i], data[i+1])
		g.cells[c] = append(g.cells[c], i/refStride)
	}
	return g
}

func (g *refGrid) cell(x, y float64) [2]int {
	return [2]int{int(math.Floor(x / g.r)), int(math.Floor(y / g.r))}
}

func (g *refGrid) within(x, y float64) []int {
	var ids []int
	c := g.cell(x, y)
	for cx := c[0] - 1; cx <= c[0]+1; cx++ {
		for cy := c[1] - 1; cy <= c[1]+1; cy++ {
			for _, id := range g.cells[[2]int{cx, cy}] {
				dx, dy := g.data[id*refStride]-x, g.data[id*refStride+1]-y
				if dx*dx+dy*dy <= g.r*g.r {
					ids = append(ids, id)
				}
			}
		}
	}
	slices.Sort(ids)
	return ids
}

func (r *refIndex) cluster(data []float64, zoom int) []float64 {
	radius := r.opts.Radius / (r.opts.Extent * math.Pow(2, float64(zoom)))
	grid := newRefGrid(data, radius)
	var next []float64
	for i := 0; i < len(data); i += refStride {
		if data[i+refZoom] <= float64(zoom) {
			continue
		}
		data[i+refZoom] = float64(zoom)
		x, y := data[i], data[i+1]
		neighbours := grid.within(x, y)
		numOrigin := data[i+refNum]
		num := numOrigin
		for _, nb := range neighbours {
			k := nb * refStride
			if data[k+refZoom] > float64(zoom) {
				num += data[k+refNum]
			}
		}
		if num > numOrigin && num >= float64(r.opts.MinPoints) {
			wx, wy := x*numOrigin, y*numOrigin
			id := float64((i/refStride)<<5 + (zoom + 1) + r.n)
			for _, nb := range neighbours {
				k := nb * refStride
				if data[k+refZoom] <= float64(zoom) {
					continue
				}
				data[k+refZoom] = float64(zoom)
				n2 := data[k+refNum]
				wx += data[k] * n2
				wy += data[k+1] * n2
				data[k+refParent] = id
			}
			data[i+refParent] = id
			next = append(next, wx/num, wy/num, math.Inf(1), id, -1, num)
		} else {
			next = append(next, data[i:i+refStride]...)
			if num > 1 {
				for _, nb := range neighbours {
					k := nb * refStride
					if data[k+refZoom] <= float64(zoom) {
						continue
					}
					data[k+refZoom] = float64(zoom)
					next = append(next, data[k:k+refStride]...)
				}
			}
		}
	}
	return next
}

// refEntry is one entry of a reference level: position in the unit square,
// count, and input index for a single point (-1 for a cluster).
type refEntry struct {
	x, y       float64
	count      int
	pointIndex int
}

func (r *refIndex) entries(zoom int) []refEntry {
	zoom = max(r.opts.MinZoom, min(zoom, r.opts.MaxZoom+1))
	data := r.levels[zoom]
	var out []refEntry
	for i := 0; i < len(data); i += refStride {
		e := refEntry{x: data[i], y: data[i+1], count: int(data[i+refNum]), pointIndex: -1}
		if e.count == 1 {
			e.pointIndex = int(data[i+refID])
		}
		out = append(out, e)
	}
	return out
}
