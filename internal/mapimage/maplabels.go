package mapimage

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"golang.org/x/text/unicode/norm"
)

// The offline basemap's names: the countries' and the towns', drawn by
// zoom as the map page draws them (web/static/js/map/maplabels.js), where
// they cover no mark, base, base label, part of the frame or other name.

// placeName is a name of the basemap: a country's (with the points it may
// go at, the best first) or a town's.
type placeName struct {
	name    string
	points  []orb.Point
	minzoom float64
	country bool
	capital string // a town's: "country", "province" or ""
	iso     string // a country's ISO 3166 code, which names its land too
}

var (
	countryLabelStyle = textStyle{size: 12, bold: true, colour: "#7b8190", halo: colWhite}
	placeStyle        = textStyle{size: 12, colour: "#4b5563", halo: colWhite}
	seatStyle         = textStyle{size: 12, colour: "#1f2937", halo: colWhite}
	capitalStyle      = textStyle{size: 13, bold: true, colour: "#111827", halo: colWhite}
)

const (
	namePad    = 2.0 // kept between a name and anything else, as on the page
	nameMargin = 2.0 // kept clear of the image's edge
	townDot    = 6.0
	capitalDot = 8.0
)

func (p placeName) style() textStyle {
	switch {
	case p.country:
		return countryLabelStyle
	case p.capital == "country":
		return capitalStyle
	case p.capital == "province":
		return seatStyle
	}
	return placeStyle
}

func (p placeName) text() string {
	if p.country {
		return strings.ToUpper(p.name)
	}
	return p.name
}

func (p placeName) dot() float64 {
	if p.capital == "country" {
		return capitalDot
	}
	return townDot
}

// nameLabel is a placed name: its box, where its text starts and, for a
// town, its dot.
type nameLabel struct {
	p           placeName
	box         box
	x, baseline float64 // where the text starts
	dot         box
	hasDot      bool
}

// nameAnchors are the sides a name may take, best first: a town's beside
// its dot, a country's on its point.
var (
	townAnchors    = []string{"right", "left", "above", "below"}
	countryAnchors = []string{"center", "above", "below"}
)

// anchorBox is the box of a w × h label for the point (x, y) at anchor,
// gap pixels clear of it (labels.js's labelBox).
func anchorBox(x, y, w, h, gap float64, anchor string) box {
	var x0, y0 float64
	switch anchor {
	case "right":
		x0, y0 = x+gap, y-h/2
	case "left":
		x0, y0 = x-gap-w, y-h/2
	case "above":
		x0, y0 = x-w/2, y-gap-h
	case "below":
		x0, y0 = x-w/2, y+gap
	default: // center
		x0, y0 = x-w/2, y-h/2
	}
	return box{x0, y0, x0 + w, y0 + h}
}

// placeNames places the basemap's names shown at the view's zoom: the
// countries first (the larger ones, shown from farther out, first), then
// the towns in the basemap's order (by zoom, capitals, then population),
// each where it covers nothing in obs and nothing placed before it. A town
// is drawn with its dot or not at all.
func (r *Renderer) placeNames(vp viewport, v *View, obs *obstacles) []nameLabel {
	if len(r.names) == 0 {
		return nil
	}
	zoom := math.Floor(math.Log2(vp.worldPx/256) + 1e-9)
	img := box{0, 0, v.Width, v.Height}.pad(-nameMargin)
	var out []nameLabel
	for _, p := range r.names {
		if p.minzoom > zoom {
			continue
		}
		st := p.style()
		text := p.text()
		m := r.face(st).Metrics()
		w := r.textWidth(text, st) + 2*namePad
		h := m.Ascent + m.Descent + 2*namePad
		anchors, gap := countryAnchors, 2.0
		var dot box
		if !p.country {
			anchors, gap = townAnchors, p.dot()/2+3
		}
		placed := false
		points := p.points
		if p.country {
			// Zoomed in, none of the country's label points may be in the
			// image, or free: it is named where else its land is.
			points = append(slices.Clip(points), r.landPoints(vp, v, p.iso)...)
		}
		for _, pt := range points {
			x, y := vp.px(pt)
			if !(x > 0 && y > 0 && x < v.Width && y < v.Height) {
				continue
			}
			if !p.country {
				dot = centred(x, y, p.dot()/2)
				if !dot.inside(img) || obs.hits(dot) {
					break // a town whose dot is covered is not named
				}
			}
			for _, a := range anchors {
				b := anchorBox(x, y, w, h, gap, a)
				if !b.inside(img) || obs.hits(b) || (!p.country && b.overlaps(dot)) {
					continue
				}
				l := nameLabel{p: p, box: b, x: b.x0 + namePad, baseline: b.y0 + namePad + m.Ascent}
				if !p.country {
					l.dot, l.hasDot = dot, true
					obs.add(dot)
				}
				obs.add(b)
				out = append(out, l)
				placed = true
				break
			}
			if placed || !p.country {
				break
			}
		}
	}
	return out
}

