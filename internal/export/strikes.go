package export

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb/geojson"

	"strikemap/internal/geo"
)

// StrikeProperties are the properties of a strike feature: every one is
// written on every feature (null where unknown), so GDAL and QGIS see one
// schema.
type StrikeProperties struct {
	Kind              string         `json:"kind"` // always "strike": not an incident
	Date              string         `json:"date"`
	DateEnd           *string        `json:"date_end"`
	Attacker          string         `json:"attacker"`
	Target            string         `json:"target"`
	TargetGroups      []string       `json:"target_groups"`
	Place             string         `json:"place"`
	Country           string         `json:"country"`
	LocationPrecision geo.Precision  `json:"location_precision"`
	CoordSource       string         `json:"coord_source"`
	InResponseTo      []string       `json:"in_response_to"`
	Killed            *int           `json:"killed"`
	Status            geo.Status     `json:"status"`
	Sources           []SourceObject `json:"sources"`
	Disputed          []string       `json:"disputed"`
	Notes             string         `json:"notes"`
}

// StrikeFeatureProperties returns the properties of a strike's feature.
func StrikeFeatureProperties(s *geo.Strike) StrikeProperties {
	p := StrikeProperties{
		Kind: "strike", Date: s.Date.String(), Attacker: s.Attacker, Target: s.Target,
		TargetGroups: nonNil(s.TargetGroups), Place: s.Place, Country: s.Country,
		LocationPrecision: s.LocationPrecision, CoordSource: s.CoordSource,
		InResponseTo: nonNil(s.InResponseTo), Killed: s.Killed.Ptr(), Status: s.Status,
		Sources: sourceObjects(s.Sources), Disputed: nonNil(s.Disputed), Notes: s.Notes,
	}
	if s.DateEnd != s.Date {
		p.DateEnd = ptr(s.DateEnd.String())
	}
	return p
}

// Strikes encodes strikes as a GeoJSON FeatureCollection.
func Strikes(strikes []geo.Strike) ([]byte, error) {
	page := make([]*geo.Strike, len(strikes))
	for i := range strikes {
		page[i] = &strikes[i]
	}
	return Marshal(StrikeCollection(page))
}

// StrikeCollection returns strikes as a FeatureCollection to which a caller
// may add members (such as OGC API paging links) before Marshal.
func StrikeCollection(strikes []*geo.Strike) *geojson.FeatureCollectionOf[StrikeProperties] {
	fc := newCollection[StrikeProperties](len(strikes))
	for _, s := range strikes {
		fc.Features = append(fc.Features, StrikeFeature(s))
	}
	return fc
}

// StrikeFeature returns one strike as a GeoJSON Feature.
func StrikeFeature(s *geo.Strike) *geojson.FeatureOf[StrikeProperties] {
	return feature(s.ID, s.Point, StrikeFeatureProperties(s))
}

// StrikesCSVHeader is the column list of the strikes CSV.
func StrikesCSVHeader() []string { return slices.Clone(strikesCSVHeader) }

// strikesCSVHeader is what StrikesCSVHeader returns a copy of.
var strikesCSVHeader = []string{
	"id", "date", "date_end", "attacker", "target", "target_groups", "place", "country",
	"location_precision", "longitude", "latitude", "coord_source", "in_response_to", "killed",
	"status", "disputed", "notes", "source_count", "sources", "first_source_url",
}

// StrikesCSV writes strikes as CSV, as IncidentsCSV writes incidents.
func StrikesCSV(strikes []geo.Strike) ([]byte, error) {
	var buf bytes.Buffer
	t, err := newCSVTable(&buf, strikesCSVHeader)
	if err != nil {
		return nil, err
	}
	for i := range strikes {
		s := &strikes[i]
		p := StrikeFeatureProperties(s)
		sources, firstURL := sourceLines(s.Sources)
		err := t.row(
			s.ID, p.Date, deref(p.DateEnd), s.Attacker, s.Target, strings.Join(s.TargetGroups, "; "), s.Place, s.Country,
			s.LocationPrecision.String(), formatCoord(s.Point.Lon()), formatCoord(s.Point.Lat()), s.CoordSource,
			strings.Join(s.InResponseTo, "; "), intCell(s.Killed), s.Status.String(), strings.Join(s.Disputed, "; "), s.Notes,
			strconv.Itoa(len(s.Sources)), strings.Join(sources, "\n"), firstURL,
		)
		if err != nil {
			return nil, err
		}
	}
	if err := t.close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// OfficialCountObject is one count of /api/official-counts.json, with
// Mapped, the incidents the map holds to the same day in the same scope.
type OfficialCountObject struct {
	Date      string       `json:"date"`
	Count     int          `json:"count"`
	Qualifier string       `json:"qualifier"`
	Scope     string       `json:"scope"`
	Countries []string     `json:"countries"`
	Iraq      *int         `json:"iraq"`
	Syria     *int         `json:"syria"`
	Mapped    int          `json:"mapped"`
	Source    SourceObject `json:"source"`
}

// OfficialCounts encodes the dataset's official counts, each beside the
// number of incidents mapped by its date in its scope.
func OfficialCounts(d *geo.Dataset) ([]byte, error) {
	out := struct {
		Counts []OfficialCountObject `json:"counts"`
	}{Counts: make([]OfficialCountObject, len(d.OfficialCounts))}
	for i, c := range d.OfficialCounts {
		out.Counts[i] = OfficialCountObject{
			Date: c.Date.String(), Count: c.Count, Qualifier: c.Qualifier.String(), Scope: c.Scope,
			Countries: c.Countries, Iraq: c.Iraq.Ptr(), Syria: c.Syria.Ptr(),
			Mapped: d.MappedBy(c.Date, c.Countries), Source: sourceObjects([]geo.Source{c.Source})[0],
		}
	}
	return json.Marshal(out)
}

func sourceObjects(sources []geo.Source) []SourceObject {
	out := make([]SourceObject, len(sources))
	for i, s := range sources {
		o := SourceObject{Publisher: s.Publisher, Kind: s.Kind, Says: s.Says}
		if s.URL != "" {
			o.URL = ptr(s.URL)
		}
		if s.Published.Known() {
			o.Published = ptr(s.Published.String())
		}
		out[i] = o
	}
	return out
}
