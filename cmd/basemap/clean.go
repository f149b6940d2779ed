package main

import (
	"math"

	"github.com/paulmach/orb"
)

// minRingArea (square degrees) drops the zero-area slivers clipping and
// rounding leave behind.
const minRingArea = 1e-8

// toMultiPolygon returns g as a MultiPolygon, or nil if g is not areal.
func toMultiPolygon(g orb.Geometry) orb.MultiPolygon {
	switch v := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{v}
	case orb.MultiPolygon:
		return v
	}
	return nil
}

// round rounds v to prec decimal places, never returning -0.
func round(v float64, prec int) float64 {
	p := math.Pow10(prec)
	r := math.Round(v*p) / p
	if r == 0 {
		return 0
	}
	return r
}

// roundDedup rounds every point and drops points equal to their predecessor.
func roundDedup(pts []orb.Point, prec int) []orb.Point {
	out := make([]orb.Point, 0, len(pts))
	for _, p := range pts {
		q := orb.Point{round(p[0], prec), round(p[1], prec)}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	return out
}

// signedArea is the planar shoelace area of r in square degrees (lon, lat);
// positive means counter-clockwise.
func signedArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}

// cleanRing rounds and closes r, or returns nil if too little of it is left.
func cleanRing(r orb.Ring, prec int) orb.Ring {
	r = orb.Ring(roundDedup(r, prec))
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	if len(r) < 4 || math.Abs(signedArea(r)) < minRingArea {
		return nil
	}
	return r
}

// cleanMultiPolygon rounds every ring, drops degenerate ones, splits pinched
// rings into simple ones and winds the result per RFC 7946: exteriors
// counter-clockwise, holes clockwise.
func cleanMultiPolygon(mp orb.MultiPolygon, prec int) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		ext := cleanRing(p[0], prec)
		if ext == nil {
			continue
		}
		// A pinched exterior becomes several loops: loops wound like the
		// largest one are separate polygons, opposite ones are holes of it.
		loops := splitPinches(ext)
		var main orb.Ring
		for _, l := range loops {
			if math.Abs(signedArea(l)) > math.Abs(signedArea(main)) {
				main = l
			}
		}
		if main == nil || math.Abs(signedArea(main)) < minRingArea {
			continue
		}
		mainSign := signedArea(main) > 0
		var extras orb.MultiPolygon
		var holes []orb.Ring
		for _, l := range loops {
			if &l[0] == &main[0] || math.Abs(signedArea(l)) < minRingArea {
				continue
			}
			if (signedArea(l) > 0) == mainSign {
				extras = append(extras, orb.Polygon{l})
			} else {
				holes = append(holes, l)
			}
		}
		for _, h := range p[1:] {
			if h = cleanRing(h, prec); h != nil {
				for _, l := range splitPinches(h) {
					if math.Abs(signedArea(l)) >= minRingArea {
						holes = append(holes, l)
					}
				}
			}
		}
		for _, np := range append(orb.MultiPolygon{append(orb.Polygon{main}, holes...)}, extras...) {
			if signedArea(np[0]) < 0 {
				np[0].Reverse()
			}
			for _, h := range np[1:] {
				if signedArea(h) > 0 {
					h.Reverse()
				}
			}
			out = append(out, np)
		}
	}
	return out
}

// splitPinches splits a closed ring that passes through the same vertex more
// than once (a "pinch", as Natural Earth's Jordan and West Bank rings do at
// the Dead Sea) into simple closed loops.
func splitPinches(r orb.Ring) []orb.Ring {
	if len(r) < 4 {
		return nil
	}
	pts := []orb.Point(r[:len(r)-1]) // open ring
	seen := map[orb.Point]int{}
	for i, p := range pts {
		if j, ok := seen[p]; ok {
			loop := append(append(orb.Ring{}, pts[j:i]...), p)
			rest := append(append(orb.Ring{}, pts[:j]...), pts[i:]...)
			var out []orb.Ring
			if len(loop) >= 4 {
				out = append(out, loop)
			}
			return append(out, splitPinches(append(rest, rest[0]))...)
		}
		seen[p] = i
	}
	if len(pts) < 3 {
		return nil
	}
	return []orb.Ring{append(orb.Ring(pts), pts[0])}
}

// cleanLines rounds every line and drops those with fewer than two points.
func cleanLines(mls orb.MultiLineString, prec int) orb.MultiLineString {
	var out orb.MultiLineString
	for _, l := range mls {
		l = orb.LineString(roundDedup(l, prec))
		if len(l) >= 2 {
			out = append(out, l)
		}
	}
	return out
}
