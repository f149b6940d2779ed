package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"strikemap/internal/geo"
	"strikemap/internal/ingest"
)

// importer runs "dataset import". write replaces a file atomically with
// what fill writes; tests put a failing one in its place.
type importer struct {
	stdout, stderr io.Writer
	write          func(path string, fill func(io.Writer) error) error
}

// importFlags are the flags both formats take.
type importFlags struct {
	into     string
	radiusKm float64
	strict   bool
	dryRun   bool
}

func (f *importFlags) register(fl *flag.FlagSet) {
	fl.StringVar(&f.into, "into", ".", "dataset `DIR` to merge into: its bases.geojson gives the target bases; its incidents.geojson (created if absent) is rewritten")
	fl.Float64Var(&f.radiusKm, "radius-km", 5, "an event within this many `km` of a base targets the nearest base (great-circle distance)")
	fl.BoolVar(&f.strict, "strict", false, "write nothing, and exit 1, if any row is rejected")
	fl.BoolVar(&f.dryRun, "dry-run", false, "report what the import would do, and write nothing")
}

func (im *importer) run(args []string) int {
	if len(args) == 0 || (args[0] != "acled" && args[0] != "csv" && args[0] != "strikes") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(im.stdout, "Usage: dataset import acled|csv|strikes FILE.csv [flags]\n\nRun \"dataset import acled -h\", \"dataset import csv -h\" or \"dataset import strikes -h\" for the flags.\n")
			return exitOK
		}
		fmt.Fprint(im.stderr, "dataset import: want a format, acled, csv or strikes: dataset import acled|csv|strikes FILE.csv [flags]\n")
		return exitUsage
	}
	switch args[0] {
	case "acled":
		return im.acled(args[1:])
	case "strikes":
		return im.strikes(args[1:])
	}
	return im.csv(args[1:])
}

func (im *importer) acled(args []string) int {
	fl := flag.NewFlagSet("import acled", flag.ContinueOnError)
	fl.SetOutput(im.stderr)
	var common importFlags
	common.register(fl)
	var countries, eventTypes, subEventTypes listFlag
	var from, to, actor string
	var nearKm float64
	fl.Var(&countries, "country", "keep rows of these `countries`, comma-separated, as ACLED names them (e.g. Iraq,Syria)")
	fl.StringVar(&from, "from", "", "keep rows whose date span ends on or after this `YYYY-MM-DD`")
	fl.StringVar(&to, "to", "", "keep rows whose date span starts on or before this `YYYY-MM-DD`")
	fl.Var(&eventTypes, "event-type", "keep rows of these event `types`, comma-separated (e.g. Explosions/Remote violence)")
	fl.Var(&subEventTypes, "sub-event-type", "keep rows of these sub-event `types`, comma-separated (e.g. Air/drone strike,Shelling/artillery/missile attack)")
	fl.StringVar(&actor, "actor", "", "keep rows whose actor1 or assoc_actor_1 contains this `text` (any case)")
	fl.Float64Var(&nearKm, "near-bases", 0, "keep rows within this many `km` of any base of the dataset (0: no limit)")
	fl.Usage = func() {
		fmt.Fprint(im.stderr, "Usage: dataset import acled FILE.csv [-into DIR] [flags]\n\nMerges an ACLED export (either column layout) into DIR's incidents.geojson by\nid (acled-<event_id_cnty>). docs/import.md gives the mapping.\n\nFlags:\n")
		fl.PrintDefaults()
	}
	pos, err := parseArgs(fl, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageError(im.stderr, fl, "want one ACLED CSV file, got %d arguments", len(pos))
	}
	filter := ingest.ACLEDFilter{Countries: countries, EventTypes: eventTypes, SubEventTypes: subEventTypes, Actor: actor, NearBasesKm: nearKm}
	for _, d := range []struct {
		name string
		s    string
		dst  **geo.Date
	}{{"from", from, &filter.From}, {"to", to, &filter.To}} {
		if d.s == "" {
			continue
		}
		day, err := geo.ParseDate(d.s)
		if err != nil {
			return usageError(im.stderr, fl, "-%s: %v", d.name, err)
		}
		*d.dst = &day
	}
	if nearKm < 0 || common.radiusKm < 0 {
		return usageError(im.stderr, fl, "distances must not be negative")
	}
	return im.merge(pos[0], common, func(r io.Reader, name string, bases []geo.Base) (*ingest.Batch, error) {
		return ingest.ReadACLED(r, name, ingest.ACLEDOptions{Bases: bases, RadiusKm: common.radiusKm, Filter: filter})
	})
}

func (im *importer) csv(args []string) int {
	fl := flag.NewFlagSet("import csv", flag.ContinueOnError)
	fl.SetOutput(im.stderr)
	var common importFlags
	common.register(fl)
	var mapping string
	fl.StringVar(&mapping, "map", "", "which column holds each field: 'field=Column,...'; fields: "+strings.Join(ingest.MappingFields(), ", ")+"; required: lat, lon, date, source_publisher, source_says")
	fl.Usage = func() {
		fmt.Fprint(im.stderr, "Usage: dataset import csv FILE.csv -map MAPPING [-into DIR] [flags]\n\nMerges a spreadsheet, one incident a row, into DIR's incidents.geojson by id.\ndocs/import.md has an example file and its mapping.\n\nFlags:\n")
		fl.PrintDefaults()
	}
	pos, err := parseArgs(fl, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageError(im.stderr, fl, "want one CSV file, got %d arguments", len(pos))
	}
	if mapping == "" {
		return usageError(im.stderr, fl, "-map is required")
	}
	m, err := ingest.ParseMapping(mapping)
	if err != nil {
		return usageError(im.stderr, fl, "-map: %v", err)
	}
	return im.merge(pos[0], common, func(r io.Reader, name string, bases []geo.Base) (*ingest.Batch, error) {
		return ingest.ReadCSV(r, name, m, ingest.CSVOptions{Bases: bases, RadiusKm: common.radiusKm})
	})
}

