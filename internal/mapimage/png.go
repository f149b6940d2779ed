package mapimage

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/vector"
)

// pngSurface paints on an RGBA image with golang.org/x/image/vector:
// shapes filled by their coverage, anti-aliased; lines stroked as the
// outline strokeOutline builds; text as the Go fonts' glyphs, each a
// filled shape, over a halo when it has one. Coordinates are CSS pixels,
// times scale on the image.
//
// Each path is rasterized in its own bounding box (clipped to the image),
// so a mark costs its few hundred pixels, not the whole image's.
type pngSurface struct {
	img     *image.RGBA
	scale   float64
	r       *Renderer
	z       vector.Rasterizer
	sprites map[spriteKey]*image.RGBA // the symbols stamp copies
}

func newPNGSurface(r *Renderer, v *View) *pngSurface {
	w, h := int(math.Round(v.Width*v.Scale)), int(math.Round(v.Height*v.Scale))
	return &pngSurface{img: image.NewRGBA(image.Rect(0, 0, w, h)), scale: v.Scale, r: r}
}

func (s *pngSurface) group(class, id, title string) {}
func (s *pngSurface) end()                          {}

func (s *pngSurface) path(sub []subpath, st style) {
	if st.fill == "" && st.stroke == "" {
		return
	}
	scaled := make([]subpath, len(sub))
	for i, sp := range sub {
		pts := make([]pt, len(sp.pts))
		for j, p := range sp.pts {
			pts[j] = pt{p.x * s.scale, p.y * s.scale}
		}
		scaled[i] = subpath{pts: pts, closed: sp.closed}
	}
	if st.fill != "" {
		c := parseColour(st.fill)
		if st.fillOpacity > 0 {
			c.A = uint8(math.Round(st.fillOpacity * 255))
		}
		rings := make([][]pt, 0, len(scaled))
		for _, sp := range scaled {
			rings = append(rings, sp.pts)
		}
		s.fill(rings, c)
	}
	if st.stroke != "" && st.width > 0 {
		dash := make([]float64, len(st.dash))
		for i, d := range st.dash {
			dash[i] = d * s.scale
		}
		s.fill(strokeOutline(scaled, st.width*s.scale, dash), parseColour(st.stroke))
	}
}

func (s *pngSurface) text(x, y float64, str string, st textStyle) {
	f := s.r.face(st)
	switch st.anchor {
	case "middle":
		x -= f.TextWidth(str) / 2
	case "end":
		x -= f.TextWidth(str)
	}
	glyphs := f.glyphs(x, y, str, s.scale)
	if st.halo != "" {
		// The halo is the letters' outline stroked 3 px wide, under them, as
		// the SVG's paint-order="stroke": 1.5 px of it round every letter.
		s.fill(strokeOutline(glyphs, 3*s.scale, nil), parseColour(st.halo))
	}
	rings := make([][]pt, len(glyphs))
	for i, g := range glyphs {
		rings[i] = g.pts
	}
	s.fill(rings, parseColour(st.colour))
}

// fill paints the rings (non-zero: a ring wound against the one round it
// is a hole; rings wound alike add up) in c, which is not premultiplied.
func (s *pngSurface) fill(rings [][]pt, c color.RGBA) {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range rings {
		for _, p := range r {
			x0, y0 = math.Min(x0, p.x), math.Min(y0, p.y)
			x1, y1 = math.Max(x1, p.x), math.Max(y1, p.y)
		}
	}
	bounds := s.img.Bounds()
	box := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1))).Intersect(bounds)
	if box.Empty() {
		return
	}
	// Rings reaching past the box are clipped to just outside it: the
	// rasterizer walks every row and column a line crosses, in float32.
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	w, h := float64(box.Dx()), float64(box.Dy())
	s.z.Reset(box.Dx(), box.Dy())
	for _, r := range rings {
		if len(r) < 3 {
			continue
		}
		r = clipRing(r, ox-1, oy-1, ox+w+1, oy+h+1)
		for i, p := range r {
			x, y := float32(p.x-ox), float32(p.y-oy)
			if i == 0 {
				s.z.MoveTo(x, y)
			} else {
				s.z.LineTo(x, y)
			}
		}
		if len(r) > 0 {
			s.z.ClosePath()
		}
	}
	src := image.NewUniform(color.NRGBA{c.R, c.G, c.B, c.A})
	s.z.Draw(s.img, box, src, image.Point{})
}

// clipRing clips the closed ring r to the box (x0, y0)-(x1, y1)
// (Sutherland-Hodgman): what it covers inside the box is unchanged.
func clipRing(r []pt, x0, y0, x1, y1 float64) []pt {
	inside := true
	for _, p := range r {
		if p.x < x0 || p.x > x1 || p.y < y0 || p.y > y1 {
			inside = false
			break
		}
	}
	if inside {
		return r
	}
	type edge struct {
		in    func(pt) bool
		cross func(a, b pt) pt
	}
	at := func(a, b pt, t float64) pt { return pt{a.x + (b.x-a.x)*t, a.y + (b.y-a.y)*t} }
	edges := []edge{
		{func(p pt) bool { return p.x >= x0 }, func(a, b pt) pt { return at(a, b, (x0-a.x)/(b.x-a.x)) }},
		{func(p pt) bool { return p.x <= x1 }, func(a, b pt) pt { return at(a, b, (x1-a.x)/(b.x-a.x)) }},
		{func(p pt) bool { return p.y >= y0 }, func(a, b pt) pt { return at(a, b, (y0-a.y)/(b.y-a.y)) }},
		{func(p pt) bool { return p.y <= y1 }, func(a, b pt) pt { return at(a, b, (y1-a.y)/(b.y-a.y)) }},
	}
	out := r
	for _, e := range edges {
		if len(out) == 0 {
			return nil
		}
		in := out
		out = make([]pt, 0, len(in)+4)
		prev := in[len(in)-1]
		for _, p := range in {
			switch {
			case e.in(p) && e.in(prev):
				out = append(out, p)
			case e.in(p):
				out = append(out, e.cross(prev, p), p)
			case e.in(prev):
				out = append(out, e.cross(prev, p))
			}
			prev = p
		}
	}
	return out
}
