package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"
)

// buildLand returns the land inside bound as one feature (layer "land"), so
// that the map shows the coasts and the neighbours' land around the region
// rather than a rectangle of countries on a sea-coloured page. It is
// simplified at cfg.OuterTolerance (halved until no ring crosses another):
// it is a backdrop, drawn under the countries.
func buildLand(cfg Config, bound orb.Bound) (*geojson.Feature, error) {
	topo, err := ReadTopology(cfg.Land)
	if err != nil {
		return nil, err
	}
	obj := topo.Objects[cfg.LandObj]
	if obj == nil {
		return nil, fmt.Errorf("%s: no object %q", cfg.Land, cfg.LandObj)
	}
	tol := max(cfg.OuterTolerance, cfg.Tolerance)
	for {
		setSimplifier(topo, tol)
		g, err := topo.ToOrb(obj)
		if err != nil {
			return nil, fmt.Errorf("%s: land: %w", cfg.Land, err)
		}
		var mp orb.MultiPolygon
		switch v := g.(type) {
		case orb.Collection:
			for _, sub := range v {
				mp = append(mp, toMultiPolygon(sub)...)
			}
		default:
			mp = toMultiPolygon(g)
		}
		mp = cleanMultiPolygon(clip.MultiPolygon(bound, mp), cfg.landPrecision())
		if len(mp) == 0 {
			return nil, fmt.Errorf("%s: no land inside the land bbox", cfg.Land)
		}
		n := crossingsOffEdge(mp, bound)
		if n == 0 {
			f := geojson.NewFeature(mp)
			f.Properties = geojson.Properties{"layer": "land", "source": "ne_50m_land"}
			return f, nil
		}
		fmt.Fprintf(os.Stderr, "basemap: land tolerance %g: %d segment crossing(s)\n", tol, n)
		if tol < 1e-3 {
			return nil, fmt.Errorf("%s: land still self-intersects at tolerance %g", cfg.Land, tol)
		}
		tol /= 2
	}
}

// buildBorders returns the borders between countries inside bound as one
// MultiLineString feature (layer "border"): every arc of obj that two
// different countries share (TopoJSON keeps a shared border as one arc), as
// topojson.mesh does with its a !== b filter. Coasts are left to the land's
// edge, so a clip edge is never drawn as a border.
func buildBorders(topo *Topology, obj *Geometry, bound orb.Bound, prec int) (*geojson.Feature, error) {
	owners := map[int]map[string]bool{}
	for _, g := range obj.Geometries {
		var idx []int
		switch g.Type {
		case "Polygon":
			var a [][]int
			if err := json.Unmarshal(g.Arcs, &a); err != nil {
				return nil, err
			}
			for _, r := range a {
				idx = append(idx, r...)
			}
		case "MultiPolygon":
			var a [][][]int
			if err := json.Unmarshal(g.Arcs, &a); err != nil {
				return nil, err
			}
			for _, p := range a {
				for _, r := range p {
					idx = append(idx, r...)
				}
			}
		}
		for _, i := range idx {
			if i < 0 {
				i = ^i
			}
			if owners[i] == nil {
				owners[i] = map[string]bool{}
			}
			owners[i][g.IDString()+"|"+g.Name()] = true
		}
	}
	var shared []int
	for i, o := range owners {
		if len(o) >= 2 {
			shared = append(shared, i)
		}
	}
	sort.Ints(shared)
	var mls orb.MultiLineString
	for _, i := range shared {
		ls, err := topo.arc(i)
		if err != nil {
			return nil, err
		}
		mls = append(mls, ls.Clone())
	}
	mls = cleanLines(clip.MultiLineString(bound, mls), prec)
	if len(mls) == 0 {
		return nil, nil
	}
	f := geojson.NewFeature(mls)
	f.Properties = geojson.Properties{"layer": "border", "source": "ne_10m_admin_0_countries"}
	return f, nil
}
