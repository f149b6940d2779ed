package export

import (
	"encoding/json"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"strikemap/internal/geo"
)

// precision is the rounding factor for coordinates: 6 decimals.
const precision = 1e6

// IncidentProperties are the properties of an incident feature.
type IncidentProperties struct {
	Date              string         `json:"date"`
	DateEnd           *string        `json:"date_end"`
	Weapon            geo.Weapon     `json:"weapon"`
	Count             *int           `json:"count"`
	Base              *string        `json:"base"`
	BaseName          *string        `json:"base_name"`
	Status            geo.Status     `json:"status"`
	Outcome           string         `json:"outcome"`
	Injured           *int           `json:"injured"`
	Killed            *int           `json:"killed"`
	ClaimedBy         []string       `json:"claimed_by"`
	LocationPrecision geo.Precision  `json:"location_precision"`
	Sources           []SourceObject `json:"sources"`
	Disputed          []string       `json:"disputed"`
	Notes             string         `json:"notes"`
}

// SourceObject is one element of an incident's "sources" array.
type SourceObject struct {
	Publisher string         `json:"publisher"`
	URL       *string        `json:"url"`
	Published *string        `json:"published"`
	Kind      geo.SourceKind `json:"kind"`
	Says      string         `json:"says"`
}

// BaseProperties are the properties of a base feature, with the summary of
// the incidents that targeted it under the request's filter.
type BaseProperties struct {
	Name        string   `json:"name"`
	ShortName   string   `json:"short_name"` // the label's name where the full one has no room (geo.Base.Short)
	Aliases     []string `json:"aliases"`
	Country     string   `json:"country"`
	Admin1      string   `json:"admin1"`
	Kind        string   `json:"kind"`
	ICAO        *string  `json:"icao"`
	IATA        *string  `json:"iata"`
	CoordSource string   `json:"coord_source"`
	CoordURL    *string  `json:"coord_source_url"`
	Notes       string   `json:"notes"`
	SummaryProperties
}

// SummaryProperties are a base's attack counts under a filter.
type SummaryProperties struct {
	Attacks        int                `json:"attacks"`
	ByWeapon       map[geo.Weapon]int `json:"by_weapon"`
	ByStatus       map[geo.Status]int `json:"by_status"`
	FirstAttack    *string            `json:"first_attack"`
	LastAttack     *string            `json:"last_attack"`
	Injured        int                `json:"injured"`
	Killed         int                `json:"killed"`
	UnknownInjured int                `json:"incidents_injured_unknown"`
	UnknownKilled  int                `json:"incidents_killed_unknown"`
}

// RingProperties are the properties of a range ring feature.
type RingProperties struct {
	Base     string  `json:"base"`
	RadiusKm float64 `json:"radius_km"`
}

// LinkProperties are the properties of an incident link feature.
type LinkProperties struct {
	Incident   string  `json:"incident"`
	Base       string  `json:"base"`
	DistanceKm float64 `json:"distance_km"`
}

// Incidents encodes incidents as a GeoJSON FeatureCollection through orb's
// geojson types and encoding/json. The server streams with WritePage
// instead, which is several times faster; this stays as the reference that
// the tests check WritePage against, and the baseline of its benchmark.
// d resolves base names.
func Incidents(d *geo.Dataset, incidents []*geo.Incident) ([]byte, error) {
	return Marshal(IncidentCollection(d, incidents))
}

// IncidentCollection returns incidents as a FeatureCollection to which a
// caller may add members (such as OGC API paging links) before Marshal.
func IncidentCollection(d *geo.Dataset, incidents []*geo.Incident) *geojson.FeatureCollectionOf[IncidentProperties] {
	fc := newCollection[IncidentProperties](len(incidents))
	for _, inc := range incidents {
		fc.Features = append(fc.Features, IncidentFeature(d, inc))
	}
	return fc
}

// IncidentFeature returns one incident as a GeoJSON Feature.
func IncidentFeature(d *geo.Dataset, inc *geo.Incident) *geojson.FeatureOf[IncidentProperties] {
	return feature(inc.ID, inc.Point, IncidentFeatureProperties(d, inc))
}

