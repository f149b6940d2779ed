//go:build ignore

// racecovered reads the `go test -json` output of .ci/run's race pass on
// stdin, prints it as go test prints without -json (each package's result,
// and the whole output of each test that failed), and writes to the file
// named by its argument, one line per package, the top-level tests that
// the plain pass after it need not run again: those that passed under the
// race detector, with no subtest skipped and no line of their output
// saying that they check less under it (lessUnderRace). The race detector
// adds checks and removes none, so such a test's assertions have run.
//
// A line is the package's import path, a space and a -skip pattern
// ("^(TestA|TestB)$", matched against top-level names only), or the path
// alone when nothing is to be skipped.
//
//	go test -race -json ./pkg/... | go run .ci/racecovered.go covered.txt
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
)

// lessUnderRace is what a test logs when, under the race detector, it
// checks less than in the plain pass (fewer cases, a looser bound): such a
// test still runs in the plain pass. The tests log testenv.LessUnderRace,
// whose words these must be (internal/testenv's TestLessUnderRaceInCI).
const lessUnderRace = "checks less under the race detector"

type event struct {
	Action     string
	Package    string
	ImportPath string // build-output and build-fail
	Test       string
	Output     string
}

type test struct {
	output    strings.Builder
	passed    bool
	weakened  bool // it, or a subtest, skipped or logged lessUnderRace
	topLevel  bool
	pkg, name string
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go test -race -json PKGS | go run .ci/racecovered.go OUT")
		os.Exit(2)
	}
	tests := map[string]*test{} // by package + " " + name
	var pkgs []string
	seen := map[string]bool{}
	in := bufio.NewReader(os.Stdin)
	dec := json.NewDecoder(in)
	for {
		var e event
		if err := dec.Decode(&e); err == io.EOF {
			break
		} else if err != nil {
			// Not JSON (go test's own error before any test ran): pass
			// the rest through as it is.
			rest, _ := io.ReadAll(io.MultiReader(dec.Buffered(), in))
			os.Stdout.Write(rest)
			break
		}
		switch e.Action {
		case "build-output":
			fmt.Print(e.Output)
			continue
		case "build-fail":
			continue
		}
		if e.Test == "" {
			if e.Action == "output" {
				fmt.Print(e.Output)
			}
			if !seen[e.Package] {
				seen[e.Package] = true
				pkgs = append(pkgs, e.Package)
			}
			continue
		}
		key := e.Package + " " + e.Test
		tt := tests[key]
		if tt == nil {
			tt = &test{pkg: e.Package, name: e.Test, topLevel: !strings.Contains(e.Test, "/")}
			tests[key] = tt
		}
		switch e.Action {
		case "output":
			tt.output.WriteString(e.Output)
			if strings.Contains(e.Output, lessUnderRace) {
				weaken(tests, e.Package, e.Test)
			}
		case "skip":
			weaken(tests, e.Package, e.Test)
		case "pass":
			tt.passed = true
		case "fail":
			fmt.Print(tt.output.String())
		}
	}
	covered := map[string][]string{}
	for _, tt := range tests {
		if tt.topLevel && tt.passed && !tt.weakened {
			covered[tt.pkg] = append(covered[tt.pkg], tt.name)
		}
	}
	sort.Strings(pkgs)
	var b strings.Builder
	for _, p := range pkgs {
		names := covered[p]
		slices.Sort(names)
		if len(names) == 0 {
			fmt.Fprintln(&b, p)
			continue
		}
		fmt.Fprintf(&b, "%s ^(%s)$\n", p, strings.Join(names, "|"))
	}
	if err := os.WriteFile(os.Args[1], []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// weaken marks a test and the tests above it as not wholly run.
func weaken(tests map[string]*test, pkg, name string) {
	for {
		key := pkg + " " + name
		tt := tests[key]
		if tt == nil {
			tt = &test{pkg: pkg, name: name, topLevel: !strings.Contains(name, "/")}
			tests[key] = tt
		}
		tt.weakened = true
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			return
		}
		name = name[:i]
	}
}
