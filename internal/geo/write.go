package geo

import (
	"bytes"
	"encoding/json"
)

// MarshalIncidents encodes incidents as an incidents.geojson data file: the
// inverse of the loader. The output is deterministic: features in the order
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
