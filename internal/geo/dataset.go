package geo

import (
	"cmp"
	"iter"
	"runtime"
	"slices"
	"sync"
)

// Dataset is a validated, immutable set of bases and incidents. It is safe
// for concurrent use; a reload builds a new Dataset rather than changing one.
type Dataset struct {
	// Bases in file order.
	Bases []Base
	// Incidents sorted by Date, then DateEnd, then ID. A version made by
	// Apply shares the unchanged ones with the version it was made from:
	// they are pointers so that a change copies a pointer per incident,
	// not the incidents themselves, and no one may change an Incident
	// through them.
	Incidents []*Incident
	// Version is a short content hash of the data files: it changes whenever
	// the data does, and names the data a map or an export was made from.
	Version string
	// Record is the number of the record's dataset version this dataset
	// is (internal/store, -db), set by whoever read it from the record; 0
	// when it was read from files, which keep no versions.
	Record int64
	// OfficialCounts are the official running counts of attacks, in date
	// order, from official-counts.json; none when the file is absent.
	OfficialCounts []OfficialCount
	// Strikes are the strikes made in response, in date order, from
	// strikes.geojson; none when the file is absent.
	Strikes []Strike

	baseByID map[string]int
	// byID lists incident positions in id order, for lookups by binary
	// search: a tenth of the memory of a map at a million incidents.
	byID  []int32
	index index
	// filePos is each incident's position in Incidents, in file order.
	filePos []int32
	// whole holds the unfiltered timeline and base summaries, which every
	// first view of the map page asks for: made once, on first use.
	whole func() wholeCounts
}

// wholeCounts are a dataset's counts with no filter.
type wholeCounts struct {
	days      []DayCount
	total     int
	summaries map[string]Summary // by base id
}

// newDataset builds a dataset from valid bases and incidents (in file
// order): it sorts the incidents by time, in place, and indexes them. ids
// are the incidents' ids, sorted by the time sorted is closed.
func newDataset(bases []Base, all *fileIncidents, sorted <-chan struct{}, ids []idEntry) *Dataset {
	incidents := all.incidents
	pos := dateOrder(incidents, min(runtime.GOMAXPROCS(0), max(1, len(incidents)/parallelSortMin)))
	permute(incidents, pos)
	d := &Dataset{
		Bases:     bases,
		Incidents: pointers(incidents),
		baseByID:  make(map[string]int, len(bases)),
		filePos:   pos,
	}
	for i, b := range bases {
		d.baseByID[b.ID] = i
	}
	d.index = buildIndex(d.Incidents)
	d.whole = sync.OnceValue(d.countWhole)
	<-sorted
	d.byID = make([]int32, len(ids))
	for k, e := range ids {
		d.byID[k] = pos[e.pos]
	}
	return d
}

// pointers returns a pointer to each of incidents, in order: the
// dataset's incidents point into the one array a load makes.
func pointers(incidents []Incident) []*Incident {
	ptrs := make([]*Incident, len(incidents))
	for i := range incidents {
		ptrs[i] = &incidents[i]
	}
	return ptrs
}

// InFileOrder yields the incidents in the order of the file they were
// loaded from, so a rewrite of the file changes only what changed.
func (d *Dataset) InFileOrder() iter.Seq[*Incident] {
	return func(yield func(*Incident) bool) {
		for _, p := range d.filePos {
			if !yield(d.Incidents[p]) {
				return
			}
		}
	}
}

// Base returns the base with the given id.
func (d *Dataset) Base(id string) (*Base, bool) {
	i, ok := d.baseByID[id]
	if !ok {
		return nil, false
	}
	return &d.Bases[i], true
}

// Incident returns the incident with the given id.
func (d *Dataset) Incident(id string) (*Incident, bool) {
	k, ok := slices.BinarySearchFunc(d.byID, id, func(i int32, id string) int { return cmp.Compare(d.Incidents[i].ID, id) })
	if !ok {
		return nil, false
	}
	return d.Incidents[d.byID[k]], true
}

// Span returns the first and last day covered by any incident; ok is false
// when there are no incidents. The index keeps the last day: the map page
// and the timeline ask for the span on every request.
func (d *Dataset) Span() (first, last Date, ok bool) {
	if len(d.Incidents) == 0 {
		return 0, 0, false
	}
	return d.Incidents[0].Date, d.index.lastDay, true
}

// dateOrder returns where each incident goes so that they are ordered by
// Date, DateEnd and ID (ids are unique, so the order is total): a counting
// sort by Date (days are few), then each day's run by DateEnd and ID, so
// strings are compared only within a day. Only positions move. The days'
// runs are sorted by parts goroutines, each taking the days of an equal
// share of the incidents: this tail of a load runs after the parallel
// scan, on the path to the first answer.
func dateOrder(incidents []Incident, parts int) (pos []int32) {
	if len(incidents) == 0 {
		return nil
	}
	lo, hi := incidents[0].Date, incidents[0].Date
	for i := range incidents {
		lo, hi = min(lo, incidents[i].Date), max(hi, incidents[i].Date)
	}
	starts := make([]int32, int(hi-lo)+2)
	for i := range incidents {
		starts[incidents[i].Date-lo+1]++
	}
	for k := 1; k < len(starts); k++ {
		starts[k] += starts[k-1]
	}
	order := make([]int32, len(incidents)) // file positions in date order
	next := slices.Clone(starts)
	for i := range incidents {
		k := incidents[i].Date - lo
		order[next[k]] = int32(i)
		next[k]++
	}
	sortDays := func(from, to int) {
		for k := from; k < to; k++ {
			if run := order[starts[k]:starts[k+1]]; len(run) > 1 {
				slices.SortFunc(run, func(i, j int32) int { return compareIncidents(&incidents[i], &incidents[j]) })
			}
		}
	}
	days := len(starts) - 1
	var wg sync.WaitGroup
	first := 0 // the first day of the next share
	for p := 1; p < parts; p++ {
		from := first
		to, _ := slices.BinarySearch(starts[:days], int32(len(incidents)*p/parts))
		wg.Go(func() { sortDays(from, to) })
		first = to
	}
	sortDays(first, days)
	wg.Wait()
	pos = make([]int32, len(incidents))
	for k, i := range order {
		pos[i] = int32(k)
	}
	return pos
}

// parallelSortMin is the fewest incidents per goroutine sorting days' runs
// (dateOrder): below it a goroutine costs more than it saves.
const parallelSortMin = 50_000

// permute moves each incident i to pos[i] in place, following the
// permutation's cycles: no second copy of the incidents is made.
func permute(incidents []Incident, pos []int32) {
	done := make([]uint64, (len(incidents)+63)/64)
	mark := func(i int32) { done[i/64] |= 1 << (i % 64) }
	for start := range int32(len(incidents)) {
		if done[start/64]&(1<<(start%64)) != 0 {
			continue
		}
		mark(start)
		carried := incidents[start]
		for d := pos[start]; d != start; d = pos[d] {
			mark(d)
			incidents[d], carried = carried, incidents[d]
		}
		incidents[start] = carried
	}
}

// compareIncidents orders incidents by Date, DateEnd and ID.
func compareIncidents(a, b *Incident) int {
	return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.DateEnd, b.DateEnd), cmp.Compare(a.ID, b.ID))
}
