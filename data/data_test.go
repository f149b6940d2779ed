package data_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// load returns the embedded dataset, failing the test when it is invalid.
func load(t *testing.T) *geo.Dataset {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatalf("the shipped dataset is invalid:\n%v", err)
	}
	return d
}

// TestShippedData checks the embedded dataset: it must load, and every value
// must be traceable to a source named on its feature.
func TestShippedData(t *testing.T) {
	d := load(t)
	for _, id := range []string{
		// The Rudaw article of 22 October 2023.
		"ain-al-asad", "harir", "erbil-airport", "al-tanf",
		// The other sites of the campaign the sources name.
		"baghdad-dsc", "tower-22", "mss-euphrates", "green-village", "shaddadi", "rumalyn", "tal-baydar", "us-embassy-baghdad",
	} {
		if _, ok := d.Base(id); !ok {
			t.Errorf("base %q is missing", id)
		}
	}
	for _, b := range d.Bases {
		if b.CoordURL == "" {
			t.Errorf("base %s: no coord_source_url: every shipped coordinate links to its source", b.ID)
		}
	}
	for _, inc := range d.Incidents {
		if len(inc.Disputed) > 0 && inc.Notes == "" {
			t.Errorf("incident %s: disputes %v without notes saying who says what", inc.ID, inc.Disputed)
		}
		if !strings.HasPrefix(inc.ID, inc.Date.String()) {
			t.Errorf("incident %s: id does not start with its date %s", inc.ID, inc.Date)
		}
	}
	// The campaign had about 165-170 attacks by the Pentagon's count; the
	// dataset holds those a stored source dates and places (docs/data.md).
	if len(d.Incidents) < 60 {
		t.Errorf("%d incidents, want the campaign of 17 Oct 2023 - 4 Feb 2024 (at least 60)", len(d.Incidents))
	}
}

// TestEveryIncidentHasASourceWithAURL holds the first rule of the data: a
// reader can open at least one page for every incident, and every source
// says what it states.
func TestEveryIncidentHasASourceWithAURL(t *testing.T) {
	for _, p := range sourceWithURLProblems(values(load(t).Incidents)) {
		t.Error(p)
	}
}

// values copies a dataset's incidents, for the checks below, which
// also read incidents a test makes.
func values(incidents []*geo.Incident) []geo.Incident {
	out := make([]geo.Incident, len(incidents))
	for i, inc := range incidents {
		out[i] = *inc
	}
	return out
}

// sourceWithURLProblems lists the incidents without a source with a URL,
// and the sources that do not say what they state.
func sourceWithURLProblems(incidents []geo.Incident) []string {
	var out []string
	for _, inc := range incidents {
		withURL := 0
		for i, s := range inc.Sources {
			if s.URL != "" {
				withURL++
			}
			if strings.TrimSpace(s.Says) == "" {
				out = append(out, fmt.Sprintf("incident %s: source %d (%s) does not say what it states", inc.ID, i, s.Publisher))
			}
		}
		if withURL == 0 {
			out = append(out, fmt.Sprintf("incident %s: no source with a url", inc.ID))
		}
	}
	return out
}

// TestStatusIsTheStrongestSource restates docs/data.md's status rule
// independently of the loader: an official source confirms, media and
// monitors report, a claim only claims.
func TestStatusIsTheStrongestSource(t *testing.T) {
	for _, p := range statusProblems(values(load(t).Incidents)) {
		t.Error(p)
	}
}

// statusProblems lists the incidents whose status is not the one their
// strongest source gives.
func statusProblems(incidents []geo.Incident) []string {
	level := map[string]int{"claim": 0, "media": 1, "monitor": 1, "official": 2}
	status := []string{"claimed", "reported", "confirmed"}
	var out []string
	for _, inc := range incidents {
		best := 0
		for _, s := range inc.Sources {
			l, ok := level[s.Kind.String()]
			if !ok {
				out = append(out, fmt.Sprintf("incident %s: source kind %q has no level in this test", inc.ID, s.Kind))
			}
			best = max(best, l)
		}
		if got := inc.Status.String(); got != status[best] {
			out = append(out, fmt.Sprintf("incident %s: status %s, but its strongest source makes it %s", inc.ID, got, status[best]))
		}
	}
	return out
}

