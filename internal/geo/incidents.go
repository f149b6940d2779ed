package geo

import (
	"cmp"
	"fmt"
	"hash"
	"io"
	"slices"

	"github.com/paulmach/orb"

	"strikemap/internal/geo/loader"
)

// incidentDecoder decodes and checks incident features, the fast way when
// it can (loader.FastFeature) and with json v2 otherwise; each loading
// goroutine has its own.
type incidentDecoder struct {
	bases   map[string]orb.Point // nil when bases.geojson had problems: references are not checked
	baseIDs map[string]string    // each base id, to share its string
	keep    *keeper
	fast    loader.FastFeature
}

func newIncidentDecoder(bases []Base, checkBases bool) *incidentDecoder {
	d := &incidentDecoder{baseIDs: make(map[string]string, len(bases)), keep: newKeeper()}
	if checkBases {
		d.bases = make(map[string]orb.Point, len(bases))
	}
	for _, b := range bases {
		if checkBases {
			d.bases[b.ID] = b.Point
		}
		d.baseIDs[b.ID] = b.ID
	}
	return d
}

// run is what an incidentDecoder made of a run of features.
type run = loader.Run[Incident, Problem]

// Take decodes the feature at the start of rest the fast way, and returns
// its length, or 0 when it must be scanned and read by Feature instead.
func (d *incidentDecoder) Take(rest []byte, index int, out *run) int {
	n := d.fast.ParseObject(rest)
	if n == 0 {
		return 0
	}
	f := featureProblems{file: IncidentsFile, index: index, problems: &out.Problems}
	if pt, ok := f.checkFast(&d.fast); ok {
		d.add(&f, (*incidentProperties)(&d.fast.Props), pt, index, out)
	}
	return n
}

// Feature decodes one raw feature, the fast way when it can.
func (d *incidentDecoder) Feature(raw []byte, at int64, index int, out *run) {
	f := featureProblems{file: IncidentsFile, index: index, problems: &out.Problems}
	before := len(out.Problems)
	defer func() { placeInFile(out.Problems[before:], at) }()
	var (
		p  *incidentProperties
		pt orb.Point
		ok bool
	)
	if d.fast.Parse(raw) {
		p = (*incidentProperties)(&d.fast.Props)
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
func (d *incidentDecoder) add(f *featureProblems, p *incidentProperties, pt orb.Point, index int, out *run) {
	inc, ok := p.incident(f, pt, d.bases, d.keep)
	if !ok {
		return
	}
	d.keep.incident(&inc, d.baseIDs)
	out.Items = append(out.Items, inc)
	out.Index = append(out.Index, int32(index))
}

// fileIncidents is the valid incidents of a file in file order, with each
// one's feature index.
type fileIncidents struct {
	incidents []Incident
	index     []int32
}

// readIncidents decodes and checks every incident feature of r, in
// parallel, and writes a hash of the file into h. size is the file's
// length, or -1 when it is unknown.
//
// The incidents are the largest part of a dataset (200 MB for a million),
// so they are copied once, into a slice sized from the first chunk's
// features per byte and the file's size, while the decoders' buffers go
// back to them; the dataset is then sorted in place.
//
// When checkBases is false (bases.geojson had problems, so its list of
// bases is incomplete), the incidents' references to bases are not
// checked: a broken base would otherwise be reported again at every
// incident that names it.
func readIncidents(r io.Reader, size int64, h hash.Hash, opts loader.Options, bases []Base, checkBases bool, problems *[]Problem) (fileIncidents, error) {
	var all fileIncidents
	c, err := loader.ScanFile(r, size, h, opts, func() loader.Decoder[Incident, Problem] { return newIncidentDecoder(bases, checkBases) }, func(first int, read int64, out *run) {
		for _, p := range out.Problems {
			p.Index += first
			*problems = append(*problems, p)
		}
		if all.incidents == nil && size > 0 && read > 0 {
			features := first + out.Features
			estimate := int(float64(features)*float64(size)/float64(read)*1.02) + 1024
			all.incidents = make([]Incident, 0, estimate)
			all.index = make([]int32, 0, estimate)
		}
		all.incidents = append(all.incidents, out.Items...)
		for _, i := range out.Index {
			all.index = append(all.index, int32(first)+i)
		}
	})
	if err == nil {
		addFileProblem(IncidentsFile, c, problems)
	}
	return all, err
}

// idEntry is an incident's id with where it is, for sorting by id.
type idEntry struct {
	id      string
	pos     int32 // position in file order among the valid incidents
	feature int32 // feature index in the file
}

func (all *fileIncidents) idEntries() []idEntry {
	ids := make([]idEntry, len(all.incidents))
	for p := range all.incidents {
		ids[p] = idEntry{id: all.incidents[p].ID, pos: int32(p), feature: all.index[p]}
	}
	return ids
}

// sortIDs reports every id given twice (see sortIDs).
func (all *fileIncidents) sortIDs(problems *[]Problem) {
	sortIDs(all.idEntries(), problems)
}

// sortIDs sorts ids by id and reports each one that is given twice, at
// the later feature.
func sortIDs(ids []idEntry, problems *[]Problem) {
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
}
