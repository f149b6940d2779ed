// Command dataset manages a strikemap dataset directory (bases.geojson and
// incidents.geojson): it imports ACLED exports and other spreadsheets into it,
// validates it as the server does, and counts what it holds.
//
//	go run ./cmd/dataset import acled FILE.csv -into DIR [filters]
//	go run ./cmd/dataset import csv FILE.csv -map 'lat=Lat,...' -into DIR
//	go run ./cmd/dataset import strikes strikes.csv -into DIR
//	go run ./cmd/dataset validate DIR
//	go run ./cmd/dataset stats DIR
//	go run ./cmd/dataset synth -n 1000000 -seed 1 DIR
//	go run ./cmd/dataset db import DIR -db sqlite:record.db
//	go run ./cmd/dataset db export -db sqlite:record.db DIR
//	go run ./cmd/dataset user add NAME -role editor -db sqlite:record.db < password.txt
//	go run ./cmd/dataset user add NAME -role editor -link -base-url https://example.org -db sqlite:record.db
//
// docs/import.md explains each step.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"strikemap/internal/atomicfile"
)

const usage = `Usage: dataset <command> [arguments]

Manages a strikemap dataset directory (bases.geojson and incidents.geojson).

Commands:
  import acled FILE.csv [-into DIR] [filters]   merge an ACLED export into DIR
  import csv FILE.csv -map MAPPING [-into DIR]  merge a spreadsheet into DIR
  import strikes FILE.csv [-into DIR]           merge strikes (the columns of /api/strikes.csv) into DIR
  validate DIR                                  check DIR as the server does
  stats DIR                                     count incidents by base, weapon, status, month
  synth -n N [-seed S] DIR                      write N synthetic incidents, for benchmarks
  db import DIR -db URL                         load DIR into a database (sqlite:PATH or postgres://...)
  db export -db URL DIR                         write a database's dataset back into DIR
  user add|link|list|disable|enable ... -db URL manage the accounts of a database

Run "dataset <command> -h" for a command's flags. docs/import.md has the details.
`

func main() {
	os.Exit(runIn(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // the data is invalid, or the import failed: nothing was written
	exitUsage = 2 // the command line is wrong
)

// run runs the command line args with nothing on stdin.
func run(args []string, stdout, stderr io.Writer) int {
	return runIn(args, strings.NewReader(""), stdout, stderr)
}

// runIn runs the command line args and returns the exit status.
func runIn(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "import":
		im := &importer{stdout: stdout, stderr: stderr, write: atomicfile.WriteFunc}
		return im.run(args[1:])
	case "validate":
		return runValidate(args[1:], stdout, stderr)
	case "stats":
		return runStats(args[1:], stdout, stderr)
	case "synth":
		return runSynth(args[1:], stdout, stderr)
	case "db":
		return runDB(args[1:], stdout, stderr)
	case "user":
		return runUser(args[1:], stdin, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "dataset: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// parseArgs parses flags that may come before, between or after the
// positional arguments ("import acled FILE.csv -into DIR"), which the flag
// package alone does not allow, and returns the positional ones.
func parseArgs(fl *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		args = fl.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// usageError reports a wrong command line.
func usageError(stderr io.Writer, fl *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(stderr, "dataset %s: %s\n", fl.Name(), fmt.Sprintf(format, args...))
	fmt.Fprintf(stderr, "Run \"dataset %s -h\" for help.\n", fl.Name())
	return exitUsage
}

// flagExit turns a flag parsing error into an exit status: -h is success.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// listFlag is a comma-separated list flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}