// TestOneIncidentPerEvent holds "one incident per event": two incidents on
// the same site whose days overlap must say, in the notes of at least one
// of them, why they are distinct, naming the other by id.
func TestOneIncidentPerEvent(t *testing.T) {
	for _, p := range oneEventProblems(values(load(t).Incidents)) {
		t.Error(p)
	}
}

// oneEventProblems lists the pairs of incidents on one site whose days
// overlap and neither of whose notes names the other. A site is a base, or,
// for an incident with no known base, its point.
func oneEventProblems(incidents []geo.Incident) []string {
	var out []string
	for i, a := range incidents {
		for _, b := range incidents[i+1:] {
			sameSite := a.Base == b.Base && (a.Base != "" || a.Point == b.Point)
			if !sameSite || a.Date > b.DateEnd || b.Date > a.DateEnd {
				continue
			}
			if !strings.Contains(a.Notes, b.ID) && !strings.Contains(b.Notes, a.ID) {
				site := a.Base
				if site == "" {
					site = fmt.Sprintf("%v", a.Point)
				}
				out = append(out, fmt.Sprintf("incidents %s and %s: same site %s on the same day, and neither's notes say why they are distinct", a.ID, b.ID, site))
			}
		}
	}
	return out
}

// TestRulesCatchBrokenFixtures: each rule above, run on a copy of the
// shipped incidents broken in one place, reports that place and nothing
// else (a widened span may meet more than one incident); so a rule that passes on the shipped data is known to be able to
// fail.
func TestRulesCatchBrokenFixtures(t *testing.T) {
	shipped := values(load(t).Incidents)
	// broken returns a deep enough copy of the shipped incidents with
	// incident i changed by edit.
	broken := func(i int, edit func(inc *geo.Incident)) []geo.Incident {
		out := slices.Clone(shipped)
		out[i].Sources = slices.Clone(out[i].Sources)
		edit(&out[i])
		return out
	}
	// withKind finds an incident whose sources are all of one kind.
	withKind := func(kind geo.SourceKind) int {
		for i, inc := range shipped {
			if !slices.ContainsFunc(inc.Sources, func(s geo.Source) bool { return s.Kind != kind }) {
				return i
			}
		}
		t.Fatalf("no shipped incident has only %s sources", kind)
		return -1
	}
	media := withKind(geo.SourceMedia)
	twin := func(i int, notes string) []geo.Incident {
		out := slices.Clone(shipped)
		c := shipped[i]
		c.ID, c.Notes = shipped[i].ID+"-twin", notes
		return append(out, c)
	}
	// Two reports of one attack on a place with no base: the same point.
	unbased := shipped[0]
	unbased.Base, unbased.LocationPrecision = "", geo.PrecisionExact
	unbasedTwin := unbased
	unbasedTwin.ID += "-twin"
	for _, tc := range []struct {
		name  string
		rule  func([]geo.Incident) []string
		fixed []geo.Incident
		want  string
	}{
		{"no url", sourceWithURLProblems, broken(0, func(inc *geo.Incident) {
			for i := range inc.Sources {
				inc.Sources[i].URL = ""
			}
		}), "incident " + shipped[0].ID + ": no source with a url"},
		{"source says nothing", sourceWithURLProblems, broken(1, func(inc *geo.Incident) { inc.Sources[0].Says = " " }),
			"incident " + shipped[1].ID + ": source 0"},
		{"confirmed by media", statusProblems, broken(media, func(inc *geo.Incident) { inc.Status = geo.StatusConfirmed }),
			"incident " + shipped[media].ID + ": status confirmed, but its strongest source makes it reported"},
		{"claimed though reported", statusProblems, broken(media, func(inc *geo.Incident) { inc.Status = geo.StatusClaimed }),
			"status claimed, but its strongest source makes it reported"},
		{"one event twice", oneEventProblems, twin(0, ""), "incidents " + shipped[0].ID + " and " + shipped[0].ID + "-twin: same site"},
		{"one event twice with no base", oneEventProblems, []geo.Incident{unbased, unbasedTwin}, "-twin: same site"},
		{"a span meets a day", oneEventProblems, broken(0, func(inc *geo.Incident) {
			// Widen incident 0 over the days of the next one at its base.
			for _, other := range shipped[1:] {
				if other.Base == inc.Base && inc.Base != "" && !strings.Contains(inc.Notes, other.ID) && !strings.Contains(other.Notes, inc.ID) {
					inc.DateEnd = other.Date
					return
				}
			}
			t.Fatalf("no second incident at %s", inc.Base)
		}), "incidents " + shipped[0].ID + " and "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.rule(tc.fixed)
			if len(got) == 0 || slices.ContainsFunc(got, func(p string) bool { return !strings.Contains(p, tc.want) }) {
				t.Errorf("the rule reported %q, want problems each containing %q", got, tc.want)
			}
		})
	}
	// A note naming the other incident says why they are distinct.
	if got := oneEventProblems(twin(0, "distinct from "+shipped[0].ID+": a second salvo that night")); len(got) != 0 {
		t.Errorf("a twin whose notes name the other is still reported: %q", got)
	}
}

