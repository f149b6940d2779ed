// Package request reads the query strings of strikemap's HTTP interfaces (the
// GeoJSON API and the OGC API) into geo values, and carries the errors a
// client sees when it got them wrong. Both interfaces share it so that the
// same mistake gets the same message wherever it is made.
package request

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// MaxListItems caps every comma-separated list parameter.
const MaxListItems = 100

// FilterParams are the query parameters that Filter reads.
func FilterParams() []string { return slices.Clone(filterParams) }

// filterParams is what FilterParams returns a copy of.
var filterParams = []string{"from", "to", "weapon", "status", "base", "bbox"}

// AsOfParam names the dataset version a request is answered at
// (?as_of=VERSION): every data endpoint takes it, and the server resolves
// it before the handler runs, so Query lets it through everywhere.
const AsOfParam = "as_of"

// Query returns the request's query, or a 400 when it holds a parameter
// that is not allowed or one given twice. AsOfParam is always allowed.
func Query(raw string, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, BadParam("", "the query string is not valid URL encoding: %v", err)
	}
	for name, vals := range q {
		if !slices.Contains(allowed, name) && name != AsOfParam {
			return nil, BadParam(name, "unknown parameter %q; this endpoint takes: %s", Truncate(name), strings.Join(append(slices.Clone(allowed), AsOfParam), ", "))
		}
		if len(vals) > 1 {
			return nil, BadParam(name, "parameter %s is given %d times; give it once, with a comma-separated list where it takes several values", name, len(vals))
		}
	}
	return q, nil
}

// Filter reads the incident filter parameters. Base ids must exist in d.
func Filter(q url.Values, d *geo.Dataset) (geo.Filter, error) {
	var f geo.Filter
	var err error
	if f.From, err = Date(q, "from"); err != nil {
		return f, err
	}
	if f.To, err = Date(q, "to"); err != nil {
		return f, err
	}
	if f.From != nil && f.To != nil && *f.From > *f.To {
		return f, BadParam("from", "from %s is after to %s; the range is inclusive, so from must be on or before to", f.From, f.To)
	}
	if f.Weapons, err = WeaponParam(q); err != nil {
		return f, err
	}
	if f.Statuses, err = StatusParam(q); err != nil {
		return f, err
	}
	if f.Bases, err = BaseIDs(q, "base", d); err != nil {
		return f, err
	}
	if f.BBox, err = BBox(q, "bbox"); err != nil {
		return f, err
	}
	return f, nil
}

// Date reads a YYYY-MM-DD date parameter; it is nil when absent.
func Date(q url.Values, name string) (*geo.Date, error) {
	s := q.Get(name)
	if s == "" {
		if q.Has(name) {
			return nil, BadParam(name, "%s is empty; give a date as YYYY-MM-DD or leave it out", name)
		}
		return nil, nil
	}
	d, err := geo.ParseDate(s)
	if err != nil {
		return nil, BadParam(name, "%s: %s is not a date; use YYYY-MM-DD, e.g. 2023-10-18", name, strconv.Quote(Truncate(s)))
	}
	return &d, nil
}

// List splits a comma-separated parameter; it is nil when absent.
func List(q url.Values, name string) ([]string, error) {
	if !q.Has(name) {
		return nil, nil
	}
	items := strings.Split(q.Get(name), ",")
	if len(items) > MaxListItems {
		return nil, BadParam(name, "%s has %d values; at most %d are allowed", name, len(items), MaxListItems)
	}
	for i, it := range items {
		if it == "" {
			return nil, BadParam(name, "%s has an empty value at position %d; separate values with single commas", name, i+1)
		}
	}
	return items, nil
}

// Word is a term of a vocabulary that is not the data's, such as the
// layers of a map.
type Word string

func (w Word) String() string { return string(w) }

// The vocabularies the filters read, copied once: geo hands out a copy
// per call, and Vocabulary only reads them (never returns them), so one
// copy serves every request.
var weapons, statuses = geo.Weapons(), geo.Statuses()

// WeaponParam is the weapon= filter: Vocabulary of geo.Weapons.
func WeaponParam(q url.Values) ([]geo.Weapon, error) { return Vocabulary(q, "weapon", weapons) }

// StatusParam is the status= filter: Vocabulary of geo.Statuses.
func StatusParam(q url.Values) ([]geo.Status, error) { return Vocabulary(q, "status", statuses) }

