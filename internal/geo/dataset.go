package geo

import (
	"cmp"
	"slices"
	"sync"
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

// newDataset indexes bases and incidents and sorts the incidents by time.
// The caller has validated them.
func newDataset(bases []Base, incidents []Incident, version string) *Dataset {
	incidents = sortIncidents(incidents)
	d := &Dataset{
		Bases:     bases,
		Incidents: incidents,
		Version:   version,
		baseByID:  make(map[string]int, len(bases)),
		byID:      make([]int32, len(incidents)),
	}
	for i, b := range bases {
		d.baseByID[b.ID] = i
	}
	for i := range d.byID {
		d.byID[i] = int32(i)
	}
	// The id order and the query index are independent: build them on two
	// cores.
	var wg sync.WaitGroup
	wg.Go(func() {
		slices.SortFunc(d.byID, func(a, b int32) int { return cmp.Compare(incidents[a].ID, incidents[b].ID) })
	})
	d.index = buildIndex(incidents)
	wg.Wait()
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

// sortIncidents orders incidents by Date, DateEnd and ID (ids are unique,
// so the order is total). It sorts a permutation of small indexes and moves
// each incident once, rather than swapping the large structs: first a
// counting sort by Date (days are few), then each day's run by DateEnd and
// ID, so strings are compared only within a day.
func sortIncidents(incidents []Incident) []Incident {
	if len(incidents) == 0 {
		return incidents
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
	order := make([]int32, len(incidents))
	next := slices.Clone(starts)
	for i := range incidents {
		k := incidents[i].Date - lo
		order[next[k]] = int32(i)
		next[k]++
	}
	for k := 0; k+1 < len(starts); k++ {
		run := order[starts[k]:starts[k+1]]
		if len(run) > 1 {
			slices.SortFunc(run, func(i, j int32) int {
				a, b := &incidents[i], &incidents[j]
				return cmp.Or(cmp.Compare(a.DateEnd, b.DateEnd), cmp.Compare(a.ID, b.ID))
			})
		}
	}
	sorted := make([]Incident, len(incidents))
	for k, i := range order {
		sorted[k] = incidents[i]
	}
	return sorted
}
