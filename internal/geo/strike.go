package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// StrikesFile is the optional file of a dataset directory that holds the
// strikes made in response to the attacks: the other side of the story.
const StrikesFile = "strikes.geojson"

// Strike is one strike that a state made on a place, such as the US strikes
// in Iraq and Syria that answered the attacks of 2023-2024. It is not an
// Incident: its target is a facility or a group's site, not a base, and its
// roles are reversed (the attacker is the state whose forces the incidents
// target). Point is [lon, lat] in WGS84.
type Strike struct {
	ID    string
	Point orb.Point
	// Date and DateEnd are the local days of the strike (equal for one day).
	Date, DateEnd Date
	// Attacker is who struck: "United States".
	Attacker string
	// Target is what was struck, in the sources' words.
	Target string
	// TargetGroups are the groups the sources say used the target.
	TargetGroups []string
	// Place names where the point is, e.g. "near Abu Kamal".
	Place string
	// Country is the ISO 3166-1 alpha-2 code of the country struck.
	Country string
	// LocationPrecision is exact, near or region: never base.
	LocationPrecision Precision
	// CoordSource says where the point's coordinate comes from.
	CoordSource string
	// InResponseTo lists the ids of incidents the sources say the strike
	// answered.
	InResponseTo []string
	// Killed is how many the strike killed, when a source says.
	Killed Number
	// Status is the strongest level any source gives, as for incidents.
	Status   Status
	Sources  []Source
	Disputed []string
	Notes    string
}

var strikeDisputableFields = []string{"date", "target", "target_groups", "location", "killed"}

// StrikeDisputableFields returns the strike properties a "disputed" entry may name.
//
// It is a copy: a caller may change it.
func StrikeDisputableFields() []string { return slices.Clone(strikeDisputableFields) }

// strikeProperties is the properties object of a feature in strikes.geojson.
type strikeProperties struct {
	Date              string             `json:"date"`
	DateEnd           *string            `json:"date_end"`
	Attacker          string             `json:"attacker"`
	Target            string             `json:"target"`
	TargetGroups      []string           `json:"target_groups"`
	Place             string             `json:"place"`
	Country           string             `json:"country"`
	LocationPrecision string             `json:"location_precision"`
	CoordSource       string             `json:"coord_source"`
	InResponseTo      []string           `json:"in_response_to"`
	Killed            *int               `json:"killed"`
	Status            string             `json:"status"`
	Sources           []sourceProperties `json:"sources"`
	Disputed          []string           `json:"disputed"`
	Notes             string             `json:"notes"`
}

// readStrikes reads and checks strikes.geojson. incident reports whether an
// id is an incident's, for in_response_to.
func readStrikes(r io.Reader, incident func(id string) bool, problems *[]Problem) ([]Strike, error) {
	var out []Strike
	seen := make(map[string]int)
	k := &keeper{}
	err := forEachFeature(StrikesFile, r, problems, func(i int, raw []byte) {
		f := featureProblems{file: StrikesFile, index: i, problems: problems}
		var p strikeProperties
		pt, ok := f.decodeFeature(raw, &p)
		if f.id != "" {
			if j, dup := seen[f.id]; dup {
				f.add("id", "%q is also the id of feature %d: ids must be unique", f.id, j)
			}
			seen[f.id] = i
		}
		if !ok {
			return
		}
		if s, ok := p.strike(&f, pt, incident, k); ok {
			out = append(out, s)
		}
	})
	slices.SortStableFunc(out, func(a, b Strike) int { return int(a.Date) - int(b.Date) })
	return out, err
}

// strike checks p and turns it into a Strike.
func (p *strikeProperties) strike(f *featureProblems, pt orb.Point, incident func(string) bool, k *keeper) (Strike, bool) {
	before := len(*f.problems)
	s := Strike{
		ID: f.id, Point: pt, Attacker: p.Attacker, Target: p.Target, TargetGroups: p.TargetGroups,
		Place: p.Place, Country: p.Country, LocationPrecision: term(precisions, p.LocationPrecision),
		CoordSource: p.CoordSource, InResponseTo: p.InResponseTo, Status: term(statuses, p.Status),
		Disputed: p.Disputed, Notes: p.Notes,
	}
	s.Date, s.DateEnd = f.days(p.Date, p.DateEnd)
	required := func(field, value, what string) {
		if strings.TrimSpace(value) == "" {
			f.add(field, "is missing: %s", what)
		}
	}
	required("attacker", p.Attacker, "say who struck, e.g. \"United States\"")
	required("target", p.Target, "say what was struck, in the sources' words")
	required("place", p.Place, "name the place the point stands for, e.g. \"near Abu Kamal\"")
	required("coord_source", p.CoordSource, "say where the coordinate comes from")
	if !upperLetters(p.Country, 2) {
		f.add("country", "%q is not an ISO 3166-1 alpha-2 code such as IQ or SY", p.Country)
	}
	switch {
	case !slices.Contains(precisions, s.LocationPrecision):
		f.add("location_precision", "%q is not one of exact, near, region", p.LocationPrecision)
	case s.LocationPrecision == PrecisionBase:
		f.add("location_precision", `is "base", but a strike is not on a base: use exact, near or region`)
	}
	for i, g := range p.TargetGroups {
		if strings.TrimSpace(g) == "" {
			f.add(fmt.Sprintf("target_groups[%d]", i), "is empty")
		}
	}
	for i, id := range p.InResponseTo {
		if !incident(id) {
			f.add(fmt.Sprintf("in_response_to[%d]", i), "%q is not the id of any incident in %s", id, IncidentsFile)
		}
	}
	s.Killed = f.number("killed", p.Killed, 0, "is negative (use null when unknown)")
	for i, d := range p.Disputed {
		if !slices.Contains(strikeDisputableFields, d) {
			f.add(fmt.Sprintf("disputed[%d]", i), "%q is not one of %s", d, strings.Join(strikeDisputableFields, ", "))
		}
	}
	s.Sources = f.sources(p.Sources, k, "strike", "a strike is cited by the page that reports it")
	f.status(s.Status, p.Status, s.Sources, len(p.Sources))
	return s, len(*f.problems) == before
}

