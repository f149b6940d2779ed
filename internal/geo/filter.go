package geo

import (
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Filter selects incidents. The zero Filter selects every incident; each set
// field narrows the selection, and an incident must pass all of them.
type Filter struct {
	// From and To bound the days, inclusive. An incident matches when its
	// [Date, DateEnd] overlaps [From, To]. Nil means unbounded.
	From, To *Date
	// Weapons, Statuses and Bases keep incidents whose value is in the list;
	// an empty list keeps all. NoBase in Bases keeps the incidents with no
	// known target base.
	Weapons  []Weapon
	Statuses []Status
	Bases    []string
	// BBox keeps incidents whose point lies inside it (edges included), in
	// [lon, lat] degrees with Min the south-west corner. A box whose Min
	// longitude is greater than its Max longitude crosses the antimeridian
	// (RFC 7946 §5.2). Nil keeps all.
	BBox *orb.Bound
}

// NoBase is the Base of an incident with no known target, and the word for
// such incidents in Filter.Bases. No base id can be empty.
const NoBase = ""

// IsZero reports whether f keeps every incident, having no condition.
func (f *Filter) IsZero() bool {
	return f.From == nil && f.To == nil && len(f.Weapons) == 0 && len(f.Statuses) == 0 && len(f.Bases) == 0 && f.BBox == nil
}

// Key returns a text that names the conditions of f, for caches of what f
// selects: two filters have the same key exactly when they have the same
// conditions, whatever the order of their lists or the values repeated in
// them (weapon=drone,rocket is weapon=rocket,drone). The zero Filter's key
// is "".
func (f *Filter) Key() string {
	if f.IsZero() {
		return ""
	}
	var b strings.Builder
	if f.From != nil {
		b.WriteString("from=" + f.From.String() + "\n")
	}
	if f.To != nil {
		b.WriteString("to=" + f.To.String() + "\n")
	}
	if len(f.Weapons) > 0 {
		b.WriteString("weapon=" + termsKey(f.Weapons) + "\n")
	}
	if len(f.Statuses) > 0 {
		b.WriteString("status=" + termsKey(f.Statuses) + "\n")
	}
	if len(f.Bases) > 0 {
		// Quoted, since a base id may hold any character.
		ids := slices.Compact(slices.Sorted(slices.Values(f.Bases)))
		b.WriteString("base=")
		for _, id := range ids {
			b.WriteString(strconv.Quote(id))
		}
		b.WriteString("\n")
	}
	if f.BBox != nil {
		b.WriteString("bbox=")
		for _, x := range []float64{f.BBox.Min.Lon(), f.BBox.Min.Lat(), f.BBox.Max.Lon(), f.BBox.Max.Lat()} {
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64) + ",")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// termsKey is a vocabulary's terms, sorted and distinct, as words.
func termsKey[T interface {
	~uint8
	String() string
}](terms []T) string {
	words := make([]string, 0, len(terms))
	for _, t := range slices.Compact(slices.Sorted(slices.Values(terms))) {
		words = append(words, t.String())
	}
	return strings.Join(words, ",")
}

// Match reports whether inc passes every condition of f.
func (f *Filter) Match(inc *Incident) bool {
	if f.From != nil && inc.DateEnd < *f.From {
		return false
	}
	if f.To != nil && inc.Date > *f.To {
		return false
	}
	if len(f.Weapons) > 0 && !slices.Contains(f.Weapons, inc.Weapon) {
		return false
	}
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, inc.Status) {
		return false
	}
	if len(f.Bases) > 0 && !slices.Contains(f.Bases, inc.Base) {
		return false
	}
	if f.BBox != nil && !InBBox(*f.BBox, inc.Point) {
		return false
	}
	return true
}

// unfiltered reports whether f selects every incident by its fields.
func (f *Filter) unfiltered() bool {
	return f.From == nil && f.To == nil && len(f.Weapons) == 0 && len(f.Statuses) == 0 && len(f.Bases) == 0 && f.BBox == nil
}

// InBBox reports whether p lies inside b, edges included, where a b whose Min
// longitude exceeds its Max longitude crosses the antimeridian.
func InBBox(b orb.Bound, p orb.Point) bool {
	if p.Lat() < b.Min.Lat() || p.Lat() > b.Max.Lat() {
		return false
	}
	if b.Min.Lon() <= b.Max.Lon() {
		return p.Lon() >= b.Min.Lon() && p.Lon() <= b.Max.Lon()
	}
	return p.Lon() >= b.Min.Lon() || p.Lon() <= b.Max.Lon()
}

// Select returns the dataset's incidents that match f, in the dataset's
// order (by date). The slice holds pointers into the dataset: read only.
func (d *Dataset) Select(f Filter) []*Incident {
	out, _ := d.Query(f, 0, -1)
	if out == nil {
		out = []*Incident{}
	}
	return out
}

// Points returns the point of each incident, [lon, lat] in WGS84 degrees,
// in the order given: what the cluster index and grid count.
func Points(incidents []*Incident) []orb.Point {
	out := make([]orb.Point, len(incidents))
	for i, inc := range incidents {
		out[i] = inc.Point
	}
	return out
}

// SelectBases returns the bases named by f.Bases (all when it is empty) whose
// point lies in f.BBox, in file order. The other fields of f choose
// incidents, not bases, and are ignored. The slice holds pointers into the
// dataset: read only.
func (d *Dataset) SelectBases(f Filter) []*Base {
	out := make([]*Base, 0, len(d.Bases))
	for i := range d.Bases {
		b := &d.Bases[i]
		if len(f.Bases) > 0 && !slices.Contains(f.Bases, b.ID) {
			continue
		}
		if f.BBox != nil && !InBBox(*f.BBox, b.Point) {
			continue
		}
		out = append(out, b)
	}
	return out
}
