package geo

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"strikemap/internal/geo/loader"
)

// The data files a dataset directory holds.
const (
	BasesFile     = "bases.geojson"
	IncidentsFile = "incidents.geojson"
)

// Load reads bases.geojson and incidents.geojson from fsys, validates them
// and returns the dataset, with the optional files read too (readExtras).
// Any problem rejects the whole dataset: the error is
// a *ValidationError listing every problem, or an error naming the file that
// could not be read. The files are streamed, never held whole in memory.
func Load(fsys fs.FS) (*Dataset, error) {
	core, err := LoadCore(fsys)
	if err != nil {
		return nil, err
	}
	return core.WithExtras(fsys)
}

// LoadCore is Load without the optional files (official counts, strikes):
// the bases and incidents alone, which a snapshot holds (WriteSnapshot).
// WithExtras adds the optional files to what it returns.
func LoadCore(fsys fs.FS) (*Dataset, error) {
	bases, err := fsys.Open(BasesFile)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", BasesFile, err)
	}
	defer bases.Close()
	incidents, err := fsys.Open(IncidentsFile)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", IncidentsFile, err)
	}
	defer incidents.Close()
	size := int64(-1)
	if info, err := incidents.Stat(); err == nil && info.Mode().IsRegular() {
		size = info.Size()
	}
	d, err := read(bases, incidents, size, loader.Options{})
	if err != nil {
		if ve := (*ValidationError)(nil); errors.As(err, &ve) {
			placeProblems(ve.Problems, func(name string) (io.ReadCloser, error) { return fsys.Open(name) })
		}
		return nil, err
	}
	return d, nil
}

// WithExtras returns the dataset that Load makes of fsys, given core, the
// bases and incidents LoadCore (or DecodeSnapshot) made of its files: core
// with the optional files read. core itself is left as it is, so that a
// snapshot can still be written of it.
func (core *Dataset) WithExtras(fsys fs.FS) (*Dataset, error) {
	d := *core
	d.whole = sync.OnceValue(d.countWhole)
	if err := d.readExtras(fsys, func(id string) bool { _, ok := d.Incident(id); return ok }); err != nil {
		if ve := (*ValidationError)(nil); errors.As(err, &ve) {
			placeProblems(ve.Problems, func(name string) (io.ReadCloser, error) { return fsys.Open(name) })
		}
		return nil, err
	}
	return &d, nil
}

// Digest returns the Version Load gives the dataset in fsys, without
// decoding or checking its incidents: their file is only read and hashed,
// in the chunks Load hashes, so that it costs the time of reading the file
// and the memory of two chunks, not of a dataset. The bases and the
// optional files (a few KB) are read as Load reads them, so that the bytes
// hashed are the same; their problems are not reported. It is meant for
// a dataset already known to be valid (a record whose changes were checked
// on their own): on one Load refuses it gives no error, and a digest that
// means nothing.
func Digest(fsys fs.FS) (string, error) {
	return DigestOf(fsys, nil)
}

// DigestOf is Digest given the hash of each chunk of incidents.geojson as
// Load cuts it (loader.Chunks, loader.ChunkSum), which a caller that keeps
// them knows without reading the file; nil reads the file as Digest does.
func DigestOf(fsys fs.FS, incidents []uint64) (string, error) {
	h := sha256.New()
	bases, err := fsys.Open(BasesFile)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", BasesFile, err)
	}
	var ignored []Problem
	_, err = readBases(hashReader(bases, h), &ignored)
	bases.Close()
	if err != nil {
		return "", fmt.Errorf("read %s: %w", BasesFile, err)
	}
	h.Write([]byte{0})
	if incidents == nil {
		f, err := fsys.Open(IncidentsFile)
		if err != nil {
			return "", fmt.Errorf("read %s: %w", IncidentsFile, err)
		}
		defer f.Close()
		// The chunks are cut as Load cuts them whatever the size it is
		// told (a file smaller than a chunk is one chunk either way), so
		// the size, which a reader of rows can only estimate, is not asked.
		if err := loader.HashChunks(f, -1, h, loader.Options{}); err != nil {
			return "", fmt.Errorf("read %s: %w", IncidentsFile, err)
		}
	} else {
		for _, sum := range incidents {
			h.Write(binary.LittleEndian.AppendUint64(nil, sum))
		}
	}
	d := &Dataset{Version: hex.EncodeToString(h.Sum(nil))[:12]}
	if err := d.readExtras(fsys, func(string) bool { return true }); err != nil {
		if ve := (*ValidationError)(nil); !errors.As(err, &ve) {
			return "", err
		}
	}
	return d.Version, nil
}

