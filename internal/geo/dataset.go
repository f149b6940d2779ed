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
	slices.SortFunc(d.byID, func(a, b int32) int { return cmp.Compare(incidents[a].ID, incidents[b].ID) })
	d.index = buildIndex(incidents)
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
// each incident once, rather than swapping the large structs.
func sortIncidents(incidents []Incident) []Incident {
	order := make([]int32, len(incidents))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &incidents[i], &incidents[j]
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.DateEnd, b.DateEnd), cmp.Compare(a.ID, b.ID))
	})
	sorted := make([]Incident, len(incidents))
	for k, i := range order {
		sorted[k] = incidents[i]
	}
	return sorted
}
