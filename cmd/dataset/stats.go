package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"

	"strikemap/internal/geo"
)

// runStats prints a dataset's incident counts by base, weapon, status and
// month.
func runStats(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("stats", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprint(stderr, "Usage: dataset stats DIR\n\nValidates DIR and prints its incidents counted by target base, weapon,\nstatus and month (of the first day of each incident's date).\n")
	}
	pos, err := parseArgs(fl, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, fl, "want one dataset directory, got %d arguments", len(pos))
	}
	d, err := geo.Load(os.DirFS(pos[0]))
	if err != nil {
		fmt.Fprintf(stderr, "%s: invalid: %v\n", pos[0], err)
		return exitFail
	}
	if err := writeStats(stdout, pos[0], d); err != nil {
		fmt.Fprintf(stderr, "dataset stats: %v\n", err)
		return exitFail
	}
	return exitOK
}

// count is one line of a table.
type count struct {
	key string
	n   int
}

// writeStats writes the tables as aligned plain text.
func writeStats(w io.Writer, dir string, d *geo.Dataset) error {
	byBase := map[string]int{}
	byWeapon := map[geo.Weapon]int{}
	byStatus := map[geo.Status]int{}
	byMonth := map[string]int{}
	for _, inc := range d.Incidents {
		byBase[inc.Base]++
		byWeapon[inc.Weapon]++
		byStatus[inc.Status]++
		byMonth[inc.Date.String()[:7]]++
	}

	var bases []count
	for _, b := range d.Bases {
		bases = append(bases, count{fmt.Sprintf("%s (%s)", b.Name, b.ID), byBase[b.ID]})
	}
	if n := byBase[""]; n > 0 {
		bases = append(bases, count{"no target base", n})
	}
	var weapons, statuses, months []count
	for _, wp := range geo.Weapons {
		weapons = append(weapons, count{wp.String(), byWeapon[wp]})
	}
	for _, s := range geo.Statuses {
		statuses = append(statuses, count{s.String(), byStatus[s]})
	}
	for m, n := range byMonth {
		months = append(months, count{m, n})
	}
	slices.SortFunc(months, func(a, b count) int { return cmp.Compare(a.key, b.key) })

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s: %s\n", dir, summary(d))
	for _, table := range []struct {
		title string
		rows  []count
	}{{"base", bases}, {"weapon", weapons}, {"status", statuses}, {"month", months}} {
		fmt.Fprintf(tw, "\n%s\tincidents\n", table.title)
		for _, r := range table.rows {
			fmt.Fprintf(tw, "%s\t%d\n", r.key, r.n)
		}
	}
	return tw.Flush()
}
