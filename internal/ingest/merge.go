package ingest

import (
	"bytes"
	"cmp"
	"slices"

	"strikemap/internal/geo"
)

// Counts sums up an import.
type Counts struct {
	Added     int // incidents with a new id
	Updated   int // incidents whose id was there, with other content
	Unchanged int // incidents whose id was there, with the same content
	Kept      int // incidents of the dataset the import did not mention
	Rejected  int // rows that did not become incidents
	Skipped   int // rows the filters left out
}

// Merge merges incoming into existing by id: an incoming incident replaces
// the existing one with its id (wholly: an import owns the incidents it
// writes), a new id is added, and every other existing incident is kept.
// Existing incidents keep their order, so a re-import changes only what
// changed; new ones follow, by date and id.
func Merge(existing, incoming []geo.Incident) ([]geo.Incident, Counts) {
	var c Counts
	at := make(map[string]int, len(existing))
	merged := slices.Clone(existing)
	for i, inc := range merged {
		at[inc.ID] = i
	}
	touched := map[string]bool{}
	var added []geo.Incident
	for _, inc := range incoming {
		i, ok := at[inc.ID]
		switch {
		case !ok:
			added = append(added, inc)
			c.Added++
		case sameIncident(merged[i], inc):
			c.Unchanged++
		default:
			merged[i] = inc
			c.Updated++
		}
		touched[inc.ID] = true
	}
	for _, inc := range existing {
		if !touched[inc.ID] {
			c.Kept++
		}
	}
	slices.SortStableFunc(added, func(a, b geo.Incident) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
	})
	return append(merged, added...), c
}

// sameIncident compares two incidents as the data file would write them, so
// an absent list and an empty one are the same.
func sameIncident(a, b geo.Incident) bool {
	ja, errA := geo.MarshalIncidents([]geo.Incident{a})
	jb, errB := geo.MarshalIncidents([]geo.Incident{b})
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
