package geo

import (
	"fmt"
	"io"
	"slices"
	"strings"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"strikemap/internal/geo/loader"
)

// OfficialCountsFile is the optional file of a dataset directory that holds
// the Pentagon's running counts of attacks, beside the incidents mapped.
const OfficialCountsFile = "official-counts.json"

// OfficialCount is one running total of attacks that an official body
// gave, as a stored page reports it: "at least 52 attacks on US forces in
// Iraq and Syria from 17 Oct to 13 Nov 2023". It is not an incident: it
// says how many attacks there were, not where, and the map holds fewer.
type OfficialCount struct {
	// Date is the last day the count covers: the day the source says it
	// runs to, or else the day it was stated.
	Date Date
	// Count is the number of attacks, qualified by Qualifier.
	Count int
	// Qualifier says how the source states the number.
	Qualifier CountQualifier
	// Scope names where the count counts, for a reader: "Iraq and Syria".
	Scope string
	// Countries are Scope's ISO 3166-1 alpha-2 codes, used to count the
	// incidents mapped in the same scope.
	Countries []string
	// Iraq and Syria split Count by country when the source does.
	Iraq, Syria Number
	// Source is the page that states the count, with what it says.
	Source Source
}

// CountQualifier is how a source states a count: exactly, at least, about.
type CountQualifier uint8

// The qualifiers of an official count.
const (
	CountExact CountQualifier = iota + 1
	CountAtLeast
	CountMoreThan
	CountAbout
	CountNearly
)

var countQualifiers = []CountQualifier{CountExact, CountAtLeast, CountMoreThan, CountAbout, CountNearly}

// CountQualifiers returns every valid CountQualifier.
//
// It is a copy: a caller may change it.
func CountQualifiers() []CountQualifier { return slices.Clone(countQualifiers) }

var countQualifierWords = []string{"", "exact", "at_least", "more_than", "about", "nearly"}

func (q CountQualifier) String() string                { return word(countQualifierWords, q) }
func (q CountQualifier) MarshalText() ([]byte, error)  { return []byte(q.String()), nil }
func (q *CountQualifier) UnmarshalText(b []byte) error { return unmarshalTerm(q, countQualifiers, b) }

// officialCountsWire is official-counts.json.
type officialCountsWire struct {
	About  string           `json:"about"`
	Counts []jsontext.Value `json:"counts"`
}

// countRow is one element of official-counts.json's "counts" array.
type countRow struct {
	Date      string       `json:"date"`
	Count     *int         `json:"count"`
	Qualifier string       `json:"qualifier"`
	Scope     string       `json:"scope"`
	Countries []string     `json:"countries"`
	Iraq      *int         `json:"iraq"`
	Syria     *int         `json:"syria"`
	Source    *countSource `json:"source"`
}

// countSource is a count's source: as an incident's, without a kind (the
// count is the Pentagon's, whoever relays it) and with a URL required.
type countSource struct {
	Publisher string  `json:"publisher"`
	URL       string  `json:"url"`
	Published *string `json:"published"`
	Says      string  `json:"says"`
}

