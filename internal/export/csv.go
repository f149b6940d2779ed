package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"

	"strikemap/internal/geo"
)

// CSVHeader is the column list of the incidents CSV: one row per incident,
// flat values, sources joined so a person can read them in a spreadsheet.
func CSVHeader() []string { return slices.Clone(csvHeader) }

// csvHeader is what CSVHeader returns a copy of.
var csvHeader = []string{
	"id", "date", "date_end", "weapon", "count", "base", "base_name", "status",
	"outcome", "injured", "killed", "claimed_by", "location_precision",
	"longitude", "latitude", "disputed", "notes", "source_count", "sources", "first_source_url",
}

// IncidentsCSV writes incidents as RFC 4180 CSV in UTF-8 with a byte order
// mark, which spreadsheets need to read non-ASCII names correctly. Unknown
// numbers are empty cells, never 0. Cells that a spreadsheet would run as a
// formula are prefixed with a quote mark.
func IncidentsCSV(d *geo.Dataset, incidents []*geo.Incident) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteIncidentsCSV(&buf, d, incidents); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteIncidentsCSV streams incidents to out as IncidentsCSV writes them,
// row by row through a small buffer, so memory stays flat however many
// there are.
func WriteIncidentsCSV(out io.Writer, d *geo.Dataset, incidents []*geo.Incident) error {
	t, err := newCSVTable(out, csvHeader)
	if err != nil {
		return err
	}
	for _, inc := range incidents {
		p := IncidentFeatureProperties(d, inc)
		sources, firstURL := sourceLines(inc.Sources)
		err := t.row(
			inc.ID, p.Date, deref(p.DateEnd), inc.Weapon.String(), intCell(inc.Count), inc.Base, deref(p.BaseName),
			inc.Status.String(), inc.Outcome, intCell(inc.Injured), intCell(inc.Killed), strings.Join(inc.ClaimedBy, "; "),
			inc.LocationPrecision.String(), formatCoord(inc.Point.Lon()), formatCoord(inc.Point.Lat()),
			strings.Join(inc.Disputed, "; "), inc.Notes, strconv.Itoa(len(inc.Sources)), strings.Join(sources, "\n"), firstURL,
		)
		if err != nil {
			return err
		}
	}
	return t.close()
}

// csvTable writes one of strikemap's CSV tables (incidents, strikes) the
// one way: a byte order mark, CRLF line ends, the header, then rows whose
// cells are defused (DefuseFormula), through a small buffer.
type csvTable struct {
	bw *bufio.Writer
	w  *csv.Writer
}

// newCSVTable starts a table on out with its header row.
func newCSVTable(out io.Writer, header []string) (*csvTable, error) {
	t := &csvTable{bw: bufio.NewWriterSize(out, 64<<10)}
	if _, err := t.bw.WriteString("\uFEFF"); err != nil {
		return nil, err
	}
	t.w = csv.NewWriter(t.bw)
	t.w.UseCRLF = true
	return t, t.w.Write(header)
}

// row writes one row, defusing every cell.
func (t *csvTable) row(cells ...string) error {
	for i := range cells {
		cells[i] = DefuseFormula(cells[i])
	}
	return t.w.Write(cells)
}

// close flushes the table to its writer.
func (t *csvTable) close() error {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return err
	}
	return t.bw.Flush()
}

// sourceLines are sources as one line each, for the sources cell, and the
// first URL, for first_source_url.
func sourceLines(sources []geo.Source) (lines []string, firstURL string) {
	lines = make([]string, len(sources))
	for i, s := range sources {
		line := s.Publisher + " [" + s.Kind.String()
		if s.Published.Known() {
			line += ", " + s.Published.String()
		}
		line += "]: " + s.Says
		if s.URL != "" {
			line += " <" + s.URL + ">"
			if firstURL == "" {
				firstURL = s.URL
			}
		}
		lines[i] = line
	}
	return lines, firstURL
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func intCell(n geo.Number) string {
	v, ok := n.Get()
	if !ok {
		return ""
	}
	return strconv.Itoa(v)
}

func formatCoord(v float64) string { return strconv.FormatFloat(roundTo(v, precision), 'f', -1, 64) }

// DefuseFormula keeps a spreadsheet from evaluating text from the data as a
// formula (CSV injection): a cell starting with =, +, -, @, tab or CR gets a
// leading apostrophe, unless it is a plain number.
func DefuseFormula(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// RestoreFormula undoes DefuseFormula: a cell that is an apostrophe before
// what DefuseFormula would have defused is read without the apostrophe.
func RestoreFormula(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && rest != "" && DefuseFormula(rest) == s {
		return rest
	}
	return s
}