// IncidentFeatureProperties returns the GeoJSON properties of one incident.
func IncidentFeatureProperties(d *geo.Dataset, inc *geo.Incident) IncidentProperties {
	p := IncidentProperties{
		Date:              inc.Date.String(),
		Weapon:            inc.Weapon,
		Count:             inc.Count.Ptr(),
		Status:            inc.Status,
		Outcome:           inc.Outcome,
		Injured:           inc.Injured.Ptr(),
		Killed:            inc.Killed.Ptr(),
		ClaimedBy:         nonNil(inc.ClaimedBy),
		LocationPrecision: inc.LocationPrecision,
		Sources:           make([]SourceObject, len(inc.Sources)),
		Disputed:          nonNil(inc.Disputed),
		Notes:             inc.Notes,
	}
	if inc.IsSpan() {
		p.DateEnd = ptr(inc.DateEnd.String())
	}
	if inc.Base != "" {
		p.Base = ptr(inc.Base)
		if b, ok := d.Base(inc.Base); ok {
			p.BaseName = ptr(b.Name)
		}
	}
	for i, s := range inc.Sources {
		o := SourceObject{Publisher: s.Publisher, Kind: s.Kind, Says: s.Says}
		if s.URL != "" {
			o.URL = ptr(s.URL)
		}
		if s.Published.Known() {
			o.Published = ptr(s.Published.String())
		}
		p.Sources[i] = o
	}
	return p
}

// Bases encodes bases with their summaries (summaries[i] belongs to bases[i]).
func Bases(bases []*geo.Base, summaries []geo.Summary) ([]byte, error) {
	return Marshal(BaseCollection(bases, summaries))
}

// BaseCollection returns bases with their summaries (summaries[i] belongs to
// bases[i]) as a FeatureCollection to which a caller may add members before
// Marshal.
func BaseCollection(bases []*geo.Base, summaries []geo.Summary) *geojson.FeatureCollectionOf[BaseProperties] {
	fc := newCollection[BaseProperties](len(bases))
	for i, b := range bases {
		fc.Features = append(fc.Features, BaseFeature(b, summaries[i]))
	}
	return fc
}

// BaseFeature returns one base with its summary as a GeoJSON Feature.
func BaseFeature(b *geo.Base, s geo.Summary) *geojson.FeatureOf[BaseProperties] {
	p := BaseProperties{
		Name: b.Name, ShortName: b.Short(), Aliases: nonNil(b.Aliases), Country: b.Country, Admin1: b.Admin1,
		Kind: string(b.Kind), ICAO: optional(b.ICAO), IATA: optional(b.IATA),
		CoordSource: b.CoordSource, CoordURL: optional(b.CoordURL), Notes: b.Notes,
		SummaryProperties: Summary(s),
	}
	return feature(b.ID, b.Point, p)
}

// Summary returns the GeoJSON properties of a base's summary.
func Summary(s geo.Summary) SummaryProperties {
	p := SummaryProperties{
		Attacks: s.Attacks, ByWeapon: s.ByWeapon, ByStatus: s.ByStatus,
		Injured: s.Casualties.Injured, Killed: s.Casualties.Killed,
		UnknownInjured: s.Casualties.UnknownInjured, UnknownKilled: s.Casualties.UnknownKilled,
	}
	if s.FirstDate != nil {
		p.FirstAttack = ptr(s.FirstDate.String())
	}
	if s.LastDate != nil {
		p.LastAttack = ptr(s.LastDate.String())
	}
	return p
}

// Rings encodes range rings as Polygon features.
func Rings(rings []geo.RangeRing) ([]byte, error) {
	fc := newCollection[RingProperties](len(rings))
	for _, r := range rings {
		id := r.Base + "-" + formatKm(r.RadiusKm) + "km"
		fc.Features = append(fc.Features, feature(id, r.Polygon, RingProperties{Base: r.Base, RadiusKm: r.RadiusKm}))
	}
	return Marshal(fc)
}

// Links encodes incident links as LineString features.
func Links(links []geo.IncidentLink) ([]byte, error) {
	fc := newCollection[LinkProperties](len(links))
	for _, l := range links {
		p := LinkProperties{Incident: l.Incident, Base: l.Base, DistanceKm: roundTo(l.DistanceKm, 1000)}
		fc.Features = append(fc.Features, feature(l.Incident, l.Line, p))
	}
	return Marshal(fc)
}

func newCollection[P any](n int) *geojson.FeatureCollectionOf[P] {
	return &geojson.FeatureCollectionOf[P]{Type: "FeatureCollection", Features: make([]*geojson.FeatureOf[P], 0, n)}
}

func feature[P any](id string, g orb.Geometry, p P) *geojson.FeatureOf[P] {
	return &geojson.FeatureOf[P]{ID: id, Type: "Feature", Geometry: orb.Round(orb.Clone(g), precision), Properties: p}
}

// Marshal sets the collection's bbox (omitted when it has no features) and
// encodes it.
func Marshal[P any](fc *geojson.FeatureCollectionOf[P]) ([]byte, error) {
	if len(fc.Features) > 0 {
		b := fc.Features[0].Geometry.Bound()
		for _, f := range fc.Features[1:] {
			b = b.Union(f.Geometry.Bound())
		}
		fc.BBox = geojson.NewBBox(b)
	}
	return json.Marshal(fc)
}
