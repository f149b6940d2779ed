package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"strikemap/internal/geo"
)

// CSVHeader is the column list of the incidents CSV: one row per incident,
// flat values, sources joined so a person can read them in a spreadsheet.
var CSVHeader = []string{
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
	bw := bufio.NewWriterSize(out, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	w := csv.NewWriter(bw)
	w.UseCRLF = true
	if err := w.Write(CSVHeader); err != nil {
		return err
	}
	for _, inc := range incidents {
		p := IncidentFeatureProperties(d, inc)
		sources := make([]string, len(inc.Sources))
		firstURL := ""
		for i, s := range inc.Sources {
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
			sources[i] = line
		}
		row := []string{
			inc.ID, p.Date, deref(p.DateEnd), inc.Weapon.String(), intCell(inc.Count), inc.Base, deref(p.BaseName),
			inc.Status.String(), inc.Outcome, intCell(inc.Injured), intCell(inc.Killed), strings.Join(inc.ClaimedBy, "; "),
			inc.LocationPrecision.String(), formatCoord(inc.Point.Lon()), formatCoord(inc.Point.Lat()),
			strings.Join(inc.Disputed, "; "), inc.Notes, strconv.Itoa(len(inc.Sources)), strings.Join(sources, "\n"), firstURL,
		}
		for i := range row {
			row[i] = DefuseFormula(row[i])
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return bw.Flush()
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
