package geo

import (
	"cmp"
	"context"
	"slices"
)

// Order is an order in which QueryOrder returns incidents.
type Order uint8

const (
	// ByDate is the dataset's own order: Date, then DateEnd, then ID.
	ByDate Order = iota
	// ByDateDesc is ByDate exactly reversed: the latest incident first.
	ByDateDesc
	// ByBase groups the incidents by the name of their target base (A to
	// Z, then by base id), those with no known base last, each group in
	// ByDate order.
	ByBase
	// ByBaseDesc is ByBase exactly reversed.
	ByBaseDesc
)

var orders = []Order{ByDate, ByDateDesc, ByBase, ByBaseDesc}

// Orders is every Order, by its word: date, -date, base, -base.
//
// It is a copy: a caller may change it.
func Orders() []Order { return slices.Clone(orders) }

var orderWords = []string{"date", "-date", "base", "-base"}

func (o Order) String() string { return word(orderWords, o) }

// desc reports whether o walks the index backwards.
func (o Order) desc() bool { return o == ByDateDesc || o == ByBaseDesc }

// QueryOrder is Query in the order o. Both date orders walk the date-sorted
// index, forwards or backwards, and the base orders walk each base's list in
// turn, so no order sorts the matches: a page costs what it skips and
// returns, whichever order.
func (d *Dataset) QueryOrder(f Filter, o Order, offset, limit int) (out []*Incident, more bool) {
	out, more, _ = d.QueryContext(context.Background(), f, o, offset, limit)
	return out, more
}

// QueryContext is QueryOrder that stops when ctx is done, checking it every
// checkEvery incidents read, and then returns ctx's error: a request the
// client dropped stops reading within a few thousand incidents.
func (d *Dataset) QueryContext(ctx context.Context, f Filter, o Order, offset, limit int) (out []*Incident, more bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	lo, hi := d.dateRange(f)
	if lo >= hi {
		return nil, false, nil
	}
	sc := getScratch()
	defer sc.release()
	var it walker
	switch o {
	case ByBase, ByBaseDesc:
		it = newChain(d.baseRuns(f, lo, hi), o.desc())
	default:
		it = sc.merger(d.runs(sc, f, lo, hi), o.desc())
	}
	skipped := 0
	for read := 1; ; read++ {
		if read%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
		}
		i, ok := it.next()
		if !ok {
			return out, false, nil
		}
		inc := d.Incidents[i]
		if !f.Match(inc) {
			continue
		}
		if skipped < offset {
			skipped++
			continue
		}
		if limit >= 0 && len(out) == limit {
			return out, true, nil
		}
		if out == nil && limit >= 0 {
			out = make([]*Incident, 0, min(limit, 1024))
		}
		out = append(out, inc)
	}
}

// baseRuns returns, in ByBase order, each base's positions within [lo, hi)
// that f keeps (all bases when f names none), and then those of the
// incidents with no base.
func (d *Dataset) baseRuns(f Filter, lo, hi int) [][]int32 {
	bases := make([]*Base, 0, len(d.Bases))
	for i := range d.Bases {
		bases = append(bases, &d.Bases[i])
	}
	slices.SortFunc(bases, func(a, b *Base) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	ids := make([]string, 0, len(bases)+1)
	for _, b := range bases {
		ids = append(ids, b.ID)
	}
	ids = append(ids, NoBase)
	runs := make([][]int32, 0, len(ids))
	for _, id := range ids {
		if len(f.Bases) > 0 && !slices.Contains(f.Bases, id) {
			continue
		}
		if r := clipRun(d.index.byBase[id], lo, hi); len(r) > 0 {
			runs = append(runs, r)
		}
	}
	return runs
}

// clipRun returns the part of an ascending list of positions within [lo, hi).
func clipRun(list []int32, lo, hi int) []int32 {
	a, _ := slices.BinarySearch(list, int32(lo))
	b, _ := slices.BinarySearch(list, int32(hi))
	return list[a:b]
}
