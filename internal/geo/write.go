package geo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// MarshalIncidents encodes incidents as an incidents.geojson data file, the
// inverse of the loader, indented for a person to edit (as the shipped
// file is); IncidentWriter writes large files one feature a line. The output is deterministic: features in the order
// given, every property of the schema in the order docs/data.md lists it
// (null or empty where unknown, so a reader sees one shape), a source's url
// and published only when known, two-space indentation and a final newline.
// Parse(bases, MarshalIncidents(d.Incidents)) gives back the same incidents.
//
// It writes the data file's schema, not the API's: no base_name, no bbox.
func MarshalIncidents(incidents []Incident) ([]byte, error) {
	fc := featureCollectionOut{Type: "FeatureCollection", Features: make([]incidentFeatureOut, len(incidents))}
	for i := range incidents {
		fc.Features[i] = incidentFeature(&incidents[i])
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	// Notes and outcomes are prose: keep their <, > and & readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(fc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
// feature by feature. Features hold the same members, in the same order, as
// MarshalIncidents writes; memory stays at one feature however many there
// are. dataset import and dataset synth both write with it.
type IncidentWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	n   int
	err error
}

// NewIncidentWriter starts a data file on w.
func NewIncidentWriter(w io.Writer) *IncidentWriter {
	iw := &IncidentWriter{w: bufio.NewWriterSize(w, 1<<20)}
	iw.enc = json.NewEncoder(&iw.buf)
	iw.enc.SetEscapeHTML(false) // notes and outcomes are prose: keep <, > and & readable
	_, iw.err = iw.w.WriteString(`{"type":"FeatureCollection","features":[`)
	return iw
}

// Write writes one incident as the next feature.
func (iw *IncidentWriter) Write(inc *Incident) error {
	if iw.err != nil {
		return iw.err
	}
	iw.buf.Reset()
	if iw.n > 0 {
		iw.buf.WriteByte(',')
	}
	iw.buf.WriteByte('\n')
	if iw.err = iw.enc.Encode(incidentFeature(inc)); iw.err != nil {
		return fmt.Errorf("incident %q: %w", inc.ID, iw.err)
	}
	iw.n++
	_, iw.err = iw.w.Write(bytes.TrimSuffix(iw.buf.Bytes(), []byte{'\n'}))
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

// The types below fix the data file's key order; encoding/json writes struct
// fields in declaration order.
type featureCollectionOut struct {
	Type     string               `json:"type"`
	Features []incidentFeatureOut `json:"features"`
}

type incidentFeatureOut struct {
	Type       string      `json:"type"`
	ID         string      `json:"id"`
	Geometry   pointOut    `json:"geometry"`
	Properties incidentOut `json:"properties"`
}

type pointOut struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // [lon, lat]
}

type incidentOut struct {
	Date              string      `json:"date"`
	DateEnd           *string     `json:"date_end"`
	Weapon            Weapon      `json:"weapon"`
	Count             *int        `json:"count"`
	Base              *string     `json:"base"`
	Status            Status      `json:"status"`
	Outcome           string      `json:"outcome"`
	Injured           *int        `json:"injured"`
	Killed            *int        `json:"killed"`
	ClaimedBy         []string    `json:"claimed_by"`
	LocationPrecision Precision   `json:"location_precision"`
	Sources           []sourceOut `json:"sources"`
	Disputed          []string    `json:"disputed"`
	Notes             string      `json:"notes"`
}

type sourceOut struct {
	Publisher string     `json:"publisher"`
	URL       string     `json:"url,omitempty"`
	Published *string    `json:"published,omitempty"`
	Kind      SourceKind `json:"kind"`
	Says      string     `json:"says"`
}

func incidentFeature(inc *Incident) incidentFeatureOut {
	p := incidentOut{
		Date: inc.Date.String(), Weapon: inc.Weapon, Count: inc.Count.Ptr(), Status: inc.Status,
		Outcome: inc.Outcome, Injured: inc.Injured.Ptr(), Killed: inc.Killed.Ptr(),
		ClaimedBy: nonNil(inc.ClaimedBy), LocationPrecision: inc.LocationPrecision,
		Sources: make([]sourceOut, len(inc.Sources)), Disputed: nonNil(inc.Disputed), Notes: inc.Notes,
	}
	if inc.IsSpan() {
		end := inc.DateEnd.String()
		p.DateEnd = &end
	}
	if inc.Base != "" {
		base := inc.Base
		p.Base = &base
	}
	for i, s := range inc.Sources {
		p.Sources[i] = sourceOut{Publisher: s.Publisher, URL: s.URL, Kind: s.Kind, Says: s.Says}
		if s.Published.Known() {
			pub := s.Published.String()
			p.Sources[i].Published = &pub
		}
	}
	return incidentFeatureOut{
		Type: "Feature", ID: inc.ID,
		Geometry:   pointOut{Type: "Point", Coordinates: [2]float64{inc.Point.Lon(), inc.Point.Lat()}},
		Properties: p,
	}
}

// nonNil makes an absent list an empty one, so that it is written as [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
