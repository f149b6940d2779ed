package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"strikemap/internal/geo"
)

// Rejection is a row that did not become an incident.
type Rejection struct {
	File   string // the file read
	Line   int    // the line the row starts on, counted from 1 (the header is line 1)
	Field  string // the column (or, for a validation problem, the property) at fault
	Reason string // what is wrong and what is allowed
}

// String formats r as "file:line: field: reason".
func (r Rejection) String() string {
	if r.Field == "" {
		return fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", r.File, r.Line, r.Field, r.Reason)
}

// Batch is what a file gave: incidents, each with the line of its row, and the
// rows rejected or left out by filters.
type Batch struct {
	File      string
	Incidents []geo.Incident
	Lines     []int // Lines[i] is the line of Incidents[i]'s row
	Rejected  []Rejection
	Skipped   int // rows the filters left out
}

func (b *Batch) add(inc geo.Incident, line int) {
	b.Incidents = append(b.Incidents, inc)
	b.Lines = append(b.Lines, line)
}

func (b *Batch) reject(line int, field, format string, args ...any) {
	b.Rejected = append(b.Rejected, Rejection{File: b.File, Line: line, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// Validate checks every incident with the server's own validation against
// the bases of basesJSON, and moves each invalid one to Rejected with the
// problems geo found.
func (b *Batch) Validate(basesJSON []byte) error {
	out, err := geo.MarshalIncidents(b.Incidents)
	if err != nil {
		return err
	}
	_, err = geo.Parse(basesJSON, out)
	var ve *geo.ValidationError
	if err == nil {
		return nil
	}
	if !errors.As(err, &ve) {
		return err
	}
	for _, p := range ve.Problems {
		if p.File != geo.IncidentsFile {
			return fmt.Errorf("the bases do not load: %w", err)
		}
	}
	var ok bool
	b.Incidents, b.Lines, ok = dropRejected(b.Incidents, b.Lines, ve.Problems, &b.Rejected, b.File)
	if !ok {
		return fmt.Errorf("the bases do not load: %w", err)
	}
	return nil
}

// dropRejected moves each item a problem names (by its index among items)
// to rejected, with the problem's field and reason at the item's line, and
// returns the items and lines left, the rejections in line order. ok is
// false, and nothing is changed, when a problem names no item: the
// problem is with something else than the rows.
func dropRejected[T any](items []T, lines []int, problems []geo.Problem, rejected *[]Rejection, file string) (keep []T, keptLines []int, ok bool) {
	bad := map[int]bool{}
	for _, p := range problems {
		if p.Index < 0 || p.Index >= len(items) {
			return items, lines, false
		}
		bad[p.Index] = true
	}
	for _, p := range problems {
		*rejected = append(*rejected, Rejection{File: file, Line: lines[p.Index], Field: p.Field, Reason: p.Reason})
	}
	for i, item := range items {
		if !bad[i] {
			keep = append(keep, item)
			keptLines = append(keptLines, lines[i])
		}
	}
	slices.SortStableFunc(*rejected, func(x, y Rejection) int { return x.Line - y.Line })
	return keep, keptLines, true
}

// table reads a CSV file by header name.
type table struct {
	file   string
	r      *csv.Reader
	header []string
	col    map[string]int // lower-case header name -> index
}

// utf8BOM starts files saved by Excel and by some ACLED exports.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// newTable reads the header line of a CSV file, skipping a UTF-8 byte-order
// mark. Header names are matched without regard to case or surrounding space.
func newTable(file string, r io.Reader) (*table, error) {
	br := bufio.NewReader(r)
	if start, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(start, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // checked per row, so a short row is rejected, not fatal
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: is empty: want a header line and rows", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	t := &table{file: file, r: cr, header: header, col: make(map[string]int, len(header))}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := t.col[name]; dup {
			return nil, fmt.Errorf("%s:1: column %q appears twice in the header", file, h)
		}
		t.col[name] = i
	}
	return t, nil
}

// require fails naming every missing column.
func (t *table) require(names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := t.col[strings.ToLower(n)]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s:1: the header lacks the column(s) %s; it has %s", t.file, strings.Join(missing, ", "), strings.Join(t.header, ", "))
	}
	return nil
}

// row is one record with the line it starts on.
type row struct {
	t      *table
	line   int
	fields []string
}

// next returns the next row, io.EOF at the end, or an error naming the line
// when the file is not well-formed CSV (after which no row boundary can be
// trusted).
func (t *table) next() (*row, error) {
	rec, err := t.r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: is not well-formed CSV: %v", t.file, pe.StartLine, pe.Err)
		}
		return nil, fmt.Errorf("%s: %w", t.file, err)
	}
	line, _ := t.r.FieldPos(0)
	return &row{t: t, line: line, fields: rec}, nil
}

// get returns the trimmed value of the named column, "" when the file has no
// such column.
func (r *row) get(name string) string {
	i, ok := r.t.col[strings.ToLower(name)]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// oneLine joins the lines of s with spaces: a source's "says" is one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
