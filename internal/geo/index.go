package geo

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/paulmach/orb"
)

// index answers filtered queries in O(log n + k): the incidents are sorted
// by date, so a date range is a contiguous run of positions; a grid of
// cells, and a list per base, each hold the positions of their incidents in
// ascending order, so a box or a base narrows the run to a few sub-runs
// that merge back into date order.
type index struct {
	maxSpan Date               // the longest DateEnd - Date of any incident
	lastDay Date               // the latest DateEnd of any incident
	cells   map[cell][]int32   // incidents per grid cell, ascending
	means   map[cell]orb.Point // the mean point of each cell's incidents
	byBase  map[string][]int32 // incidents per target base (NoBase too), ascending
}

// cellSize is the grid's cell, in degrees: small enough that a city-sized
// box reads a few cells, large enough that a country-sized one reads
// hundreds, not millions.
const cellSize = 0.25

type cell struct{ x, y int32 }

func cellOf(p orb.Point) cell {
	return cell{int32(math.Floor(p[0] / cellSize)), int32(math.Floor(p[1] / cellSize))}
}

// buildIndex indexes incidents (in date order) on up to GOMAXPROCS
// goroutines, each taking an equal run of them: each numbers the cells and
// bases of its run and counts their incidents, then, once the runs' counts
// are merged, writes its incidents' positions into the places the runs
// before it leave in each list, so that every list is ascending with no
// growing and copying. A cell's mean is summed over its list in order, as
// one goroutine would: the same sums to the last bit.
func buildIndex(incidents []*Incident) index {
	return buildIndexParts(incidents, min(runtime.GOMAXPROCS(0), max(1, len(incidents)/parallelSortMin)))
}

// buildIndexParts is buildIndex on parts goroutines.
func buildIndexParts(incidents []*Incident, parts int) index {
	type run struct {
		from, to         int
		cells            numbering[cell]   // the run's cells, numbered as met, and their counts
		bases            numbering[string] // likewise its bases (NoBase too)
		cellAt, baseAt   []int32           // per incident, its cell's and base's number
		cellG, baseG     []int32           // numbered cell or base → its number over all runs
		cellOff, baseOff []int32           // where the run's next incident goes in its list
		maxSpan, lastDay Date
	}
	runs := make([]run, parts)
	var wg sync.WaitGroup
	for k := range runs {
		r := &runs[k]
		r.from, r.to = k*len(incidents)/parts, (k+1)*len(incidents)/parts
		wg.Go(func() {
			r.cellAt, r.baseAt = make([]int32, r.to-r.from), make([]int32, r.to-r.from)
			r.maxSpan, r.lastDay = dayBounds(incidents[r.from:r.to])
			for i := r.from; i < r.to; i++ {
				inc := incidents[i]
				r.cellAt[i-r.from] = r.cells.add(cellOf(inc.Point), 1)
				r.baseAt[i-r.from] = r.bases.add(inc.Base, 1)
			}
		})
	}
	wg.Wait()

	// Each cell and base numbered over all runs, in the order the runs
	// met them, and each run's place in their lists.
	var cells numbering[cell]
	var bases numbering[string]
	ix := index{}
	for k := range runs {
		r := &runs[k]
		ix.maxSpan = max(ix.maxSpan, r.maxSpan)
		if k == 0 || r.lastDay > ix.lastDay {
			ix.lastDay = r.lastDay
		}
		r.cellG, r.cellOff = cells.merge(&r.cells)
		r.baseG, r.baseOff = bases.merge(&r.bases)
	}
	cellKeys, baseKeys, cellLen, baseLen := cells.keys, bases.keys, cells.n, bases.n
	cellLists, baseLists := carve(cellLen, len(incidents)), carve(baseLen, len(incidents))
	for k := range runs {
		r := &runs[k]
		wg.Go(func() {
			for i := r.from; i < r.to; i++ {
				ck, bk := r.cellAt[i-r.from], r.baseAt[i-r.from]
				cellLists[r.cellG[ck]][r.cellOff[ck]] = int32(i)
				r.cellOff[ck]++
				baseLists[r.baseG[bk]][r.baseOff[bk]] = int32(i)
				r.baseOff[bk]++
			}
		})
	}
	wg.Wait()
	// Each cell's mean, summed in the list's order.
	means := make([]orb.Point, len(cellKeys))
	for k := range parts {
		wg.Go(func() {
			for g := k * len(cellKeys) / parts; g < (k+1)*len(cellKeys)/parts; g++ {
				means[g] = meanOf(incidents, cellLists[g])
			}
		})
	}
	wg.Wait()
	ix.cells = make(map[cell][]int32, len(cellKeys))
	ix.means = make(map[cell]orb.Point, len(cellKeys))
	for g, c := range cellKeys {
		ix.cells[c] = cellLists[g]
		ix.means[c] = means[g]
	}
	ix.byBase = make(map[string][]int32, len(baseKeys))
	for g, b := range baseKeys {
		ix.byBase[b] = baseLists[g]
	}
	return ix
}