// readOfficialCounts reads and checks official-counts.json, adding a
// problem for each thing wrong, named by row (counted from 0) and field.
func readOfficialCounts(r io.Reader, problems *[]Problem) ([]OfficialCount, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, &loader.ReadError{Err: err}
	}
	fileProblem := func(format string, args ...any) {
		*problems = append(*problems, Problem{File: OfficialCountsFile, Index: -1, Reason: fmt.Sprintf(format, args...)})
	}
	var w officialCountsWire
	if err := json.Unmarshal(raw, &w, decodeOptions); err != nil {
		fileProblem("is not an object with a \"counts\" array: %s", jsonErrorReason(err))
		return nil, nil
	}
	if len(w.Counts) == 0 {
		fileProblem("has no counts: want a \"counts\" array of at least one")
		return nil, nil
	}
	var out []OfficialCount
	for i, rawRow := range w.Counts {
		f := featureProblems{file: OfficialCountsFile, index: i, problems: problems}
		var row countRow
		if err := json.Unmarshal(rawRow, &row, decodeOptions); err != nil {
			f.add(jsonErrorField(err), "%s", jsonErrorReason(err))
			continue
		}
		if c, ok := row.check(&f); ok {
			if n := len(out); n > 0 {
				prev := out[n-1]
				switch {
				case c.Date < prev.Date:
					f.add("date", "%s is before the date of count %d (%s): keep the counts in date order", c.Date, i-1, prev.Date)
				case c.Count < prev.Count && slices.Equal(c.Countries, prev.Countries):
					f.add("count", "%d is less than count %d's %d, of %s, for the same countries: a running count does not fall", c.Count, i-1, prev.Count, prev.Date)
				}
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// check checks a row and turns it into an OfficialCount.
func (row *countRow) check(f *featureProblems) (OfficialCount, bool) {
	before := len(*f.problems)
	c := OfficialCount{Qualifier: term(countQualifiers, row.Qualifier), Scope: row.Scope, Countries: row.Countries}
	d, err := ParseDate(row.Date)
	if err != nil {
		f.add("date", "%v", err)
	}
	c.Date = d
	switch {
	case row.Count == nil:
		f.add("count", "is missing: the number of attacks the source gives")
	case *row.Count < 1 || *row.Count > MaxNumber:
		f.add("count", "%d is not a number of attacks from 1 to %d", *row.Count, MaxNumber)
	default:
		c.Count = *row.Count
	}
	if !slices.Contains(countQualifiers, c.Qualifier) {
		f.add("qualifier", "%q is not one of %s", row.Qualifier, oneOf(countQualifiers))
	}
	if strings.TrimSpace(row.Scope) == "" {
		f.add("scope", "is missing: say where the count counts, e.g. \"Iraq and Syria\"")
	}
	if len(row.Countries) == 0 {
		f.add("countries", "is missing: list the scope's ISO 3166-1 alpha-2 codes, e.g. [\"IQ\", \"SY\"]")
	}
	for i, cc := range row.Countries {
		if !upperLetters(cc, 2) {
			f.add(fmt.Sprintf("countries[%d]", i), "%q is not an ISO 3166-1 alpha-2 code such as IQ or SY", cc)
		}
	}
	c.Iraq = f.number("iraq", row.Iraq, 0, "is negative")
	c.Syria = f.number("syria", row.Syria, 0, "is negative")
	if iq, ok := c.Iraq.Get(); ok {
		if sy, ok := c.Syria.Get(); ok && c.Count > 0 && iq+sy != c.Count {
			f.add("count", "%d is not iraq %d + syria %d", c.Count, iq, sy)
		}
	}
	if row.Source == nil {
		f.add("source", "is missing: every count needs the page that states it")
	} else {
		s := row.Source
		c.Source = Source{Publisher: s.Publisher, URL: s.URL, Says: s.Says, Kind: SourceOfficial}
		if strings.TrimSpace(s.Publisher) == "" {
			f.add("source.publisher", "is missing: who published the page")
		}
		if s.URL == "" {
			f.add("source.url", "is missing: a count is cited by the page that states it")
		} else if err := checkHTTPURL(s.URL); err != nil {
			f.add("source.url", "%v", err)
		}
		if s.Published != nil {
			p, err := ParseDate(*s.Published)
			switch {
			case err != nil:
				f.add("source.published", "%v", err)
			case err == nil && c.Date != 0 && p < c.Date:
				f.add("source.published", "%s is before the count's date %s: a page cannot count days after it", p, c.Date)
			default:
				c.Source.Published = SomeDate(p)
			}
		}
		if strings.TrimSpace(s.Says) == "" {
			f.add("source.says", "is missing: quote or paraphrase in one line what the page says")
		} else if strings.ContainsAny(s.Says, "\r\n") {
			f.add("source.says", "must be one line")
		}
	}
	return c, len(*f.problems) == before
}

// MappedBy counts the incidents of d dated on or before day (by their first
// day) whose target base lies in one of countries: what the map holds to
// set beside an official count of the same scope. Incidents with no known
// base are not counted, since their country is not known.
func (d *Dataset) MappedBy(day Date, countries []string) int {
	n := 0
	for i := range d.Incidents {
		inc := d.Incidents[i]
		if inc.Date > day {
			break // sorted by date
		}
		if b, ok := d.Base(inc.Base); ok && slices.Contains(countries, b.Country) {
			n++
		}
	}
	return n
}
