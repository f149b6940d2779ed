package geo

import (
	"cmp"
	"slices"
)

// Dataset is a validated, immutable set of bases and incidents. It is safe
// for concurrent use; a reload builds a new Dataset rather than changing one.
type Dataset struct {
	// Bases in file order.
	Bases []Base
	// Incidents sorted by Date, then DateEnd, then ID.
	Incidents []Incident
	// Version is a short content hash of the data files: it changes whenever
	// the data does, and names the data a map or an export was made from.
	Version string

	baseByID map[string]int
	// byID lists incident positions in id order, for lookups by binary
	// search: a tenth of the memory of a map at a million incidents.
	byID  []int32
	index index
}

// newDataset builds a dataset from valid bases and incidents: it sorts
// the incidents by time, moving each once from the decoders' runs into
// place, and indexes them. The incidents' ids in id order are in *ids once
// sorted is closed (all.sortIDs runs meanwhile, and reads the runs, so
// they are emptied only after it).
func newDataset(bases []Base, all *incidentRuns, sorted <-chan struct{}, ids *[]idEntry) *Dataset {
	incidents, pos := placeByDate(all, sorted)
	d := &Dataset{
		Bases:     bases,
		Incidents: incidents,
		baseByID:  make(map[string]int, len(bases)),
	}
	for i, b := range bases {
		d.baseByID[b.ID] = i
	}
	d.index = buildIndex(incidents)
	<-sorted
	d.byID = make([]int32, len(*ids))
	for k, e := range *ids {
		d.byID[k] = pos[e.pos]
	}
	return d
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
	return &d.Incidents[d.byID[k]], true
}

// Span returns the first and last day covered by any incident; ok is false
// when there are no incidents.
func (d *Dataset) Span() (first, last Date, ok bool) {
	if len(d.Incidents) == 0 {
		return 0, 0, false
	}
	first = d.Incidents[0].Date
	last = d.Incidents[0].DateEnd
	for i := range d.Incidents {
		last = max(last, d.Incidents[i].DateEnd)
	}
	return first, last, true
}

// placeByDate moves the incidents of all's runs into one slice ordered by
// Date, DateEnd and ID (ids are unique, so the order is total), emptying
// the runs as it goes. pos maps each incident's position in file order to
// its place. A counting sort by Date (days are few) moves each incident
// once; then each day's run is ordered by DateEnd and ID, so strings are
// compared only within a day.
func placeByDate(all *incidentRuns, sorted <-chan struct{}) (incidents []Incident, pos []int32) {
	if all.n == 0 {
		return nil, nil
	}
	lo, hi := all.runs[0][0].Date, all.runs[0][0].Date
	for _, run := range all.runs {
		for i := range run {
			lo, hi = min(lo, run[i].Date), max(hi, run[i].Date)
		}
	}
	starts := make([]int32, int(hi-lo)+2)
	for _, run := range all.runs {
		for i := range run {
			starts[run[i].Date-lo+1]++
		}
	}
	for k := 1; k < len(starts); k++ {
		starts[k] += starts[k-1]
	}
	incidents = make([]Incident, all.n)
	pos = make([]int32, all.n)
	from := make([]int32, all.n) // from[place] is the file position
	next := slices.Clone(starts)
	p := int32(0)
	for _, run := range all.runs {
		for i := range run {
			at := next[run[i].Date-lo]
			next[run[i].Date-lo]++
			incidents[at] = run[i]
			pos[p], from[at] = at, p
			p++
		}
	}
	go func() {
		<-sorted
		clear(all.runs) // let the collector have them
	}()
	var order []int32
	var moved []Incident
	for k := 0; k+1 < len(starts); k++ {
		a, b := starts[k], starts[k+1]
		day := incidents[a:b]
		if len(day) < 2 || sortedDay(day) {
			continue
		}
		order = order[:0]
		for i := a; i < b; i++ {
			order = append(order, i)
		}
		slices.SortFunc(order, func(i, j int32) int { return compareIncidents(&incidents[i], &incidents[j]) })
		moved = append(moved[:0], day...)
		fromDay := slices.Clone(from[a:b])
		for j, i := range order {
			incidents[a+int32(j)] = moved[i-a]
			p := fromDay[i-a]
			pos[p], from[a+int32(j)] = a+int32(j), p
		}
	}
	return incidents, pos
}

// compareIncidents orders incidents by Date, DateEnd and ID.
func compareIncidents(a, b *Incident) int {
	return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.DateEnd, b.DateEnd), cmp.Compare(a.ID, b.ID))
}

func sortedDay(day []Incident) bool {
	for i := 1; i < len(day); i++ {
		if compareIncidents(&day[i-1], &day[i]) > 0 {
			return false
		}
	}
	return true
}