// readFunc reads a file's rows into a batch of incidents.
type readFunc func(r io.Reader, name string, bases []geo.Base) (*ingest.Batch, error)

// merge imports file into the dataset directory: it reads the rows, validates
// each, merges them by id, validates the merged dataset as the server would,
// and only then replaces incidents.geojson, atomically. On any error nothing
// is written.
func (im *importer) merge(file string, f importFlags, read readFunc) int {
	counts, err := im.mergeFile(file, f, read)
	if err != nil {
		fmt.Fprintf(im.stderr, "dataset import: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(im.stdout, "added %d, updated %d, unchanged %d, rejected %d (kept %d others, skipped %d by filters)\n",
		counts.Added, counts.Updated, counts.Unchanged, counts.Rejected, counts.Kept, counts.Skipped)
	return exitOK
}

func (im *importer) mergeFile(file string, f importFlags, read readFunc) (ingest.Counts, error) {
	basesPath := filepath.Join(f.into, geo.BasesFile)
	incidentsPath := filepath.Join(f.into, geo.IncidentsFile)
	basesJSON, err := os.ReadFile(basesPath)
	if err != nil {
		return ingest.Counts{}, fmt.Errorf("%w (the -into directory must hold the dataset's %s)", err, geo.BasesFile)
	}
	invalid := func(err error) error {
		return fmt.Errorf("%s is not a valid dataset; fix it first (dataset validate %s):\n%w", f.into, f.into, err)
	}
	// The bases alone: the existing incidents are read once, below, as
	// they are rewritten, never held.
	withBases, err := geo.Parse(basesJSON, []byte(`{"type": "FeatureCollection", "features": []}`))
	if err != nil {
		return ingest.Counts{}, invalid(err)
	}
	_, err = os.Stat(incidentsPath)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ingest.Counts{}, err
	}

	in, err := os.Open(file)
	if err != nil {
		return ingest.Counts{}, err
	}
	defer in.Close()
	batch, err := read(in, filepath.Base(file), withBases.Bases)
	if err != nil {
		return ingest.Counts{}, err
	}
	// The server's own validation of every row.
	if err := batch.Validate(basesJSON); err != nil {
		return ingest.Counts{}, err
	}
	for _, r := range batch.Rejected {
		fmt.Fprintln(im.stderr, r)
	}
	if f.strict && len(batch.Rejected) > 0 {
		return ingest.Counts{}, fmt.Errorf("-strict: %d rows rejected; %s not written", len(batch.Rejected), incidentsPath)
	}

	// One pass over the existing file: every feature checked as the
	// server checks it, ids unique (geo.ScanIncidents); the ones the
	// import does not replace copied byte for byte, so, the new rows being
	// valid and their ids merged, the file written loads as the old one did.
	scan := func(fn func(id string, raw []byte) error) error {
		if !exists {
			return nil
		}
		err := geo.ScanIncidents(os.DirFS(f.into), withBases.Bases, fn)
		if ve := (*geo.ValidationError)(nil); errors.As(err, &ve) {
			return invalid(err)
		}
		return err
	}
	decode := func(raw []byte) (geo.Incident, error) {
		one, err := geo.Parse(basesJSON, append(append([]byte(`{"type":"FeatureCollection","features":[`), raw...), "]}"...))
		if err != nil {
			return geo.Incident{}, err
		}
		return *one.Incidents[0], nil
	}
	var counts ingest.Counts
	merge := func(w io.Writer) error {
		out := geo.NewIncidentWriter(w)
		var err error
		counts, err = ingest.MergeFile(scan, decode, batch.Incidents, out)
		counts.Rejected, counts.Skipped = len(batch.Rejected), batch.Skipped
		if err != nil {
			return err
		}
		if exists && counts.Added == 0 && counts.Updated == 0 {
			return errUnchanged
		}
		return out.Close()
	}
	if f.dryRun {
		if err := merge(io.Discard); err != nil && !errors.Is(err, errUnchanged) {
			return counts, err
		}
		fmt.Fprintf(im.stdout, "dry run: %s not written\n", incidentsPath)
		return counts, nil
	}
	// Into a temporary file that replaces the old one only when complete.
	err = im.write(incidentsPath, merge)
	if errors.Is(err, errUnchanged) {
		fmt.Fprintf(im.stdout, "%s unchanged\n", incidentsPath)
		return counts, nil
	}
	if err != nil {
		return counts, err
	}
	fmt.Fprintf(im.stdout, "wrote %s: %d incidents\n", incidentsPath, counts.Kept+counts.Updated+counts.Unchanged+counts.Added)
	return counts, nil
}

// errUnchanged ends a merge that would write the file as it is.
var errUnchanged = errors.New("unchanged")
