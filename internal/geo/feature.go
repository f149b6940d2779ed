package geo

import (
	"bytes"
	"encoding/json"
)

// MarshalIncidentFeature encodes one incident as a feature of
// incidents.geojson, compact, exactly as IncidentWriter writes it: the
// form an edit of the record (package store) carries.
func MarshalIncidentFeature(inc *Incident) []byte { return appendFeature(nil, inc) }

// MarshalBaseFeature encodes one base as a feature of bases.geojson,
// compact, with its properties in the order docs/data.md lists them: the
// optional ones (short_name, admin1, icao, iata, coord_source_url, notes)
// only when set, as the shipped file has them.
func MarshalBaseFeature(b *Base) []byte {
	type props struct {
		Name        string   `json:"name"`
		ShortName   string   `json:"short_name,omitempty"`
		Aliases     []string `json:"aliases"`
		Country     string   `json:"country"`
		Admin1      string   `json:"admin1,omitempty"`
		Kind        BaseKind `json:"kind"`
		ICAO        string   `json:"icao,omitempty"`
		IATA        string   `json:"iata,omitempty"`
		CoordSource string   `json:"coord_source"`
		CoordURL    string   `json:"coord_source_url,omitempty"`
		Notes       string   `json:"notes,omitempty"`
	}
	f := struct {
		Type       string   `json:"type"`
		ID         string   `json:"id"`
		Geometry   pointOut `json:"geometry"`
		Properties props    `json:"properties"`
	}{"Feature", b.ID, pointOut{Type: "Point", Coordinates: [2]float64{b.Point.Lon(), b.Point.Lat()}}, props{
		Name: b.Name, ShortName: b.ShortName, Aliases: nonNil(b.Aliases), Country: b.Country, Admin1: b.Admin1,
		Kind: b.Kind, ICAO: b.ICAO, IATA: b.IATA, CoordSource: b.CoordSource, CoordURL: b.CoordURL, Notes: b.Notes,
	}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(f) // cannot fail: strings, numbers and lists of strings
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