// readExtras reads the optional files of a dataset directory beside its
// bases and incidents: the official counts and the strikes. A file that is
// absent is no data; one that is present must be valid. The dataset's
// Version then covers them too. incident says whether an id is an
// incident's, for the strikes' in_response_to.
func (d *Dataset) readExtras(fsys fs.FS, incident func(id string) bool) error {
	h := sha256.New()
	h.Write([]byte(d.Version))
	found := false
	var problems []Problem
	for _, name := range []string{OfficialCountsFile, StrikesFile} {
		f, err := fsys.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		found = true
		h.Write([]byte{0})
		r := hashReader(f, h)
		switch name {
		case OfficialCountsFile:
			d.OfficialCounts, err = readOfficialCounts(r, &problems)
		case StrikesFile:
			d.Strikes, err = readStrikes(r, incident, &problems)
		}
		f.Close()
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	if found {
		d.Version = hex.EncodeToString(h.Sum(nil))[:12]
	}
	return nil
}

// Parse validates the contents of bases.geojson and incidents.geojson and
// returns the dataset, or a *ValidationError listing every problem.
func Parse(basesJSON, incidentsJSON []byte) (*Dataset, error) {
	return parse(basesJSON, incidentsJSON, loader.Options{})
}

func parse(basesJSON, incidentsJSON []byte, opts loader.Options) (*Dataset, error) {
	d, err := read(bytes.NewReader(basesJSON), bytes.NewReader(incidentsJSON), int64(len(incidentsJSON)), opts)
	if ve := (*ValidationError)(nil); errors.As(err, &ve) {
		placeProblems(ve.Problems, func(name string) (io.ReadCloser, error) {
			if name == BasesFile {
				return io.NopCloser(bytes.NewReader(basesJSON)), nil
			}
			return io.NopCloser(bytes.NewReader(incidentsJSON)), nil
		})
	}
	return d, err
}

// Read is Parse over readers, which cannot be read twice: its syntax
// errors say no line and column. The dataset's Version is a SHA-256 of
// bases.geojson and of the xxhash of each chunk of incidents.geojson: it
// changes whenever a byte of either does.
func Read(basesR, incidentsR io.Reader) (*Dataset, error) {
	return read(basesR, incidentsR, -1, loader.Options{})
}

// read is Read knowing the size of the incidents file (-1 when unknown),
// which lets it size the incidents' memory once, with the loader's options.
func read(basesR, incidentsR io.Reader, size int64, opts loader.Options) (*Dataset, error) {
	h := sha256.New()
	var problems []Problem
	bases, err := readBases(hashReader(basesR, h), &problems)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", BasesFile, err)
	}
	h.Write([]byte{0})
	basesOK := len(problems) == 0
	all, err := readIncidents(incidentsR, size, h, opts, bases, basesOK, &problems)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", IncidentsFile, err)
	}
	if !basesOK {
		problems = append(problems, Problem{File: IncidentsFile, Index: -1,
			Reason: fmt.Sprintf("was read without checking its incidents' bases (base, location_precision \"base\"), because %s has the problems above: fix those first", BasesFile)})
	}
	if len(problems) > 0 {
		all.sortIDs(&problems) // to report duplicate ids too
		return nil, &ValidationError{Problems: problems}
	}
	// Sorting the ids and building the dataset take a core each.
	ids := all.idEntries()
	var dups []Problem
	sorted := make(chan struct{})
	go func() {
		sortIDs(ids, &dups)
		close(sorted)
	}()
	d := newDataset(bases, &all, sorted, ids)
	if len(dups) > 0 {
		return nil, &ValidationError{Problems: dups}
	}
	d.Version = hex.EncodeToString(h.Sum(nil))[:12]
	return d, nil
}

