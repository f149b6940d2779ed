package geo

import (
	"context"

	"github.com/paulmach/orb"
)

// GridCell is one cell of the dataset's spatial index: a square of
// cellSize degrees and the incidents whose point lies in it.
type GridCell struct {
	// Bound is the cell's square, [lon, lat] degrees. A point within a
	// rounding of its edge may be in the cell beside it: whoever counts a
	// cell whole as inside a box should widen it by a little (CellEps).
	Bound orb.Bound
	// Mean is the mean point of its incidents, [lon, lat] degrees.
	Mean orb.Point
	// Positions are its incidents' positions in the dataset's Incidents,
	// ascending: the index's own list, not to be changed.
	Positions []int32
}

// CellEps is how far, in degrees, a point of a GridCell may lie outside
// its Bound by a rounding.
const CellEps = 1e-9

// Within reports whether every incident of the cell lies in b, whatever
// the rounding of its points: its Bound widened by CellEps is inside b.
func (c GridCell) Within(b orb.Bound) bool { return boundWithin(c.Bound, b) }

func boundWithin(cb, b orb.Bound) bool {
	return cb.Min[0]-CellEps >= b.Min[0] && cb.Max[0]+CellEps <= b.Max[0] &&
		cb.Min[1]-CellEps >= b.Min[1] && cb.Max[1]+CellEps <= b.Max[1]
}

// cellBound is the square of index cell c.
func cellBound(c cell) orb.Bound {
	return orb.Bound{
		Min: orb.Point{float64(c.x) * cellSize, float64(c.y) * cellSize},
		Max: orb.Point{float64(c.x+1) * cellSize, float64(c.y+1) * cellSize},
	}
}

// GridCells calls fn with every cell of the index that holds incidents and
// overlaps b (which does not cross the antimeridian), in no particular
// order. A count or a rough grid of a large box can add up cells whole and
// read only the incidents of the cells across its edges: the index's cells
// are a few thousand where a million incidents are a million.
func (d *Dataset) GridCells(b orb.Bound, fn func(GridCell)) {
	for c, list := range d.index.cells {
		cb := cellBound(c)
		if cb.Max[0]+CellEps < b.Min[0] || cb.Min[0]-CellEps > b.Max[0] || cb.Max[1]+CellEps < b.Min[1] || cb.Min[1]-CellEps > b.Max[1] {
			continue
		}
		fn(GridCell{Bound: cb, Mean: d.index.means[c], Positions: list})
	}
}

// CountInBox returns how many incidents match f, whose box must not cross
// the antimeridian, given unboxed, how many match f without its box (which
// the caller knows: a filter's cluster subset counts it). It reads
// whichever is fewer: the candidates in the box, as Count does, or the
// incidents of the cells not wholly inside the box, taking from unboxed
// those that match but lie outside it. A view of the whole region with a
// weapon unticked read some 800,000 incidents at a million; this reads the
// few thousand outside the view and on its edges.
func (d *Dataset) CountInBox(ctx context.Context, f Filter, unboxed int) (int, error) {
	if f.BBox == nil || f.BBox.Min[0] > f.BBox.Max[0] {
		return d.CountContext(ctx, f)
	}
	b := *f.BBox
	lo, hi := d.dateRange(f)
	if lo >= hi {
		return 0, ctx.Err()
	}
	inside := func(c cell) bool { return boundWithin(cellBound(c), b) }
	outside := 0
	for c, list := range d.index.cells {
		if !inside(c) {
			outside += len(clipRun(list, lo, hi))
		}
	}
	sc := getScratch()
	boxed := candidates(d.runs(sc, f, lo, hi))
	sc.release()
	if boxed <= outside {
		return d.CountContext(ctx, f)
	}
	rest := f
	rest.BBox = nil
	n, read := unboxed, 0
	for c, list := range d.index.cells {
		if inside(c) {
			continue
		}
		for _, i := range clipRun(list, lo, hi) {
			if read++; read%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return 0, err
				}
			}
			if inc := d.Incidents[i]; !InBBox(b, inc.Point) && rest.Match(inc) {
				n--
			}
		}
	}
	return n, ctx.Err()
}
