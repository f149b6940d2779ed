package mapimage

import "math"

// strokeOutline returns the outline of a line width wide drawn along sub,
// with round joins and butt ends, dashed when dash is not empty (on, off,
// on, ... in pixels, from the start of each subpath), as SVG and PDF draw
// it. The outline is a union of pieces: a quadrilateral per segment and a
// slice of a disc per corner, all wound the same way, for a rasterizer that
// clamps the coverage (golang.org/x/image/vector) to fill as one shape.
func strokeOutline(sub []subpath, width float64, dash []float64) [][]pt {
	hw := width / 2
	var out [][]pt
	for _, sp := range sub {
		pts := dedupe(sp.pts)
		if len(pts) < 2 {
			continue
		}
		closed := sp.closed
		if closed {
			pts = append(pts, pts[0])
		}
		if len(dash) > 0 && dashLength(dash) > 0 {
			for _, piece := range dashes(pts, dash) {
				out = strokePolyline(out, piece, hw, false)
			}
			continue
		}
		out = strokePolyline(out, pts, hw, closed)
	}
	return out
}

func dedupe(pts []pt) []pt {
	out := make([]pt, 0, len(pts))
	for i, p := range pts {
		if i > 0 && p == out[len(out)-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}

func dashLength(dash []float64) float64 {
	t := 0.0
	for _, d := range dash {
		t += math.Max(0, d)
	}
	return t
}

// dashes cuts the polyline pts into its dashes: the "on" parts of the
// dash pattern (repeated twice over when it has an odd length, as SVG
// does).
func dashes(pts []pt, dash []float64) [][]pt {
	if len(dash)%2 == 1 {
		dash = append(append([]float64(nil), dash...), dash...)
	}
	var out [][]pt
	i, left, on := 0, dash[0], true // the dash entry, what is left of it, and whether it draws
	var cur []pt
	if on {
		cur = []pt{pts[0]}
	}
	for k := 1; k < len(pts); k++ {
		a, b := pts[k-1], pts[k]
		seg := math.Hypot(b.x-a.x, b.y-a.y)
		pos := 0.0
		for seg-pos > left {
			pos += left
			t := pos / seg
			p := pt{a.x + (b.x-a.x)*t, a.y + (b.y-a.y)*t}
			if on {
				out = append(out, append(cur, p))
				cur = nil
			} else {
				cur = []pt{p}
			}
			on = !on
			i = (i + 1) % len(dash)
			left = dash[i]
		}
		left -= seg - pos
		if on {
			cur = append(cur, b)
		}
	}
	if on && len(cur) > 1 {
		out = append(out, cur)
	}
	return out
}

// strokePolyline appends the pieces of the stroke along pts, hw either
// side: a quadrilateral per segment and, at each corner (and the closing
// corner when closed), the round join: a slice of a disc filling the
// wedge between the two quadrilaterals on the corner's outer side. The
// slice's straight sides are the quadrilaterals' ends, so the pieces meet
// edge to edge and the outline has no seam.
func strokePolyline(out [][]pt, pts []pt, hw float64, closed bool) [][]pt {
	for k := 1; k < len(pts); k++ {
		a, b := pts[k-1], pts[k]
		nx, ny, ok := normal(a, b, hw)
		if !ok {
			continue
		}
		out = append(out, wound([]pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}}))
	}
	corner := func(prev, at, next pt) {
		n1x, n1y, ok1 := normal(prev, at, hw)
		n2x, n2y, ok2 := normal(at, next, hw)
		if !ok1 || !ok2 {
			return
		}
		turn := math.Remainder(math.Atan2(n2y, n2x)-math.Atan2(n1y, n1x), 2*math.Pi)
		if math.Abs(turn)*hw < 0.005 {
			return // on straight: the quadrilaterals meet edge to edge
		}
		// The outer side is right of the line where it turns left, and
		// left where it turns right.
		s := 1.0
		if (at.x-prev.x)*(next.y-at.y)-(at.y-prev.y)*(next.x-at.x) > 0 {
			s = -1
		}
		a1 := math.Atan2(s*n1y, s*n1x)
		n := int(math.Ceil(math.Abs(turn) / (math.Pi / 8)))
		wedge := make([]pt, 0, n+2)
		wedge = append(wedge, at)
		for i := 0; i <= n; i++ {
			a := a1 + turn*float64(i)/float64(n)
			wedge = append(wedge, pt{at.x + hw*math.Cos(a), at.y + hw*math.Sin(a)})
		}
		out = append(out, wound(wedge))
	}
	for k := 1; k+1 < len(pts); k++ {
		corner(pts[k-1], pts[k], pts[k+1])
	}
	if closed && len(pts) > 2 {
		corner(pts[len(pts)-2], pts[0], pts[1])
	}
	return out
}

// normal returns the normal of the segment a-b, hw long; ok is false for
// a segment of no length.
func normal(a, b pt, hw float64) (nx, ny float64, ok bool) {
	dx, dy := b.x-a.x, b.y-a.y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return 0, 0, false
	}
	return -dy / l * hw, dx / l * hw, true
}

// wound returns the polygon p wound clockwise on screen (y down): pieces
// wound alike add up where they overlap, and do not cancel.
func wound(p []pt) []pt {
	area := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		area += p[i].x*p[j].y - p[j].x*p[i].y
	}
	if area < 0 {
		for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
			p[i], p[j] = p[j], p[i]
		}
	}
	return p
}