// featureProblems collects the problems of one feature.
type featureProblems struct {
	file     string
	index    int
	id       string
	problems *[]Problem
}

func (f *featureProblems) add(field, format string, args ...any) {
	// The id may point into a buffer that the loader reuses: copy it.
	*f.problems = append(*f.problems, Problem{File: f.file, Index: f.index, ID: strings.Clone(f.id), Field: field, Reason: fmt.Sprintf(format, args...)})
}

func readBases(r io.Reader, problems *[]Problem) ([]Base, error) {
	var bases []Base
	seen := make(map[string]int)
	err := forEachFeature(BasesFile, r, problems, func(i int, raw []byte) {
		f := featureProblems{file: BasesFile, index: i, problems: problems}
		var p baseProperties
		pt, ok := f.decodeFeature(raw, &p)
		if f.id != "" {
			if j, dup := seen[f.id]; dup {
				f.add("id", "%q is also the id of feature %d: ids must be unique", f.id, j)
			}
			seen[f.id] = i
		}
		if !ok {
			return
		}
		b := Base{
			ID: f.id, Point: pt, Name: p.Name, ShortName: p.ShortName, Aliases: p.Aliases, Country: p.Country,
			Admin1: p.Admin1, Kind: BaseKind(p.Kind), ICAO: p.ICAO, IATA: p.IATA,
			CoordSource: p.CoordSource, CoordURL: p.CoordURL, Notes: p.Notes,
		}
		b.check(&f)
		bases = append(bases, b)
	})
	return bases, err
}

// baseProperties is the properties object of a feature in bases.geojson.
type baseProperties struct {
	Name        string   `json:"name"`
	ShortName   string   `json:"short_name"`
	Aliases     []string `json:"aliases"`
	Country     string   `json:"country"`
	Admin1      string   `json:"admin1"`
	Kind        string   `json:"kind"`
	ICAO        string   `json:"icao"`
	IATA        string   `json:"iata"`
	CoordSource string   `json:"coord_source"`
	CoordURL    string   `json:"coord_source_url"`
	Notes       string   `json:"notes"`
}

func (b *Base) check(f *featureProblems) {
	if strings.TrimSpace(b.Name) == "" {
		f.add("name", "is missing: every base needs a name")
	}
	if b.ShortName != "" && strings.TrimSpace(b.ShortName) == "" {
		f.add("short_name", "is blank: leave it out to derive the short name from the name")
	}
	if !upperLetters(b.Country, 2) {
		f.add("country", "%q is not an ISO 3166-1 alpha-2 code such as IQ or SY", b.Country)
	}
	if !slices.Contains(baseKinds, b.Kind) {
		f.add("kind", "%q is not one of %s", b.Kind, oneOf(baseKinds))
	}
	if b.ICAO != "" && !upperLetters(b.ICAO, 4) {
		f.add("icao", "%q is not a 4-letter ICAO code such as ORAA", b.ICAO)
	}
	if b.IATA != "" && !upperLetters(b.IATA, 3) {
		f.add("iata", "%q is not a 3-letter IATA code such as IQA", b.IATA)
	}
	if strings.TrimSpace(b.CoordSource) == "" {
		f.add("coord_source", "is missing: say where the coordinate comes from")
	}
	if b.CoordURL != "" {
		if err := checkHTTPURL(b.CoordURL); err != nil {
			f.add("coord_source_url", "%v", err)
		}
	}
	for i, a := range b.Aliases {
		if strings.TrimSpace(a) == "" {
			f.add(fmt.Sprintf("aliases[%d]", i), "is empty")
		}
	}
}

