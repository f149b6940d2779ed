package geo

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"strings"

	"github.com/paulmach/orb"

	"strikemap/internal/geo/loader"
)

// ScanIncidents checks fsys's incidents.geojson as Load does (every
// feature decoded and checked against bases on every core, ids unique) but
// keeps no incident: it calls fn, in file order, with each feature's id and
// its raw JSON, exactly as the file has it, both valid only during the
// call. It is how an import rewrites a large file in one pass, copying the
// features it does not touch byte for byte (see IncidentWriter.WriteRaw),
// in the memory of the ids and a few chunks of the file.
//
// Any problem with the file gives a *ValidationError listing every one, as
// Load's; fn is not called once a problem is found, and the first error fn
// returns ends the calls and is returned. bases must be valid (the Bases of
// a Dataset).
func ScanIncidents(fsys fs.FS, bases []Base, fn func(id string, raw []byte) error) error {
	f, err := fsys.Open(IncidentsFile)
	if err != nil {
		return fmt.Errorf("read %s: %w", IncidentsFile, err)
	}
	defer f.Close()
	size := int64(-1)
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = info.Size()
	}
	var problems []Problem
	first := map[string]int32{} // each id and the feature that has it
	var fnErr error
	c, err := loader.ScanFile(f, size, crc32.NewIEEE(), loader.Options{}, func() loader.Decoder[rawIncident, Problem] {
		return &rawDecoder{dec: newIncidentDecoder(bases, true)}
	}, func(firstIndex int, _ int64, out *loader.Run[rawIncident, Problem]) {
		for _, p := range out.Problems {
			p.Index += firstIndex
			problems = append(problems, p)
		}
		for k, inc := range out.Items {
			index := int32(firstIndex) + out.Index[k]
			if j, dup := first[inc.id]; dup {
				problems = append(problems, Problem{File: IncidentsFile, Index: int(index), ID: strings.Clone(inc.id), Field: "id",
					Reason: fmt.Sprintf("%q is also the id of feature %d: ids must be unique", inc.id, j)})
				continue
			}
			first[strings.Clone(inc.id)] = index
			if fnErr == nil && len(problems) == 0 {
				fnErr = fn(inc.id, inc.raw)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("read %s: %w", IncidentsFile, err)
	}
	addFileProblem(IncidentsFile, c, &problems)
	if len(problems) > 0 {
		placeProblems(problems, func(name string) (io.ReadCloser, error) { return fsys.Open(name) })
		return &ValidationError{Problems: problems}
	}
	return fnErr
}

// rawIncident is a valid incident feature as ScanIncidents hands it out:
// its id and bytes, views of the loader's buffer.
type rawIncident struct {
	id  string
	raw []byte
}

// rawDecoder checks incident features as the loader's incidentDecoder
// does, and keeps each valid one's id and bytes instead of the incident.
type rawDecoder struct {
	dec  *incidentDecoder
	keep keeper
}

func (d *rawDecoder) Take(rest []byte, index int, out *loader.Run[rawIncident, Problem]) int {
	n := d.dec.fast.ParseObject(rest)
	if n == 0 {
		return 0
	}
	f := featureProblems{file: IncidentsFile, index: index, problems: &out.Problems}
	if pt, ok := f.checkFast(&d.dec.fast); ok {
		// rest is the chunk's buffer, which outlives the run's take.
		d.check(&f, (*incidentProperties)(&d.dec.fast.Props), pt, rest[:n], index, out)
	}
	return n
}

func (d *rawDecoder) Feature(raw []byte, at int64, index int, out *loader.Run[rawIncident, Problem]) {
	f := featureProblems{file: IncidentsFile, index: index, problems: &out.Problems}
	before := len(out.Problems)
	defer func() { placeInFile(out.Problems[before:], at) }()
	// raw may be the scanner's buffer for a feature across two chunks,
	// which the next such feature reuses: keep a copy.
	raw = bytes.Clone(raw)
	var (
		p  *incidentProperties
		pt orb.Point
		ok bool
	)
	if d.dec.fast.Parse(raw) {
		p = (*incidentProperties)(&d.dec.fast.Props)
		pt, ok = f.checkFast(&d.dec.fast)
	} else {
		p = new(incidentProperties)
		pt, ok = f.decodeFeature(raw, p)
	}
	if ok {
		d.check(&f, p, pt, raw, index, out)
	}
}

func (d *rawDecoder) check(f *featureProblems, p *incidentProperties, pt orb.Point, raw []byte, index int, out *loader.Run[rawIncident, Problem]) {
	// The incident is checked and dropped: what it allocates (its sources)
	// is garbage at once.
	if _, ok := p.incident(f, pt, d.dec.bases, &d.keep); !ok {
		return
	}
	out.Items = append(out.Items, rawIncident{id: f.id, raw: raw})
	out.Index = append(out.Index, int32(index))
}