// TestCampaignWindow keeps the embedded dataset to the campaign it
// documents: attacks from 17 Oct 2023 to 4 Feb 2024 (an overnight attack may
// end on 5 Feb).
func TestCampaignWindow(t *testing.T) {
	first, last := "2023-10-17", "2024-02-04"
	for _, inc := range load(t).Incidents {
		if d := inc.Date.String(); d < first || d > last {
			t.Errorf("incident %s: starts on %s, outside the campaign %s to %s", inc.ID, d, first, last)
		}
	}
}

// TestStrikesAnswerEarlierAttacks holds the strikes' rules: each has a
// source with a URL, falls in the months the campaign's strikes were made
// (26 Oct 2023 - 3 Feb 2024), and answers only attacks made before it.
func TestStrikesAnswerEarlierAttacks(t *testing.T) {
	d := load(t)
	if len(d.Strikes) == 0 {
		t.Fatal("no strikes: strikes.geojson is missing from the embedded data")
	}
	for _, s := range d.Strikes {
		if d := s.Date.String(); d < "2023-10-26" || s.DateEnd.String() > "2024-02-03" {
			t.Errorf("strike %s: dated %s, outside 26 Oct 2023 - 3 Feb 2024", s.ID, d)
		}
		for _, src := range s.Sources {
			if src.URL == "" {
				t.Errorf("strike %s: source %s has no URL", s.ID, src.Publisher)
			}
		}
		for _, id := range s.InResponseTo {
			inc, _ := d.Incident(id)
			if inc.Date > s.Date {
				t.Errorf("strike %s of %s answers %s, dated after it (%s)", s.ID, s.Date, id, inc.Date)
			}
		}
	}
}

// TestOfficialCountsRunAheadOfTheMap: each official count is at least the
// incidents the map holds by its day in its scope. More mapped than counted
// would mean the map holds attacks the Pentagon never counted (unconfirmed
// claims, or one attack mapped twice): a reader must be told which.
func TestOfficialCountsRunAheadOfTheMap(t *testing.T) {
	d := load(t)
	if len(d.OfficialCounts) == 0 {
		t.Fatal("no official counts: official-counts.json is missing from the embedded data")
	}
	for _, c := range d.OfficialCounts {
		if m := d.MappedBy(c.Date, c.Countries); m > c.Count {
			t.Errorf("count of %s: the Pentagon counted %d, the map holds %d by then: say why in docs/data.md", c.Date, c.Count, m)
		}
	}
}