// MatchStrike reports whether s passes the conditions of f that a strike
// has: its days overlap [From, To], its status is in Statuses and its point
// lies in BBox. Weapons and Bases are the incidents' own: they must be
// empty, or nothing matches.
func (f *Filter) MatchStrike(s *Strike) bool {
	switch {
	case len(f.Weapons) > 0 || len(f.Bases) > 0:
		return false
	case f.From != nil && s.DateEnd < *f.From, f.To != nil && s.Date > *f.To:
		return false
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, s.Status):
		return false
	case f.BBox != nil && !InBBox(*f.BBox, s.Point):
		return false
	}
	return true
}

// SelectStrikes returns the dataset's strikes that match f, in date order.
// The slice holds pointers into the dataset: read only.
func (d *Dataset) SelectStrikes(f Filter) []*Strike {
	var out []*Strike
	for i := range d.Strikes {
		if f.MatchStrike(&d.Strikes[i]) {
			out = append(out, &d.Strikes[i])
		}
	}
	return out
}

// Strike returns the strike with the given id.
func (d *Dataset) Strike(id string) (*Strike, bool) {
	for i := range d.Strikes {
		if d.Strikes[i].ID == id {
			return &d.Strikes[i], true
		}
	}
	return nil, false
}

// StrikeSpan returns the first and last day of the strikes; ok is false
// when there are none.
func (d *Dataset) StrikeSpan() (first, last Date, ok bool) {
	for i, s := range d.Strikes {
		if i == 0 || s.Date < first {
			first = s.Date
		}
		if i == 0 || s.DateEnd > last {
			last = s.DateEnd
		}
	}
	return first, last, len(d.Strikes) > 0
}

// strikeFeature is a feature of strikes.geojson as MarshalStrikes writes it.
type strikeFeature struct {
	Type       string           `json:"type"`
	ID         string           `json:"id"`
	Geometry   pointOut         `json:"geometry"`
	Properties strikeProperties `json:"properties"`
}

// MarshalStrikes encodes strikes as the file strikes.geojson, in the schema
// Load reads (the same Go type reads and writes it), indented by one space
// as the shipped file is, one feature a strike in the order given.
func MarshalStrikes(strikes []Strike) ([]byte, error) {
	fc := struct {
		Type     string          `json:"type"`
		Features []strikeFeature `json:"features"`
	}{Type: "FeatureCollection", Features: make([]strikeFeature, len(strikes))}
	for i := range strikes {
		s := &strikes[i]
		p := strikeProperties{
			Date: s.Date.String(), Attacker: s.Attacker, Target: s.Target, TargetGroups: nonNil(s.TargetGroups),
			Place: s.Place, Country: s.Country, LocationPrecision: s.LocationPrecision.String(),
			CoordSource: s.CoordSource, InResponseTo: nonNil(s.InResponseTo), Killed: s.Killed.Ptr(),
			Status: s.Status.String(), Sources: make([]sourceProperties, len(s.Sources)),
			Disputed: nonNil(s.Disputed), Notes: s.Notes,
		}
		if s.DateEnd != s.Date {
			end := s.DateEnd.String()
			p.DateEnd = &end
		}
		for j, src := range s.Sources {
			p.Sources[j] = sourceProperties{Publisher: src.Publisher, URL: src.URL, Kind: src.Kind.String(), Says: src.Says}
			if src.Published.Known() {
				pub := src.Published.String()
				p.Sources[j].Published = &pub
			}
		}
		fc.Features[i] = strikeFeature{Type: "Feature", ID: s.ID, Properties: p,
			Geometry: pointOut{Type: "Point", Coordinates: [2]float64{s.Point.Lon(), s.Point.Lat()}}}
	}
	b, err := json.MarshalIndent(fc, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseStrikes checks the contents of a strikes.geojson against d's
// incidents exactly as Load does, and returns its strikes in date order,
// or a *ValidationError whose problems name each feature by its index in
// the file.
func (d *Dataset) ParseStrikes(raw []byte) ([]Strike, error) {
	return parseStrikes(raw, func(id string) bool { _, ok := d.Incident(id); return ok })
}

// IncidentIDs is a set of incident ids: enough to check strikes'
// in_response_to without the incidents (dataset import strikes keeps the
// ids the strikes name as ScanIncidents reads the file).
type IncidentIDs map[string]bool

// ParseStrikes is Dataset.ParseStrikes against the incidents of ids.
func (ids IncidentIDs) ParseStrikes(raw []byte) ([]Strike, error) {
	return parseStrikes(raw, func(id string) bool { return ids[id] })
}

// StrikeReferences returns every id the in_response_to of the strikes in
// raw (a strikes.geojson) name, without checking anything else.
func StrikeReferences(raw []byte) ([]string, error) {
	var fc struct {
		Features []struct {
			Properties struct {
				InResponseTo []string `json:"in_response_to"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("read %s: %w", StrikesFile, err)
	}
	var ids []string
	for _, f := range fc.Features {
		ids = append(ids, f.Properties.InResponseTo...)
	}
	return ids, nil
}

func parseStrikes(raw []byte, incident func(id string) bool) ([]Strike, error) {
	var problems []Problem
	strikes, err := readStrikes(bytes.NewReader(raw), incident, &problems)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", StrikesFile, err)
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return strikes, nil
}
