package geo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"strikemap/internal/jsonstring"
)

// MarshalIncidents encodes incidents as an incidents.geojson data file, the
// inverse of the loader, indented for a person to edit (as the shipped
// file is); IncidentWriter writes large files one feature a line. Both
// write each feature with appendFeature, the one writer of the data file's
// schema. The output is deterministic: features in the order given, every
// property of the schema in the order docs/data.md lists it (null or empty
// where unknown, so a reader sees one shape), a source's url and published
// only when known, two-space indentation as encoding/json's MarshalIndent
// lays it out, and a final newline. Parse(bases, MarshalIncidents(d.Incidents))
// gives back the same incidents.
//
// It writes the data file's schema, not the API's: no base_name, no bbox.
func MarshalIncidents(incidents []Incident) ([]byte, error) {
	b := []byte(`{"type":"FeatureCollection","features":[`)
	for i := range incidents {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFeature(b, &incidents[i])
	}
	b = append(b, "]}"...)
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/2)
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// IncidentWriter writes an incidents.geojson data file feature by feature,
// one feature a line:
//
//	{"type":"FeatureCollection","features":[
//	{"type":"Feature","id":"a",...},
//	{"type":"Feature","id":"b",...}
//	]}
//
// the layout the loader splits across every core (a line break between two
// features is where it may cut the file), and that a line-based diff shows
// feature by feature. Each line is what encoding/json writes for the
// feature in the loader's own types (loader.IncidentProperties), compact
// (TestIncidentWriterMatchesJSON holds them to it), appended by hand,
// several times faster; memory stays at one buffer however many features
// there are. dataset import (which copies the features it does not change
// through WriteRaw) and dataset synth both write with it.
type IncidentWriter struct {
	w   *bufio.Writer
	buf []byte
	n   int
	err error
}

// NewIncidentWriter starts a data file on w.
func NewIncidentWriter(w io.Writer) *IncidentWriter {
	iw := &IncidentWriter{w: bufio.NewWriterSize(w, 1<<20), buf: make([]byte, 0, 4096)}
	_, iw.err = iw.w.WriteString(`{"type":"FeatureCollection","features":[`)
	return iw
}

// Write writes one incident as the next feature.
func (iw *IncidentWriter) Write(inc *Incident) error {
	if iw.err != nil {
		return iw.err
	}
	b := iw.buf[:0]
	if iw.n > 0 {
		b = append(b, ',')
	}
	b = append(b, '\n')
	b = appendFeature(b, inc)
	iw.buf = b
	iw.n++
	_, iw.err = iw.w.Write(b)
	return iw.err
}

// WriteRaw writes a feature already encoded, such as one of the file being
// rewritten as ScanIncidents hands it out, byte for byte; a feature spread
// over several lines (an indented file) is made compact first, so the file
// keeps one feature a line. raw must be one valid feature.
func (iw *IncidentWriter) WriteRaw(raw []byte) error {
	if iw.err != nil {
		return iw.err
	}
	b := iw.buf[:0]
	if iw.n > 0 {
		b = append(b, ',')
	}
	b = append(b, '\n')
	if bytes.IndexByte(raw, '\n') >= 0 || bytes.IndexByte(raw, '\r') >= 0 { // memchr, unlike ContainsAny
		var compact bytes.Buffer
		if iw.err = json.Compact(&compact, raw); iw.err != nil {
			return iw.err
		}
		raw = compact.Bytes()
	}
	iw.buf = b
	iw.n++
	if _, iw.err = iw.w.Write(b); iw.err != nil {
		return iw.err
	}
	_, iw.err = iw.w.Write(raw)
	return iw.err
}

// Close ends the file and flushes it to the writer, which it does not close.
func (iw *IncidentWriter) Close() error {
	if iw.err != nil {
		return iw.err
	}
	if _, iw.err = iw.w.WriteString("\n]}\n"); iw.err != nil {
		return iw.err
	}
	iw.err = iw.w.Flush()
	return iw.err
}

// appendFeature appends inc as a feature of the data file, compact: the
// one writer of its schema (geo.IncidentFields, in their order).
func appendFeature(b []byte, inc *Incident) []byte {
	b = append(b, `{"type":"Feature","id":`...)
	b = appendJSONString(b, inc.ID)
	b = append(b, `,"geometry":{"type":"Point","coordinates":[`...)
	b = appendJSONFloat(b, inc.Point.Lon())
	b = append(b, ',')
	b = appendJSONFloat(b, inc.Point.Lat())
	b = append(b, `]},"properties":{"date":"`...)
	b = inc.Date.Append(b)
	b = append(b, `","date_end":`...)
	if inc.IsSpan() {
		b = append(b, '"')
		b = inc.DateEnd.Append(b)
		b = append(b, '"')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"weapon":`...)
	b = appendJSONString(b, inc.Weapon.String())
	b = append(b, `,"count":`...)
	b = appendJSONNumber(b, inc.Count)
	b = append(b, `,"base":`...)
	if inc.Base == "" {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, inc.Base)
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, inc.Status.String())
	b = append(b, `,"outcome":`...)
	b = appendJSONString(b, inc.Outcome)
	b = append(b, `,"injured":`...)
	b = appendJSONNumber(b, inc.Injured)
	b = append(b, `,"killed":`...)
	b = appendJSONNumber(b, inc.Killed)
	b = append(b, `,"claimed_by":`...)
	b = appendJSONStrings(b, inc.ClaimedBy)
	b = append(b, `,"location_precision":`...)
	b = appendJSONString(b, inc.LocationPrecision.String())
	b = append(b, `,"sources":[`...)
	for i, s := range inc.Sources {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"publisher":`...)
		b = appendJSONString(b, s.Publisher)
		if s.URL != "" {
			b = append(b, `,"url":`...)
			b = appendJSONString(b, s.URL)
		}
		if s.Published.Known() {
			b = append(b, `,"published":`...)
			b = appendJSONString(b, s.Published.String())
		}
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, s.Kind.String())
		b = append(b, `,"says":`...)
		b = appendJSONString(b, s.Says)
		b = append(b, '}')
	}
	b = append(b, `],"disputed":`...)
	b = appendJSONStrings(b, inc.Disputed)
	b = append(b, `,"notes":`...)
	b = appendJSONString(b, inc.Notes)
	return append(b, "}}"...)
}

func appendJSONNumber(b []byte, n Number) []byte {
	v, ok := n.Get()
	if !ok {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(v), 10)
}

func appendJSONStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONFloat writes f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 to e-9, as encoding/json does
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString writes s as encoding/json does with HTML escaping off,
// as the data files have always been written (see jsonstring.Append).
func appendJSONString(b []byte, s string) []byte { return jsonstring.Append(b, s, false) }

// pointOut is a GeoJSON Point as the data files write it.
type pointOut struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // [lon, lat]
}

// nonNil makes an absent list an empty one, so that it is written as [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