// meanOf is the mean point of the incidents at the positions list, summed
// in the list's order: buildIndex and update sum alike, so that a version
// updated from the last has the same means, to the last bit, as one built
// whole.
func meanOf(incidents []*Incident, list []int32) orb.Point {
	var sum orb.Point
	for _, i := range list {
		sum[0] += incidents[i].Point[0]
		sum[1] += incidents[i].Point[1]
	}
	n := float64(len(list))
	return orb.Point{sum[0] / n, sum[1] / n}
}

// dayBounds is the longest span of days of incidents, and the latest day
// any ends on (0, 0 for none).
func dayBounds(incidents []*Incident) (maxSpan, lastDay Date) {
	for i, inc := range incidents {
		maxSpan = max(maxSpan, inc.DateEnd-inc.Date)
		if i == 0 || inc.DateEnd > lastDay {
			lastDay = inc.DateEnd
		}
	}
	return maxSpan, lastDay
}

// numbering numbers keys in the order they are first met, and counts
// what is added to each.
type numbering[K comparable] struct {
	slot map[K]int32
	keys []K
	n    []int32
}

// add adds by to key's count and returns its number.
func (m *numbering[K]) add(key K, by int32) int32 {
	g, ok := m.slot[key]
	if !ok {
		if m.slot == nil {
			m.slot = make(map[K]int32)
		}
		g = int32(len(m.keys))
		m.slot[key] = g
		m.keys = append(m.keys, key)
		m.n = append(m.n, 0)
	}
	m.n[g] += by
	return g
}

// merge adds run's counts to m's and returns, for each of run's numbers,
// the key's number in m and where run's share of its list begins.
func (m *numbering[K]) merge(run *numbering[K]) (g, off []int32) {
	g, off = make([]int32, len(run.keys)), make([]int32, len(run.keys))
	for k, key := range run.keys {
		g[k] = m.add(key, 0)
		off[k] = m.n[g[k]]
		m.n[g[k]] += run.n[k]
	}
	return g, off
}

// carve cuts one array of n positions into lists of the given lengths.
func carve(lens []int32, n int) [][]int32 {
	all := make([]int32, n)
	lists := make([][]int32, len(lens))
	at := 0
	for g, l := range lens {
		lists[g] = all[at : at+int(l) : at+int(l)]
		at += int(l)
	}
	return lists
}

// Query returns the incidents matching f in date order, skipping the first
// offset matches and returning at most limit (all when limit < 0); more is
// true when further matches follow. It reads only the incidents in the
// filter's date range and, with a box or bases, only those cells or lists.
func (d *Dataset) Query(f Filter, offset, limit int) (out []*Incident, more bool) {
	return d.QueryOrder(f, ByDate, offset, limit)
}

// Count returns how many incidents match f, reading as Query does.
func (d *Dataset) Count(f Filter) int {
	n, _ := d.CountContext(context.Background(), f)
	return n
}

// CountContext is Count that stops, returning ctx's error, when ctx is done.
func (d *Dataset) CountContext(ctx context.Context, f Filter) (int, error) {
	if f.IsZero() {
		return len(d.Incidents), ctx.Err()
	}
	if f.From == nil && f.To == nil && len(f.Weapons) == 0 && len(f.Statuses) == 0 && f.BBox == nil {
		// Bases alone: every incident of a base's list matches, so the
		// lists' lengths are the count. The map page asks whether any
		// incident has no base at every load, and reading the 600,000 of a
		// million synthetic ones took tens of milliseconds of each page.
		n := 0
		for k, id := range f.Bases {
			if !slices.Contains(f.Bases[:k], id) {
				n += len(d.index.byBase[id])
			}
		}
		return n, ctx.Err()
	}
	if f.From == nil && f.To == nil && len(f.Weapons) == 0 && len(f.Statuses) == 0 && len(f.Bases) == 0 && f.BBox.Min[0] <= f.BBox.Max[0] {
		return d.countInBox(ctx, *f.BBox)
	}
	n := 0
	err := d.eachContext(ctx, f, func(*Incident) { n++ })
	return n, err
}

