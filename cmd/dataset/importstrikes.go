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

// strikes runs "dataset import strikes": it merges a CSV with the columns
// of /api/strikes.csv into DIR's strikes.geojson by id.
func (im *importer) strikes(args []string) int {
	fl := flag.NewFlagSet("import strikes", flag.ContinueOnError)
	fl.SetOutput(im.stderr)
	var into string
	var strict, dryRun bool
	fl.StringVar(&into, "into", ".", "dataset `DIR` to merge into: its incidents are what in_response_to may name; its strikes.geojson (created if absent) is rewritten")
	fl.BoolVar(&strict, "strict", false, "write nothing, and exit 1, if any row is rejected")
	fl.BoolVar(&dryRun, "dry-run", false, "report what the import would do, and write nothing")
	fl.Usage = func() {
		fmt.Fprint(im.stderr, "Usage: dataset import strikes FILE.csv [-into DIR] [flags]\n\nMerges a CSV with the columns of /api/strikes.csv, one strike a row, into DIR's\nstrikes.geojson by id: export, edit in a spreadsheet, import. docs/import.md has the details.\n\nFlags:\n")
		fl.PrintDefaults()
	}
	pos, err := parseArgs(fl, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageError(im.stderr, fl, "want one CSV file, got %d arguments", len(pos))
	}
	if err := im.mergeStrikes(pos[0], into, strict, dryRun); err != nil {
		fmt.Fprintf(im.stderr, "dataset import: %v\n", err)
		return exitFail
	}
	return exitOK
}

// mergeStrikes reads file's rows, validates each as the loader would
// against DIR's incidents, merges them by id into DIR's strikes, and only
// then replaces strikes.geojson, atomically. On any error nothing is
// written.
func (im *importer) mergeStrikes(file, into string, strict, dryRun bool) error {
	invalid := func(err error) error {
		return fmt.Errorf("%s is not a valid dataset; fix it first (dataset validate %s):\n%w", into, into, err)
	}
	basesJSON, err := os.ReadFile(filepath.Join(into, geo.BasesFile))
	if err != nil {
		return fmt.Errorf("%w (the -into directory must hold the dataset's %s)", err, geo.BasesFile)
	}
	withBases, err := geo.Parse(basesJSON, []byte(`{"type": "FeatureCollection", "features": []}`))
	if err != nil {
		return invalid(err)
	}
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	batch, err := ingest.ReadStrikes(in, filepath.Base(file))
	if err != nil {
		return err
	}
	path := filepath.Join(into, geo.StrikesFile)
	existingJSON, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		existingJSON, err = []byte(`{"type": "FeatureCollection", "features": []}`), nil
	}
	if err != nil {
		return err
	}
	// The incidents are read once, each checked as the server checks it,
	// and only the ids the strikes name are kept: the strikes are small,
	// the incidents may be millions.
	named := map[string]bool{}
	refs, err := geo.StrikeReferences(existingJSON)
	if err != nil {
		return invalid(err)
	}
	for _, s := range batch.Strikes {
		refs = append(refs, s.InResponseTo...)
	}
	for _, id := range refs {
		named[id] = true
	}
	incidents := geo.IncidentIDs{}
	err = geo.ScanIncidents(os.DirFS(into), withBases.Bases, func(id string, _ []byte) error {
		if named[id] {
			incidents[strings.Clone(id)] = true
		}
		return nil
	})
	if err != nil {
		return invalid(err)
	}
	existing, err := incidents.ParseStrikes(existingJSON)
	if err != nil {
		return invalid(err)
	}
	if err := batch.Validate(incidents); err != nil {
		return err
	}
	for _, r := range batch.Rejected {
		fmt.Fprintln(im.stderr, r)
	}
	merged, counts := ingest.MergeStrikes(existing, batch.Strikes)
	counts.Rejected = len(batch.Rejected)
	fmt.Fprintf(im.stdout, "added %d, updated %d, unchanged %d, rejected %d (kept %d others)\n",
		counts.Added, counts.Updated, counts.Unchanged, counts.Rejected, counts.Kept)
	switch {
	case strict && counts.Rejected > 0:
		return fmt.Errorf("-strict: %d rows rejected; %s not written", counts.Rejected, path)
	case dryRun:
		fmt.Fprintf(im.stdout, "dry run: %s not written\n", path)
		return nil
	case counts.Added == 0 && counts.Updated == 0:
		fmt.Fprintf(im.stdout, "%s unchanged\n", path)
		return nil
	}
	out, err := geo.MarshalStrikes(merged)
	if err != nil {
		return err
	}
	// The merged file must load as the server loads it before it replaces
	// the old one.
	if _, err := incidents.ParseStrikes(out); err != nil {
		return fmt.Errorf("the merged strikes do not validate; %s not written:\n%w", path, err)
	}
	if err := im.write(path, func(w io.Writer) error { _, err := w.Write(out); return err }); err != nil {
		return err
	}
	fmt.Fprintf(im.stdout, "wrote %s: %d strikes\n", path, len(merged))
	return nil
}
