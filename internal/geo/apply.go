package geo

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sync"
)

// IncidentChange is one incident as a newer version of a dataset has it:
// its feature's JSON as incidents.geojson holds it, or nil when the
// version retracted it.
type IncidentChange struct {
	ID      string
	Feature []byte
}

// Changes are what a newer version of a dataset changed, for Apply.
type Changes struct {
	// Bases, when not nil, is the newer version's bases.geojson: the bases
	// changed. Nil keeps d's.
	Bases io.Reader
	// Incidents are the incidents that changed. One d holds is replaced
	// in its place in file order (or left out when retracted); a new one
	// comes after every incident d holds, in the order given.
	Incidents []IncidentChange
	// Version is the newer version's Version, the digest of its files,
	// which the caller knows (a record keeps it): Apply does not see the
	// files whole and cannot compute it.
	Version string
}

// Apply returns the dataset d becomes with c: a new Dataset sharing with d
// every unchanged incident (a pointer to it is copied into the new,
// re-sorted slice), the lists of its index that the change leaves as they
// are (indexupdate.go), its official counts and its strikes, so that a
// version costs about its change, not a second dataset. d is not changed:
// readers holding it keep a whole version. The incidents changed are checked as
// Load checks them (against the new bases), the rest are not checked
// again, so c must come from a version a full Load accepts, such as an
// approved version of a record (whose writes Load checked): Apply gives
// the dataset Load would give of that version's files (TestApplyMatchesLoad).
// An error (a *ValidationError for a changed incident or base that is not
// valid, or a change that does not fit d) means the caller must load the
// version whole.
func (d *Dataset) Apply(c Changes) (*Dataset, error) {
	bases := d.Bases
	if c.Bases != nil {
		var problems []Problem
		b, err := readBases(c.Bases, &problems)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", BasesFile, err)
		}
		if len(problems) > 0 {
			return nil, &ValidationError{Problems: problems}
		}
		bases = b
	}

	// Decode the changed incidents; fresh[k] is change index[k]'s.
	dec := newIncidentDecoder(bases, true)
	var decoded run
	for i, ch := range c.Incidents {
		if ch.Feature != nil {
			dec.Feature(ch.Feature, 0, i, &decoded)
		}
	}
	if len(decoded.Problems) > 0 {
		return nil, &ValidationError{Problems: decoded.Problems}
	}
	fresh, index := decoded.Items, decoded.Index

	// Where each change lands: removed marks d's incidents replaced or
	// retracted; replacedBy says which fresh incident replaces one; added
	// lists the fresh incidents d does not hold, in the order given.
	removed := make(map[int32]int, len(c.Incidents)) // d position -> fresh index, or -1
	var added []int
	k := 0
	for i, ch := range c.Incidents {
		at, _ := d.incidentAt(ch.ID)
		if _, twice := removed[at]; twice && at >= 0 {
			return nil, fmt.Errorf("incident %q is changed twice", ch.ID)
		}
		if ch.Feature == nil {
			if at < 0 {
				return nil, fmt.Errorf("incident %q is retracted but the dataset does not hold it", ch.ID)
			}
			removed[at] = -1
			continue
		}
		if k >= len(index) || int(index[k]) != i {
			return nil, fmt.Errorf("incident %q: not decoded", ch.ID)
		}
		if fresh[k].ID != ch.ID {
			return nil, fmt.Errorf("incident %q: its feature has the id %q", ch.ID, fresh[k].ID)
		}
		if at >= 0 {
			removed[at] = k
		} else {
			added = append(added, k)
		}
		k++
	}

	// The incidents in date order: d's kept ones, copied in runs between
	// the few places where one is removed or a fresh one goes in (found by
	// binary search: the order is total), so that a million incidents are
	// a few memmoves, not a million comparisons.
	type event struct {
		at    int // a position in d.Incidents
		fresh int // the fresh incident going in before at, or -1: at is removed
	}
	events := make([]event, 0, len(removed)+len(fresh))
	for at := range removed {
		events = append(events, event{int(at), -1})
	}
	for k := range fresh {
		at, _ := slices.BinarySearchFunc(d.Incidents, &fresh[k], compareIncidents)
		events = append(events, event{at, k})
	}
	// At one place, fresh ones in their order, then the removal.
	slices.SortFunc(events, func(a, b event) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		if a.fresh < 0 || b.fresh < 0 {
			return cmp.Compare(b.fresh, a.fresh)
		}
		return compareIncidents(&fresh[a.fresh], &fresh[b.fresh])
	})
	n := len(d.Incidents) - len(removed) + len(fresh)
	incidents := make([]*Incident, 0, n)
	oldToNew := make([]int32, len(d.Incidents))
	freshPos := make([]int32, len(fresh))
	copyRun := func(from, to int) { // d.Incidents[from:to], all kept
		shift := int32(len(incidents) - from)
		for i := from; i < to; i++ {
			oldToNew[i] = int32(i) + shift
		}
		incidents = append(incidents, d.Incidents[from:to]...)
	}
	next := 0 // the first of d.Incidents not yet copied nor removed
	for _, e := range events {
		copyRun(next, e.at)
		next = e.at
		if e.fresh >= 0 {
			freshPos[e.fresh] = int32(len(incidents))
			incidents = append(incidents, &fresh[e.fresh])
			continue
		}
		oldToNew[e.at] = -1
		next = e.at + 1
	}
	copyRun(next, len(d.Incidents))

	nd := &Dataset{
		Bases:          bases,
		Incidents:      incidents,
		Version:        c.Version,
		Record:         d.Record,
		OfficialCounts: d.OfficialCounts,
		Strikes:        d.Strikes,
		baseByID:       d.baseByID,
	}
	if c.Bases != nil {
		nd.baseByID = make(map[string]int, len(bases))
		for i, b := range bases {
			nd.baseByID[b.ID] = i
		}
	}
	removedAt := make([]int32, 0, len(removed))
	inPlace := len(added) == 0 // every change an edit that keeps its incident's position
	for p, r := range removed {
		removedAt = append(removedAt, p)
		inPlace = inPlace && r >= 0 && freshPos[r] == p
	}
	nd.index = d.index.update(d.Incidents, incidents, oldToNew, removedAt, freshPos)
	nd.whole = sync.OnceValue(nd.countWhole)
	if inPlace {
		// No incident moved: the orders by file and by id are d's.
		nd.filePos, nd.byID = d.filePos, d.byID
		return nd, nil
	}

	// File order: d's, each replaced incident in its place, the new ones
	// last.
	filePos := make([]int32, 0, n)
	for _, p := range d.filePos {
		if q := oldToNew[p]; q >= 0 {
			filePos = append(filePos, q)
		} else if r := removed[p]; r >= 0 {
			filePos = append(filePos, freshPos[r])
		}
	}
	for _, a := range added {
		filePos = append(filePos, freshPos[a])
	}

	// Id order: d's, a replaced incident in its place, the new ones (whose
	// ids d does not hold) merged in at the places binary search finds.
	slices.SortFunc(added, func(a, b int) int { return cmp.Compare(fresh[a].ID, fresh[b].ID) })
	for i := 1; i < len(added); i++ {
		if fresh[added[i]].ID == fresh[added[i-1]].ID {
			return nil, fmt.Errorf("incident %q is added twice", fresh[added[i]].ID)
		}
	}
	byID := make([]int32, 0, n)
	idRun := func(run []int32) {
		for _, p := range run {
			if q := oldToNew[p]; q >= 0 {
				byID = append(byID, q)
			} else if r := removed[p]; r >= 0 {
				byID = append(byID, freshPos[r])
			}
		}
	}
	next = 0
	for _, a := range added {
		at, _ := slices.BinarySearchFunc(d.byID, fresh[a].ID, func(i int32, id string) int { return cmp.Compare(d.Incidents[i].ID, id) })
		idRun(d.byID[next:at])
		next = at
		byID = append(byID, freshPos[a])
	}
	idRun(d.byID[next:])

	nd.byID, nd.filePos = byID, filePos
	return nd, nil
}

// incidentAt returns the position in d.Incidents of the incident with
// the given id.
func (d *Dataset) incidentAt(id string) (int32, bool) {
	k, ok := slices.BinarySearchFunc(d.byID, id, func(i int32, id string) int { return cmp.Compare(d.Incidents[i].ID, id) })
	if !ok {
		return -1, false
	}
	return d.byID[k], true
}
