package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"text/tabwriter"
	"time"

	"strikemap/internal/geo"
)

// runStats prints a dataset's incident counts by base, weapon, status and
// month.
func runStats(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("stats", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprint(stderr, "Usage: dataset stats DIR\n\nValidates DIR and prints its incidents counted by target base, weapon,\nstatus and month (of the first day of each incident's date). The months run\nfrom the first to the last without a break, so a month with no incident shows\nas 0, and each is split by status (confirmed, reported, claimed), with the strikes\nmade in response and, when DIR holds official-counts.json, the last official\ncount of the month beside the incidents mapped by that day.\n")
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
	byMonth := map[string]map[geo.Status]int{}
	for _, inc := range d.Incidents {
		byBase[inc.Base]++
		byWeapon[inc.Weapon]++
		byStatus[inc.Status]++
		m := inc.Date.String()[:7]
		if byMonth[m] == nil {
			byMonth[m] = map[geo.Status]int{}
		}
		byMonth[m][inc.Status]++
	}

	var bases []count
	for _, b := range d.Bases {
		bases = append(bases, count{fmt.Sprintf("%s (%s)", b.Name, b.ID), byBase[b.ID]})
	}
	if n := byBase[""]; n > 0 {
		bases = append(bases, count{"no target base", n})
	}
	var weapons, statuses []count
	for _, wp := range geo.Weapons() {
		weapons = append(weapons, count{wp.String(), byWeapon[wp]})
	}
	for _, s := range geo.Statuses() {
		statuses = append(statuses, count{s.String(), byStatus[s]})
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s: %s\n", dir, summary(d))
	for _, table := range []struct {
		title string
		rows  []count
	}{{"base", bases}, {"weapon", weapons}, {"status", statuses}} {
		fmt.Fprintf(tw, "\n%s\tincidents\n", table.title)
		for _, r := range table.rows {
			fmt.Fprintf(tw, "%s\t%d\n", r.key, r.n)
		}
	}
	// Every month from the first to the last, so that a month without any
	// incident shows as a gap (0) rather than disappearing, each split by
	// how well its incidents are attested.
	// Beside them, when the dataset has official counts, the last one of
	// the month and what the dataset maps in its scope by that day: the
	// gap is what the map does not hold. And the strikes made in response.
	strikesByMonth := map[string]int{}
	for _, st := range d.Strikes {
		strikesByMonth[st.Date.String()[:7]]++
	}
	lastCount := map[string]geo.OfficialCount{}
	for _, c := range d.OfficialCounts {
		lastCount[c.Date.String()[:7]] = c // in date order: the last one stays
	}
	fmt.Fprint(tw, "\nmonth\tincidents")
	for _, s := range slices.Backward(geo.Statuses()) {
		fmt.Fprintf(tw, "\t%s", s)
	}
	if len(d.Strikes) > 0 {
		fmt.Fprint(tw, "\tstrikes")
	}
	if len(d.OfficialCounts) > 0 {
		fmt.Fprint(tw, "\tofficial count (last of the month)\tmapped by that day\tnot mapped")
	}
	fmt.Fprintln(tw)
	for _, m := range monthsCovered(byMonth) {
		n := 0
		for _, c := range byMonth[m] {
			n += c
		}
		fmt.Fprintf(tw, "%s\t%d", m, n)
		for _, s := range slices.Backward(geo.Statuses()) {
			fmt.Fprintf(tw, "\t%d", byMonth[m][s])
		}
		if len(d.Strikes) > 0 {
			fmt.Fprintf(tw, "\t%d", strikesByMonth[m])
		}
		if len(d.OfficialCounts) > 0 {
			if c, ok := lastCount[m]; ok {
				mapped := d.MappedBy(c.Date, c.Countries)
				fmt.Fprintf(tw, "\t%s%d by %s (%s)\t%d\t%d", qualifierText(c.Qualifier), c.Count, c.Date, c.Scope, mapped, max(0, c.Count-mapped))
			} else {
				fmt.Fprint(tw, "\t-\t-\t-")
			}
		}
		fmt.Fprintln(tw)
	}
	if n := len(d.OfficialCounts); n > 0 {
		c := d.OfficialCounts[n-1]
		mapped := d.MappedBy(c.Date, c.Countries)
		fmt.Fprintf(tw, "\nThe last official count: %s%d attacks in %s by %s (%s); this dataset maps %d there by then (%d%%).\n",
			qualifierText(c.Qualifier), c.Count, c.Scope, c.Date, c.Source.Publisher, mapped, 100*mapped/c.Count)
		fmt.Fprintln(tw, "The dataset is not the whole record: the months where the official count runs ahead of the incidents mapped are its gaps.")
	}
	return tw.Flush()
}

// qualifierText is how a count's qualifier reads before the number.
func qualifierText(q geo.CountQualifier) string {
	switch q {
	case geo.CountAtLeast:
		return "at least "
	case geo.CountMoreThan:
		return "more than "
	case geo.CountAbout:
		return "about "
	case geo.CountNearly:
		return "nearly "
	}
	return ""
}

// monthsCovered lists every month ("YYYY-MM") from the earliest to the latest
// key of byMonth, including the months between that have no key.
func monthsCovered[V any](byMonth map[string]V) []string {
	if len(byMonth) == 0 {
		return nil
	}
	keys := slices.Sorted(maps.Keys(byMonth))
	first, err := time.Parse("2006-01", keys[0])
	if err != nil {
		return keys
	}
	last, err := time.Parse("2006-01", keys[len(keys)-1])
	if err != nil {
		return keys
	}
	var months []string
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		months = append(months, m.Format("2006-01"))
	}
	return months
}
