package geo

import (
	"cmp"
	"fmt"
	"hash"
	"io"
	"slices"

	"github.com/paulmach/orb"
)

// incidentDecoder decodes and checks incident features, the fast way when
// it can (fastdecode.go) and with json v2 otherwise; each loading
// goroutine has its own.
type incidentDecoder struct {
	bases   map[string]orb.Point
	baseIDs map[string]string // each base id, to share its string
	keep    *keeper
	fast    fastFeature
}

func newIncidentDecoder(bases []Base) *incidentDecoder {
	d := &incidentDecoder{bases: make(map[string]orb.Point, len(bases)), baseIDs: make(map[string]string, len(bases)), keep: newKeeper()}
	for _, b := range bases {
		d.bases[b.ID] = b.Point
		d.baseIDs[b.ID] = b.ID
	}
	return d
}

// take decodes the feature at the start of rest the fast way, and returns
// its length, or 0 when it must be scanned and read by feature instead.
func (d *incidentDecoder) take(rest []byte, index int, out *decoded) int {
	n := d.fast.parseObject(rest)
	if n == 0 {
		return 0
	}
	f := featureProblems{file: IncidentsFile, index: index, problems: &out.problems}
	if pt, ok := f.checkFast(&d.fast); ok {
		d.add(&f, &d.fast.props, pt, index, out)
	}
	return n
}

// feature decodes one raw feature, the fast way when it can.
func (d *incidentDecoder) feature(raw []byte, index int, out *decoded) {
	f := featureProblems{file: IncidentsFile, index: index, problems: &out.problems}
	var (
		p  *incidentProperties
		pt orb.Point
		ok bool
	)
	if d.fast.parse(raw) {
		p = &d.fast.props
		pt, ok = f.checkFast(&d.fast)
	} else {
		p = new(incidentProperties)
		pt, ok = f.decodeFeature(raw, p)
	}
	if ok {
		d.add(&f, p, pt, index, out)
	}
}

// add checks a decoded feature's properties and keeps a valid incident.
func (d *incidentDecoder) add(f *featureProblems, p *incidentProperties, pt orb.Point, index int, out *decoded) {
	inc, ok := p.incident(f, pt, d.bases, d.keep)
	if !ok {
		return
	}
	d.keep.incident(&inc, d.baseIDs)
	out.incidents = append(out.incidents, inc)
	out.index = append(out.index, int32(index))
}

// incidentRuns is the valid incidents of a file in file order, in the runs
// the decoders made, with each one's feature index.
type incidentRuns struct {
	runs  [][]Incident
	index [][]int32
	n     int
}

// readIncidents decodes and checks every incident feature of r, in
// parallel, and writes a hash of the file into h.
func readIncidents(r io.Reader, h hash.Hash, bases []Base, problems *[]Problem) (incidentRuns, error) {
	var all incidentRuns
	err := scanFile(IncidentsFile, r, h, func() featureDecoder { return newIncidentDecoder(bases) }, func(first int, out *decoded) {
		for _, p := range out.problems {
			p.Index += first
			*problems = append(*problems, p)
		}
		if len(out.incidents) == 0 {
			return
		}
		index := make([]int32, len(out.index))
		for k, i := range out.index {
			index[k] = int32(first) + i
		}
		all.runs = append(all.runs, out.incidents)
		all.index = append(all.index, index)
		all.n += len(out.incidents)
	}, problems)
	return all, err
}

// idEntry is an incident's id with where it is, for sorting by id.
type idEntry struct {
	id      string
	pos     int32 // position in file order among the valid incidents
	feature int32 // feature index in the file
}

// sortIDs sorts the incidents' ids and reports each one that is given
// twice, at the later feature.
func (all *incidentRuns) sortIDs(problems *[]Problem) []idEntry {
	ids := make([]idEntry, 0, all.n)
	for r, run := range all.runs {
		for k := range run {
			ids = append(ids, idEntry{id: run[k].ID, pos: int32(len(ids)), feature: all.index[r][k]})
		}
	}
	slices.SortFunc(ids, func(a, b idEntry) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.feature, b.feature)) })
	var dups []Problem
	first := 0 // the first entry with the id of entry k
	for k := 1; k < len(ids); k++ {
		if ids[k].id != ids[k-1].id {
			first = k
		} else {
			dups = append(dups, Problem{File: IncidentsFile, Index: int(ids[k].feature), ID: ids[k].id, Field: "id",
				Reason: fmt.Sprintf("%q is also the id of feature %d: ids must be unique", ids[k].id, ids[first].feature)})
		}
	}
	slices.SortFunc(dups, func(a, b Problem) int { return cmp.Compare(a.Index, b.Index) })
	*problems = append(*problems, dups...)
	return ids
}