// Vocabulary reads a comma-separated list of words of allowed, dropping
// repeats; it is nil when absent.
func Vocabulary[T geo.Term](q url.Values, name string, allowed []T) ([]T, error) {
	items, err := List(q, name)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		v, ok := geo.ParseTerm(allowed, it)
		if !ok {
			return nil, BadParam(name, "%s %s is not one of %s", name, strconv.Quote(Truncate(it)), strings.Join(geo.Words(allowed), ", "))
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// NoBaseWord stands for the incidents with no known target base in a list
// of base ids (base=harir,-). A base id starts with a letter or a digit, so
// none can be "-".
const NoBaseWord = "-"

// BaseIDs reads a comma-separated list of base ids that must exist in d,
// dropping repeats; NoBaseWord in it becomes geo.NoBase. It is nil when
// absent.
func BaseIDs(q url.Values, name string, d *geo.Dataset) ([]string, error) {
	items, err := List(q, name)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for _, id := range items {
		if id == NoBaseWord {
			id = geo.NoBase
		} else if _, ok := d.Base(id); !ok {
			return nil, BadParam(name, "%s %s is not a known base id; known ids: %s, or %s for incidents with no known base", name, strconv.Quote(Truncate(id)), baseIDList(d), NoBaseWord)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// baseIDList names the dataset's base ids for an error message, the first
// twenty of them when there are more.
func baseIDList(d *geo.Dataset) string {
	ids := make([]string, 0, 20)
	for i, b := range d.Bases {
		if i == 20 {
			return strings.Join(ids, ", ") + fmt.Sprintf(" and %d more", len(d.Bases)-20)
		}
		ids = append(ids, b.ID)
	}
	return strings.Join(ids, ", ")
}

// Order reads a sort order (date, -date, base, -base); it is geo.ByDate
// when absent.
func Order(q url.Values, name string) (geo.Order, error) {
	if !q.Has(name) {
		return geo.ByDate, nil
	}
	o, ok := geo.ParseTerm(geo.Orders(), q.Get(name))
	if !ok {
		return geo.ByDate, BadParam(name, "%s %s is not one of %s (a leading - reverses the order)", name, strconv.Quote(Truncate(q.Get(name))), strings.Join(geo.Words(geo.Orders()), ", "))
	}
	return o, nil
}

// BBox reads minLon,minLat,maxLon,maxLat in degrees (CRS84). A box whose
// minLon is greater than its maxLon crosses the antimeridian (RFC 7946 §5.2).
func BBox(q url.Values, name string) (*orb.Bound, error) {
	if !q.Has(name) {
		return nil, nil
	}
	const want = "give minLon,minLat,maxLon,maxLat in degrees, e.g. 38,32,45,37.5"
	parts := strings.Split(q.Get(name), ",")
	if len(parts) != 4 {
		return nil, BadParam(name, "%s has %d numbers; %s", name, len(parts), want)
	}
	var v [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, BadParam(name, "%s value %d, %s, is not a finite number; %s", name, i+1, strconv.Quote(Truncate(p)), want)
		}
		v[i] = x
	}
	switch {
	case v[0] < -180 || v[0] > 180 || v[2] < -180 || v[2] > 180:
		return nil, BadParam(name, "%s longitudes must be within -180..180; %s", name, want)
	case v[1] < -90 || v[1] > 90 || v[3] < -90 || v[3] > 90:
		return nil, BadParam(name, "%s latitudes must be within -90..90; %s", name, want)
	case v[1] > v[3]:
		return nil, BadParam(name, "%s minLat %v is greater than maxLat %v; %s", name, v[1], v[3], want)
	}
	return &orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// Truncate shortens what a client sent before it is echoed in an error.
func Truncate(s string) string {
	const n = 64
	if len(s) <= n {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ToValidUTF8(s[:n], "\uFFFD") + "…"
}

// unescaped are the characters a readable query keeps as they are: legal
// in a URL's query (RFC 3986, 3.4), and the separators of strikemap's own
// values (map=9/33.8/42.44, weapon=drone,rocket).
var unescaped = strings.NewReplacer("%2F", "/", "%2C", ",", "%3A", ":")

// ReadableQuery is q.Encode() with "/", "," and ":" written as they are,
// as the map page writes its own links (queryString in state.js), so that
// a link the server writes reads as the page's own. Only an escaped
// character becomes one of them: a literal "%2F" in a value is "%252F".
func ReadableQuery(q url.Values) string { return unescaped.Replace(q.Encode()) }