// incidentProperties is the properties object of a feature in
// incidents.geojson, as the loader reads it (loader.IncidentProperties).
type incidentProperties loader.IncidentProperties

var disputableFields = []string{"date", "weapon", "count", "base", "outcome", "injured", "killed", "claimed_by", "location"}

// DisputableFields returns the incident properties that a "disputed" entry may name.
//
// It is a copy: a caller may change it.
func DisputableFields() []string { return slices.Clone(disputableFields) }

// MaxBaseOffset is how far (in metres, by orb/geo.Distance) a point with
// location_precision "base" may lie from its base's point: rounding to 6
// decimals, no more.
const MaxBaseOffset = 1.0

// incident checks p and turns it into an Incident. bases is nil when the
// references to bases are not to be checked.
func (p *incidentProperties) incident(f *featureProblems, pt orb.Point, bases map[string]orb.Point, k *keeper) (Incident, bool) {
	before := len(*f.problems)
	inc := Incident{
		ID: f.id, Point: pt, Weapon: term(weapons, p.Weapon), Status: term(statuses, p.Status),
		Outcome: p.Outcome, ClaimedBy: p.ClaimedBy,
		LocationPrecision: term(precisions, p.LocationPrecision), Disputed: p.Disputed, Notes: p.Notes,
	}
	inc.Date, inc.DateEnd = f.days(p.Date, p.DateEnd)
	if !slices.Contains(weapons, inc.Weapon) {
		f.add("weapon", "%q is not one of %s", p.Weapon, oneOf(weapons))
	}
	inc.Count = f.number("count", p.Count, 1, "is not a positive number of projectiles (use null when unknown)")
	inc.Injured = f.number("injured", p.Injured, 0, "is negative (use null when unknown)")
	inc.Killed = f.number("killed", p.Killed, 0, "is negative (use null when unknown)")
	if p.Base != nil && *p.Base != "" {
		inc.Base = *p.Base
		if _, ok := bases[inc.Base]; !ok && bases != nil {
			f.add("base", "%q is not the id of any base in %s", inc.Base, BasesFile)
		}
	}
	if !slices.Contains(precisions, inc.LocationPrecision) {
		f.add("location_precision", "%q is not one of %s", p.LocationPrecision, oneOf(precisions))
	} else if inc.LocationPrecision == PrecisionBase && bases != nil {
		if basePt, ok := bases[inc.Base]; !ok {
			f.add("location_precision", `is "base" but the incident has no known target base`)
		} else if d := orbgeo.Distance(basePt, pt); d > MaxBaseOffset {
			f.add("location_precision", `is "base" but the point is %.0f m from base %q's point`, d, inc.Base)
		}
	}
	for i, c := range p.ClaimedBy {
		if strings.TrimSpace(c) == "" {
			f.add(fmt.Sprintf("claimed_by[%d]", i), "is empty")
		}
	}
	for i, d := range p.Disputed {
		if !slices.Contains(disputableFields, d) {
			f.add(fmt.Sprintf("disputed[%d]", i), "%q is not one of %s", d, strings.Join(disputableFields, ", "))
		}
	}
	inc.Sources = f.sources(p.Sources, k, "incident", "")
	f.status(inc.Status, p.Status, inc.Sources, len(p.Sources))
	return inc, len(*f.problems) == before
}

// number checks a count that is at least least, or null.
func (f *featureProblems) number(field string, n *int, least int, tooSmall string) Number {
	switch {
	case n == nil:
		return Number{}
	case *n < least:
		f.add(field, "%d %s", *n, tooSmall)
	case *n > MaxNumber:
		f.add(field, "%d is more than %d", *n, MaxNumber)
	default:
		return Known(*n)
	}
	return Number{}
}
