package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"strikemap/internal/export"
	"strikemap/internal/geo"
)

// StrikeBatch is what a strikes CSV gave: strikes, each with the line of
// its row, and the rows rejected.
type StrikeBatch struct {
	File     string
	Strikes  []geo.Strike
	Lines    []int // Lines[i] is the line of Strikes[i]'s row
	Rejected []Rejection
}

func (b *StrikeBatch) reject(line int, field, format string, args ...any) {
	b.Rejected = append(b.Rejected, Rejection{File: b.File, Line: line, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// strikeDerived are the columns of the strikes CSV that other columns
// determine: source_count is checked against the sources read,
// first_source_url is not read.
var strikeDerived = []string{"first_source_url"}

// ReadStrikes reads a CSV with the columns /api/strikes.csv writes
// (export.StrikesCSVHeader), one strike a row, so that an exported file,
// edited in a spreadsheet, comes back. Lists are "; "-separated, the
// sources cell holds one source a line as the export writes it, and a
// cell the export defused against formulas (a leading apostrophe) is read
// as it was. A row that cannot be read is rejected naming its line and
// column; the file itself failing (no header, a missing column, broken
// CSV) is an error.
func ReadStrikes(r io.Reader, file string) (*StrikeBatch, error) {
	t, err := newTable(file, r)
	if err != nil {
		return nil, err
	}
	var want []string
	for _, col := range export.StrikesCSVHeader() {
		if !slices.Contains(strikeDerived, col) {
			want = append(want, col)
		}
	}
	if err := t.require(want...); err != nil {
		return nil, err
	}
	b := &StrikeBatch{File: file}
	seen := map[string]int{}
	for {
		row, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(row.fields) != len(t.header) {
			b.reject(row.line, "", "has %d cells, the header %d", len(row.fields), len(t.header))
			continue
		}
		s, ok := b.strike(row)
		if !ok {
			continue
		}
		if prev, dup := seen[s.ID]; dup {
			b.reject(row.line, "id", "%q is also the id of the row on line %d: one row a strike", s.ID, prev)
			continue
		}
		seen[s.ID] = row.line
		b.Strikes = append(b.Strikes, s)
		b.Lines = append(b.Lines, row.line)
	}
	return b, nil
}

// cell is the value of a column of the strikes CSV as it was before the
// export defused it.
func cell(r *row, name string) string { return export.RestoreFormula(r.get(name)) }

// strike reads one row, rejecting it at its first unreadable cell. Rules
// that geo checks (required text, countries, status against sources, ...)
// are left to Validate, so that they read as they do for the data files.
func (b *StrikeBatch) strike(r *row) (geo.Strike, bool) {
	bad := func(field string, err error) (geo.Strike, bool) {
		b.reject(r.line, field, "%v", err)
		return geo.Strike{}, false
	}
	s := geo.Strike{
		ID: cell(r, "id"), Attacker: cell(r, "attacker"), Target: cell(r, "target"),
		TargetGroups: splitList(cell(r, "target_groups")), Place: cell(r, "place"), Country: cell(r, "country"),
		CoordSource: cell(r, "coord_source"), InResponseTo: splitList(cell(r, "in_response_to")),
		Disputed: splitList(cell(r, "disputed")), Notes: cell(r, "notes"),
	}
	var err error
	if s.Date, err = geo.ParseDate(cell(r, "date")); err != nil {
		return bad("date", err)
	}
	s.DateEnd = s.Date
	if end := cell(r, "date_end"); end != "" {
		if s.DateEnd, err = geo.ParseDate(end); err != nil {
			return bad("date_end", err)
		}
	}
	if err := s.LocationPrecision.UnmarshalText([]byte(cell(r, "location_precision"))); err != nil {
		return bad("location_precision", err)
	}
	if err := s.Status.UnmarshalText([]byte(cell(r, "status"))); err != nil {
		return bad("status", err)
	}
	lon, err := parseCoord(cell(r, "longitude"))
	if err != nil {
		return bad("longitude", err)
	}
	lat, err := parseCoord(cell(r, "latitude"))
	if err != nil {
		return bad("latitude", err)
	}
	s.Point = orb.Point{lon, lat}
	if s.Killed, err = parseCount(cell(r, "killed"), 0); err != nil {
		return bad("killed", err)
	}
	for i, line := range strings.Split(cell(r, "sources"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		src, err := parseSourceLine(strings.TrimRight(line, "\r"))
		if err != nil {
			return bad(fmt.Sprintf("sources (line %d of the cell)", i+1), err)
		}
		s.Sources = append(s.Sources, src)
	}
	if n := cell(r, "source_count"); n != "" && n != strconv.Itoa(len(s.Sources)) {
		return bad("source_count", fmt.Errorf("is %s, but the sources cell holds %d sources, one a line", n, len(s.Sources)))
	}
	return s, true
}

// sourceLine is a line of the sources cell as the export writes it:
// Publisher [kind, published]: says <url>, the day and the url optional.
var sourceLine = regexp.MustCompile(`^(.+?) \[(` + strings.Join(geo.Words(geo.SourceKinds()), "|") + `)(?:, (\d{4}-\d{2}-\d{2}))?\]: (.*?)(?: <([^<>\s]+)>)?$`)

// parseSourceLine reads one line of the sources cell.
func parseSourceLine(line string) (geo.Source, error) {
	m := sourceLine.FindStringSubmatch(line)
	if m == nil {
		return geo.Source{}, fmt.Errorf("%q is not a source as the export writes it: Publisher [kind, YYYY-MM-DD]: what it says <https://...> (kind one of %s; the day and the url may be left out)",
			truncate(line), strings.Join(geo.Words(geo.SourceKinds()), ", "))
	}
	src := geo.Source{Publisher: m[1], Says: m[4], URL: m[5]}
	src.Kind.UnmarshalText([]byte(m[2])) // the pattern admits only the kinds
	if m[3] != "" {
		day, err := geo.ParseDate(m[3])
		if err != nil {
			return geo.Source{}, fmt.Errorf("published: %v", err)
		}
		src.Published = geo.SomeDate(day)
	}
	return src, nil
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// StrikeChecker checks a strikes.geojson against a dataset's incidents, as
// the loader does: a *geo.Dataset, or the geo.IncidentIDs it names.
type StrikeChecker interface {
	ParseStrikes(raw []byte) ([]geo.Strike, error)
}

// Validate checks every strike with the loader's own validation, against
// the incidents of d (for in_response_to), and moves each invalid one to
// Rejected with the problems geo found, named by the row's line.
func (b *StrikeBatch) Validate(d StrikeChecker) error {
	raw, err := geo.MarshalStrikes(b.Strikes)
	if err != nil {
		return err
	}
	_, err = d.ParseStrikes(raw)
	var ve *geo.ValidationError
	if err == nil {
		return nil
	}
	if !errors.As(err, &ve) {
		return err
	}
	var ok bool
	if b.Strikes, b.Lines, ok = dropRejected(b.Strikes, b.Lines, ve.Problems, &b.Rejected, b.File); !ok {
		return err
	}
	return nil
}

// MergeStrikes merges incoming into existing by id, as Merge does
// incidents: an incoming strike replaces the one with its id, a new id is
// added, every other existing strike is kept. The result is in date order,
// ties in the order they were, as Load orders them.
func MergeStrikes(existing, incoming []geo.Strike) ([]geo.Strike, Counts) {
	var c Counts
	at := make(map[string]int, len(existing))
	merged := slices.Clone(existing)
	for i, s := range merged {
		at[s.ID] = i
	}
	replaced := map[string]bool{}
	for _, s := range incoming {
		i, ok := at[s.ID]
		switch {
		case !ok:
			at[s.ID] = len(merged)
			merged = append(merged, s)
			c.Added++
		case reflect.DeepEqual(normalStrike(merged[i]), normalStrike(s)):
			c.Unchanged++
		default:
			merged[i] = s
			c.Updated++
		}
		replaced[s.ID] = true
	}
	for _, s := range existing {
		if !replaced[s.ID] {
			c.Kept++
		}
	}
	slices.SortStableFunc(merged, func(a, b geo.Strike) int { return cmp.Compare(a.Date, b.Date) })
	return merged, c
}

// normalStrike makes empty lists nil, so that a strike read from a CSV and
// the same strike loaded from GeoJSON compare equal.
func normalStrike(s geo.Strike) geo.Strike {
	for _, l := range []*[]string{&s.TargetGroups, &s.InResponseTo, &s.Disputed} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	if len(s.Sources) == 0 {
		s.Sources = nil
	}
	return s
}