// countInBox counts the incidents inside b (which does not cross the
// antimeridian) by the index's cells: a cell inside the box counts whole,
// one outside not at all, and only the incidents of the cells across its
// edges are read. The map page's list counts the matches in view at every
// page, and a view of the whole region read every one of a million
// incidents (BenchmarkCount/bbox).
func (d *Dataset) countInBox(ctx context.Context, b orb.Bound) (int, error) {
	// A point's cell is floor(coordinate / cellSize): widen the cell by a
	// little, so that a rounding never counts a point on the wrong side.
	const eps = 1e-9
	n, seen := 0, 0
	for c, list := range d.index.cells {
		if seen++; seen%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		minX, minY := float64(c.x)*cellSize-eps, float64(c.y)*cellSize-eps
		maxX, maxY := float64(c.x+1)*cellSize+eps, float64(c.y+1)*cellSize+eps
		switch {
		case maxX < b.Min[0] || minX > b.Max[0] || maxY < b.Min[1] || minY > b.Max[1]:
		case minX >= b.Min[0] && maxX <= b.Max[0] && minY >= b.Min[1] && maxY <= b.Max[1]:
			n += len(list)
		default:
			for _, i := range list {
				if InBBox(b, d.Incidents[i].Point) {
					n++
				}
			}
		}
	}
	return n, ctx.Err()
}

// CountAtMost returns how many incidents match f when finding out reads at
// most budget candidates from the index, and ok false without reading any
// when it would read more. Every incident is a candidate when f is zero and
// none needs reading; a filter on dates, a box or bases reads the incidents
// its runs of the index hold, whether or not they match.
func (d *Dataset) CountAtMost(ctx context.Context, f Filter, budget int) (n int, ok bool, err error) {
	if f.IsZero() {
		return len(d.Incidents), true, ctx.Err()
	}
	lo, hi := d.dateRange(f)
	if lo >= hi {
		return 0, true, ctx.Err()
	}
	sc := getScratch()
	over := candidates(d.runs(sc, f, lo, hi)) > budget
	sc.release()
	if over {
		return 0, false, ctx.Err()
	}
	n, err = d.CountContext(ctx, f)
	return n, err == nil, err
}

// candidates is how many positions runs hold.
func candidates(runs [][]int32) int {
	if len(runs) == 1 && len(runs[0]) == 2 && runs[0][1] < 0 {
		return int(-runs[0][1] - runs[0][0])
	}
	n := 0
	for _, r := range runs {
		n += len(r)
	}
	return n
}

// checkEvery is how many incidents a scan reads between two looks at its
// context: a few microseconds of work, so a dropped request stops at once,
// and rare enough that looking costs nothing measurable.
const checkEvery = 4096

// each calls fn with every incident matching f, in no particular order:
// the runs the index gives are disjoint (cells, base lists or one range),
// so they need no merge into date order.
func (d *Dataset) each(f Filter, fn func(*Incident)) {
	_ = d.eachContext(context.Background(), f, fn)
}

// eachContext is each that stops, returning ctx's error, when ctx is done.
func (d *Dataset) eachContext(ctx context.Context, f Filter, fn func(*Incident)) error {
	return d.eachAt(ctx, f, func(_ int, inc *Incident) { fn(inc) })
}

// eachAt is eachContext with the incident's position in d.Incidents.
func (d *Dataset) eachAt(ctx context.Context, f Filter, fn func(int, *Incident)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	lo, hi := d.dateRange(f)
	if lo >= hi {
		return nil
	}
	sc := getScratch()
	defer sc.release()
	runs := d.runs(sc, f, lo, hi)
	if len(runs) == 1 && len(runs[0]) == 2 && runs[0][1] < 0 {
		for start, end := int(runs[0][0]), int(-runs[0][1]); start < end; start += checkEvery {
			if err := ctx.Err(); err != nil {
				return err
			}
			for i := start; i < min(start+checkEvery, end); i++ {
				if inc := d.Incidents[i]; f.Match(inc) {
					fn(i, inc)
				}
			}
		}
		return nil
	}
	read := 0
	for _, run := range runs {
		for _, i := range run {
			if read++; read%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if inc := d.Incidents[i]; f.Match(inc) {
				fn(int(i), inc)
			}
		}
	}
	return nil
}

