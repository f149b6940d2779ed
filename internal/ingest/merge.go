package ingest

import (
	"bytes"
	"cmp"
	"fmt"
	"iter"
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
	at := make(map[string]int, len(existing))
	for i, inc := range existing {
		at[inc.ID] = i
	}
	find := func(id string) (*geo.Incident, bool) {
		i, ok := at[id]
		if !ok {
			return nil, false
		}
		return &existing[i], true
	}
	all := func(yield func(*geo.Incident) bool) {
		for i := range existing {
			if !yield(&existing[i]) {
				return
			}
		}
	}
	merged := make([]geo.Incident, 0, len(existing)+len(incoming))
	c, _ := MergeWrite(all, find, incoming, func(inc *geo.Incident) error {
		merged = append(merged, *inc)
		return nil
	})
	return merged, c
}

// MergeWrite is Merge for a dataset too large to copy: it hands the merged
// incidents one by one to write, in Merge's order, instead of building
// them. existing yields the existing incidents in file order and find looks
// one up by id (geo.Dataset's InFileOrder and Incident); the memory it
// takes is the incoming rows'.
func MergeWrite(existing iter.Seq[*geo.Incident], find func(id string) (*geo.Incident, bool), incoming []geo.Incident, write func(*geo.Incident) error) (Counts, error) {
	var c Counts
	replace := map[string]*geo.Incident{}
	var added []geo.Incident
	for i := range incoming {
		inc := &incoming[i]
		old, ok := find(inc.ID)
		switch {
		case !ok:
			added = append(added, *inc)
			c.Added++
		case sameIncident(*old, *inc):
			c.Unchanged++
		default:
			replace[inc.ID] = inc
			c.Updated++
		}
	}
	touched := map[string]bool{}
	for i := range incoming {
		touched[incoming[i].ID] = true
	}
	for inc := range existing {
		if r, ok := replace[inc.ID]; ok {
			inc = r
		} else if !touched[inc.ID] {
			c.Kept++
		}
		if err := write(inc); err != nil {
			return c, err
		}
	}
	slices.SortStableFunc(added, func(a, b geo.Incident) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
	})
	for i := range added {
		if err := write(&added[i]); err != nil {
			return c, err
		}
	}
	return c, nil
}

// MergeFile is MergeWrite for a dataset read as a file, feature by feature:
// it rewrites the file in one pass, the memory of the incoming rows. scan
// calls its function with each existing feature's id and raw JSON in file
// order (geo.ScanIncidents); decode reads one such feature, for the few
// that incoming has an id of, to tell an update from an unchanged row.
// The features incoming does not replace go to out byte for byte
// (IncidentWriter.WriteRaw); the replacing and the new ones are written
// from incoming, the new ones last, by date and id, as Merge orders them.
func MergeFile(scan func(fn func(id string, raw []byte) error) error, decode func(raw []byte) (geo.Incident, error), incoming []geo.Incident, out *geo.IncidentWriter) (Counts, error) {
	var c Counts
	byID := make(map[string]*geo.Incident, len(incoming))
	for i := range incoming {
		byID[incoming[i].ID] = &incoming[i]
	}
	found := make(map[string]bool, len(incoming))
	err := scan(func(id string, raw []byte) error {
		inc, ok := byID[id]
		if !ok {
			c.Kept++
			return out.WriteRaw(raw)
		}
		found[inc.ID] = true
		old, err := decode(raw)
		if err != nil {
			return fmt.Errorf("feature %q: %w", id, err)
		}
		if sameIncident(old, *inc) {
			c.Unchanged++
			return out.WriteRaw(raw)
		}
		c.Updated++
		return out.Write(inc)
	})
	if err != nil {
		return c, err
	}
	var added []geo.Incident
	for i := range incoming {
		if !found[incoming[i].ID] {
			added = append(added, incoming[i])
		}
	}
	c.Added = len(added)
	slices.SortStableFunc(added, func(a, b geo.Incident) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
	})
	for i := range added {
		if err := out.Write(&added[i]); err != nil {
			return c, err
		}
	}
	return c, nil
}

// sameIncident compares two incidents as the data file would write them, so
// an absent list and an empty one are the same.
func sameIncident(a, b geo.Incident) bool {
	ja, errA := geo.MarshalIncidents([]geo.Incident{a})
	jb, errB := geo.MarshalIncidents([]geo.Incident{b})
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