// landGrid is how many points across and down landPoints tries.
const landGrid = 7

// landPoints returns points of the image that lie in the land of the
// country iso, the farthest from the image's centre (where the map's
// subject is) first: where its name may go
// when the image shows none of its label points (a base's report map, 150
// km across, showed neither Iraq's name nor any other).
func (r *Renderer) landPoints(vp viewport, v *View, iso string) []orb.Point {
	land, ok := r.lands[iso]
	if !ok {
		return nil
	}
	type at struct {
		p orb.Point
		d float64
	}
	var in []at
	for i := 1; i <= landGrid; i++ {
		for j := 1; j <= landGrid; j++ {
			x, y := v.Width*float64(i)/(landGrid+1), v.Height*float64(j)/(landGrid+1)
			p := vp.lonLat(x, y)
			if contains(land, p) {
				in = append(in, at{p, math.Hypot(x-v.Width/2, y-v.Height/2)})
			}
		}
	}
	slices.SortStableFunc(in, func(a, b at) int { return cmp.Compare(b.d, a.d) })
	out := make([]orb.Point, len(in))
	for i, a := range in {
		out[i] = a.p
	}
	return out
}

// contains reports whether the polygon or multipolygon g holds p.
func contains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	}
	return false
}

// drawNames paints the placed names and the towns' dots.
func drawNames(s surface, names []nameLabel) {
	s.group("names", "", "")
	for _, l := range names {
		class := "town-name"
		if l.p.country {
			class = "country-name"
		}
		s.group(class, "", "")
		if l.hasDot {
			d := l.dot
			switch l.p.capital {
			case "country":
				s.path(d.rect(), style{fill: "#111827", stroke: colWhite, width: 1})
			case "province":
				s.path([]subpath{{pts: circlePoints((d.x0+d.x1)/2, (d.y0+d.y1)/2, d.w()/2-0.5, 0, 2*math.Pi, 16), closed: true}}, style{fill: "#374151", stroke: colWhite, width: 1})
			default:
				s.path([]subpath{{pts: circlePoints((d.x0+d.x1)/2, (d.y0+d.y1)/2, d.w()/2-0.5, 0, 2*math.Pi, 16), closed: true}}, style{fill: "#6b7280", stroke: colWhite, width: 1})
			}
		}
		// The text in a group of its own: it has no box round it, only
		// the length it is held to.
		s.group("name", "", "")
		s.text(l.x, l.baseline, l.p.text(), l.p.style())
		s.end()
		s.end()
	}
	s.end()
}

// defaultCredit names the basemap's sources when its file does not.
const defaultCredit = "Basemap: Natural Earth"

// credit is the basemap's attribution for v: the file's own (which
// credits GeoNames for the towns) when a town may be named in the view,
// else Natural Earth's alone.
func (r *Renderer) credit(vp viewport, v *View) string {
	zoom := math.Floor(math.Log2(vp.worldPx/256) + 1e-9)
	for _, p := range r.names {
		if p.country || p.minzoom > zoom {
			continue
		}
		x, y := vp.px(p.points[0])
		if x > 0 && y > 0 && x < v.Width && y < v.Height {
			return r.townCredit
		}
	}
	return defaultCredit
}

// readNames reads the basemap's names: "country-label" features (a Point
// or a MultiPoint, the best point first) and "place" points, each with a
// name and a minzoom, a place with its capital (country, province or
// none). Countries come first, by minzoom; the towns keep the file's order.
func readNames(f *geojson.Feature) (placeName, bool) {
	layer, _ := f.Properties["layer"].(string)
	name, _ := f.Properties["name"].(string)
	if name == "" || (layer != "country-label" && layer != "place") {
		return placeName{}, false
	}
	p := placeName{name: name, minzoom: f.Properties.MustFloat64("minzoom", 0), country: layer == "country-label"}
	p.capital, _ = f.Properties["capital"].(string)
	p.iso, _ = f.Properties["iso_a2"].(string)
	switch g := f.Geometry.(type) {
	case orb.Point:
		p.points = []orb.Point{g}
	case orb.MultiPoint:
		p.points = g
	}
	return p, len(p.points) > 0
}

// fold writes s with letters the Go fonts have: a letter they lack is
// written without its accents ("Al Ḩasakah" as "Al Hasakah"), so that no
// name shows an empty box.
func (r *Renderer) fold(s string) string {
	font := r.face(placeStyle).font
	has := font.has
	var b strings.Builder
	for _, c := range s {
		if has(c) {
			b.WriteRune(c)
			continue
		}
		for _, d := range norm.NFD.String(string(c)) {
			if has(d) {
				b.WriteRune(d)
			}
		}
	}
	return b.String()
}