// Matching returns which incidents match f: keep[i] is set when
// d.Incidents[i] does. It reads as Count does.
func (d *Dataset) Matching(f Filter) (keep []bool) {
	keep = make([]bool, len(d.Incidents))
	_ = d.eachAt(context.Background(), f, func(i int, _ *Incident) { keep[i] = true })
	return keep
}

// dateRange returns the positions [lo, hi) of the incidents that can
// overlap the filter's dates: Date ≤ To, and Date ≥ From − the longest span.
func (d *Dataset) dateRange(f Filter) (lo, hi int) {
	hi = len(d.Incidents)
	if f.To != nil {
		to := *f.To
		hi = sort.Search(len(d.Incidents), func(i int) bool { return d.Incidents[i].Date > to })
	}
	if f.From != nil {
		from := *f.From - d.index.maxSpan
		lo = sort.Search(hi, func(i int) bool { return d.Incidents[i].Date >= from })
	}
	return lo, hi
}

// runs returns ascending lists of positions within [lo, hi) that hold every
// match: the grid cells under the box, or the lists of the bases, or the
// whole range, whichever is smallest; none when the bases or the cells
// chosen hold no position. The lists are built in sc's buffer, and are
// good until sc is released.
func (d *Dataset) runs(sc *scratch, f Filter, lo, hi int) [][]int32 {
	runs := sc.runs[:0]
	chosen := false // false: the whole range
	bestN := hi - lo
	if len(f.Bases) > 0 {
		n := 0
		for k, id := range f.Bases {
			if slices.Contains(f.Bases[:k], id) {
				continue
			}
			if r := clipRun(d.index.byBase[id], lo, hi); len(r) > 0 {
				runs = append(runs, r)
				n += len(r)
			}
		}
		if n <= bestN {
			bestN, chosen = n, true
			if n == 0 {
				sc.runs = runs
				return runs
			}
		} else {
			clear(runs)
			runs = runs[:0]
		}
	}
	if f.BBox != nil {
		k := len(runs)
		var n int
		var ok bool
		runs, n, ok = d.cellRuns(runs, *f.BBox, lo, hi)
		if ok && n <= bestN {
			// The cells win: move them over the bases' lists.
			m := copy(runs, runs[k:])
			clear(runs[m:])
			runs, chosen = runs[:m], true
		} else {
			clear(runs[k:])
			runs = runs[:k]
		}
	}
	if !chosen {
		// The whole range stands as the one run {lo, -hi}, without listing
		// its positions: the merger and the scans recognise it by its
		// negative second element.
		sc.whole = [2]int32{int32(lo), int32(-hi)}
		runs = append(runs[:0], sc.whole[:])
	}
	sc.runs = runs
	return runs
}

// cellRuns appends to runs the lists of the cells under the box clipped to
// [lo, hi), and returns how many positions they hold. It gives up (ok
// false, whatever it appended to be dropped) when the box covers more
// cells than the index has, in which case reading the cells one by one
// would cost more than it saves.
func (d *Dataset) cellRuns(runs [][]int32, b orb.Bound, lo, hi int) (_ [][]int32, n int, ok bool) {
	boxes := [2]orb.Bound{b}
	nb := 1
	if b.Min[0] > b.Max[0] { // across the antimeridian
		boxes = [2]orb.Bound{{Min: b.Min, Max: orb.Point{180, b.Max[1]}}, {Min: orb.Point{-180, b.Min[1]}, Max: b.Max}}
		nb = 2
	}
	for _, box := range boxes[:nb] {
		c0, c1 := cellOf(box.Min), cellOf(box.Max)
		if int64(c1.x-c0.x+1)*int64(c1.y-c0.y+1) > int64(len(d.index.cells)) {
			return runs, 0, false
		}
		for x := c0.x; x <= c1.x; x++ {
			for y := c0.y; y <= c1.y; y++ {
				if r := clipRun(d.index.cells[cell{x, y}], lo, hi); len(r) > 0 {
					runs = append(runs, r)
					n += len(r)
				}
			}
		}
	}
	return runs, n, true
}

