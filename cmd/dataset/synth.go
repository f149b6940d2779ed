package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"strikemap/data"
	"strikemap/internal/atomicfile"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// runSynth writes a synthetic dataset for load and scale tests: the shipped
// bases, and N fake incidents clustered round them and round synthetic
// population centres. The same -n and -seed always give the same bytes.
func runSynth(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("synth", flag.ContinueOnError)
	fl.SetOutput(stderr)
	n := fl.Int("n", 100000, "number of incidents")
	seed := fl.Uint64("seed", 1, "random seed: the same seed gives the same data")
	force := fl.Bool("force", false, "replace the bases.geojson and incidents.geojson already in DIR")
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage: dataset synth -n N [-seed S] [-force] DIR\n\nWrites DIR/bases.geojson and DIR/incidents.geojson with N synthetic incidents,\nfor benchmarks only: the incidents are fake and say so. A DIR that already\nholds either file is refused without -force, so that an imported dataset\nis never replaced by mistake.\n\n")
		fl.PrintDefaults()
	}
	pos, err := parseArgs(fl, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, fl, "give one output directory")
	}
	if *n < 0 || *n > 50_000_000 {
		return usageError(stderr, fl, "-n %d is not 0 to 50000000", *n)
	}
	dir := pos[0]
	if !*force {
		for _, name := range []string{geo.BasesFile, geo.IncidentsFile} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				fmt.Fprintf(stderr, "dataset synth: %s already holds %s: give -force to replace it with synthetic data, or another directory\n", dir, name)
				return exitFail
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(stderr, "dataset synth:", err)
		return exitFail
	}
	shipped, err := geo.Load(data.FS)
	if err != nil {
		fmt.Fprintln(stderr, "dataset synth:", err)
		return exitFail
	}
	basesJSON, _ := data.FS.ReadFile(geo.BasesFile)
	start := time.Now()
	if err := atomicfile.Write(filepath.Join(dir, geo.BasesFile), basesJSON); err != nil {
		fmt.Fprintln(stderr, "dataset synth:", err)
		return exitFail
	}
	err = atomicfile.WriteFunc(filepath.Join(dir, geo.IncidentsFile), func(w io.Writer) error {
		return synth.WriteIncidents(w, synth.Config{N: *n, Seed: *seed, Bases: shipped.Bases})
	})
	if err != nil {
		fmt.Fprintln(stderr, "dataset synth:", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "wrote %d synthetic incidents to %s in %s\n", *n, dir, time.Since(start).Round(time.Millisecond))
	return exitOK
}
