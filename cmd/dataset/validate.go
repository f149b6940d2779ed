package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"strikemap/internal/geo"
)

// runValidate checks a dataset directory with the server's own validation.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("validate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprint(stderr, "Usage: dataset validate DIR\n\nChecks bases.geojson and incidents.geojson in DIR exactly as the server does\nbefore serving them. Exits 1 listing every problem by file, feature, id and\nfield; exits 0 with a one-line summary.\n")
	}
	pos, err := parseArgs(fl, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, fl, "want one dataset directory, got %d arguments", len(pos))
	}
	dir := pos[0]
	d, err := geo.Load(os.DirFS(dir))
	if err != nil {
		fmt.Fprintf(stderr, "%s: invalid: %v\n", dir, err)
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: valid: %s\n", dir, summary(d))
	return exitOK
}

// summary describes a dataset in one line.
func summary(d *geo.Dataset) string {
	s := fmt.Sprintf("%d bases, %d incidents", len(d.Bases), len(d.Incidents))
	if first, last, ok := d.Span(); ok {
		s += fmt.Sprintf(" from %s to %s", first, last)
	}
	if len(d.OfficialCounts) > 0 {
		s += fmt.Sprintf(", %d official counts", len(d.OfficialCounts))
	}
	if len(d.Strikes) > 0 {
		s += fmt.Sprintf(", %d strike", len(d.Strikes))
		if len(d.Strikes) > 1 {
			s += "s"
		}
	}
	return s + ", version " + d.Version
}