// scratch holds the buffers one query reads the index with: the runs of
// positions, the merger and its heap. A page of 10 in a country-sized box
// reads the lists of hundreds of cells, and allocating these for each
// request was most of what such a page allocated, and so most of what made
// the collector run under load (BenchmarkSmallPages, docs/performance.md):
// they are pooled. Release clears them, so that a pooled buffer never keeps
// a replaced dataset's index alive.
type scratch struct {
	runs  [][]int32
	heads []runHead
	merge merger
	whole [2]int32 // the one run of a whole range
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// release clears sc and puts it back in the pool; nothing it returned may
// be used afterwards.
func (sc *scratch) release() {
	clear(sc.runs)
	sc.runs = sc.runs[:0]
	sc.heads = sc.heads[:0] // no pointers
	sc.merge = merger{}
	scratchPool.Put(sc)
}

// walker yields positions of the dataset's incidents, one at a time.
type walker interface{ next() (int, bool) }

// merger yields the positions of several ascending runs in ascending order,
// or in descending order when desc is set (a k-way merge over a heap of run
// heads, walking each run from its end when descending).
type merger struct {
	runs [][]int32
	h    []runHead
	desc bool
	// seq is set for the single whole-range run [lo, hi): next walks from
	// seqNext to seqEnd, up or down.
	seq             bool
	seqNext, seqEnd int
}

type runHead struct{ run, pos int }

// merger returns sc's merger over runs, which lives until sc is released.
func (sc *scratch) merger(runs [][]int32, desc bool) *merger {
	m := &sc.merge
	if len(runs) == 1 && len(runs[0]) == 2 && runs[0][1] < 0 {
		lo, hi := int(runs[0][0]), int(-runs[0][1])
		if desc {
			*m = merger{seq: true, desc: true, seqNext: hi - 1, seqEnd: lo - 1}
		} else {
			*m = merger{seq: true, seqNext: lo, seqEnd: hi}
		}
		return m
	}
	h := sc.heads[:0]
	for r := range runs {
		pos := 0
		if desc {
			pos = len(runs[r]) - 1
		}
		h = append(h, runHead{run: r, pos: pos})
	}
	sc.heads = h
	*m = merger{runs: runs, h: h, desc: desc}
	for i := len(h)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
	return m
}

func (m *merger) next() (int, bool) {
	if m.seq {
		if m.seqNext == m.seqEnd {
			return 0, false
		}
		i := m.seqNext
		if m.desc {
			m.seqNext--
		} else {
			m.seqNext++
		}
		return i, true
	}
	if len(m.h) == 0 {
		return 0, false
	}
	top := &m.h[0]
	v := m.runs[top.run][top.pos]
	if m.desc {
		top.pos--
	} else {
		top.pos++
	}
	if top.pos < 0 || top.pos == len(m.runs[top.run]) {
		last := len(m.h) - 1
		m.h[0] = m.h[last]
		m.h = m.h[:last]
	}
	m.down(0)
	return int(v), true
}

// less orders the heap by the run heads' positions, the least first (the
// greatest when descending).
func (m *merger) less(i, j int) bool {
	a, b := m.runs[m.h[i].run][m.h[i].pos], m.runs[m.h[j].run][m.h[j].pos]
	if m.desc {
		return a > b
	}
	return a < b
}

// down moves the head at i down the heap to its place, as container/heap
// does (which boxed every popped head into an interface: an allocation).
func (m *merger) down(i int) {
	n := len(m.h)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if r := c + 1; r < n && m.less(r, c) {
			c = r
		}
		if !m.less(c, i) {
			return
		}
		m.h[i], m.h[c] = m.h[c], m.h[i]
		i = c
	}
}

// chain yields the positions of runs one run after another, or, when desc
// is set, the runs in reverse order each from its end.
type chain struct {
	runs [][]int32
	desc bool
	run  int // the run being walked
	pos  int // the next position in it
}

func newChain(runs [][]int32, desc bool) *chain {
	c := &chain{runs: runs, desc: desc}
	if desc {
		c.run = len(runs) - 1
		if c.run >= 0 {
			c.pos = len(runs[c.run]) - 1
		}
	}
	return c
}

func (c *chain) next() (int, bool) {
	if c.desc {
		for c.run >= 0 && c.pos < 0 {
			c.run--
			if c.run >= 0 {
				c.pos = len(c.runs[c.run]) - 1
			}
		}
		if c.run < 0 {
			return 0, false
		}
		c.pos--
		return int(c.runs[c.run][c.pos+1]), true
	}
	for c.run < len(c.runs) && c.pos == len(c.runs[c.run]) {
		c.run++
		c.pos = 0
	}
	if c.run == len(c.runs) {
		return 0, false
	}
	c.pos++
	return int(c.runs[c.run][c.pos-1]), true
}
