package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// BaseKind classifies a site.
type BaseKind string

// The kinds of site.
const (
	KindAirBase  BaseKind = "air_base"
	KindAirport  BaseKind = "airport"
	KindGarrison BaseKind = "garrison"
	KindOutpost  BaseKind = "outpost"
	KindFacility BaseKind = "facility"
)

var baseKinds = []BaseKind{KindAirBase, KindAirport, KindGarrison, KindOutpost, KindFacility}

// BaseKinds returns every valid BaseKind.
//
// It is a copy: a caller may change it.
func BaseKinds() []BaseKind { return slices.Clone(baseKinds) }

func (k BaseKind) String() string { return string(k) }

// Base is a military site that incidents can target.
type Base struct {
	ID          string    // stable id, e.g. "ain-al-asad"
	Name        string    // display name
	ShortName   string    // the name a map label takes where the full one has no room, or "" (see Short)
	Aliases     []string  // other names in use
	Country     string    // ISO 3166-1 alpha-2 code
	Admin1      string    // first-level administrative division (governorate, province)
	Kind        BaseKind  // what sort of site
	ICAO        string    // ICAO airport code, or ""
	IATA        string    // IATA airport code, or ""
	Point       orb.Point // [lon, lat], WGS84 degrees
	CoordSource string    // where the coordinate comes from
	CoordURL    string    // link to the coordinate's source (absolute http(s)), or ""
	Notes       string    // uncertainty about the coordinate or the site, or ""
}

// defaultExtent is Extent's box for a dataset with neither bases nor
// incidents: Iraq and Syria, the region the project maps.
var defaultExtent = orb.Bound{Min: orb.Point{35.5, 29}, Max: orb.Point{48.6, 37.4}}

// Extent is the box the map page and a fitted map open on, in [lon, lat]
// degrees (WGS84): the bound of every base; with no base, the bound of
// every incident; with neither, Iraq and Syria (lon 35.5 to 48.6, lat 29
// to 37.4), never the empty box at [0, 0], off the coast of Africa.
func (d *Dataset) Extent() orb.Bound {
	if b, ok := d.BasesBound(); ok {
		return b
	}
	if len(d.Incidents) == 0 {
		return defaultExtent
	}
	b := d.Incidents[0].Point.Bound()
	for _, inc := range d.Incidents[1:] {
		b = b.Extend(inc.Point)
	}
	return b
}

// BasesBound is the smallest box holding every base of d, in lon/lat
// degrees (WGS84). ok is false, and the bound empty at [0, 0], when d has
// no base (see Extent).
func (d *Dataset) BasesBound() (b orb.Bound, ok bool) {
	if len(d.Bases) == 0 {
		return orb.Bound{}, false
	}
	b = d.Bases[0].Point.Bound()
	for _, base := range d.Bases[1:] {
		b = b.Extend(base.Point)
	}
	return b, true
}
