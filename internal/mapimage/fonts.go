package mapimage

import (
	"fmt"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// goFont is one of the Go fonts, read with golang.org/x/image/font/sfnt:
// its advances (the Go fonts have no kerning) and its glyphs' outlines,
// in font units, y down. The widths the layout uses and the glyphs the PNG
// draws come from the same advances, unhinted, so a measured line is the
// line drawn; the PDF embeds the same TrueType file.
type goFont struct {
	ttf             []byte
	f               *sfnt.Font
	upem            float64
	ascent, descent float64 // font units, the descent positive
	advance         map[rune]float64
	notdef          float64 // the advance of a letter the font lacks
	mu              sync.Mutex
	outlines        map[rune][][]pt // closed contours, font units, y down
}

// fonts are the regular and bold Go fonts.
type fonts struct{ regular, bold *goFont }

func loadFonts() (*fonts, error) {
	regular, err := loadGoFont(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("load Go Regular: %w", err)
	}
	bold, err := loadGoFont(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("load Go Bold: %w", err)
	}
	return &fonts{regular: regular, bold: bold}, nil
}

func loadGoFont(ttf []byte) (*goFont, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	upem := fixed.Int26_6(f.UnitsPerEm())
	// At a ppem of the units per em, the 26.6 figures are font units × 64.
	ppem := upem << 6
	m, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	g := &goFont{
		ttf: ttf, f: f, upem: float64(upem),
		ascent: float64(m.Ascent) / 64, descent: float64(m.Descent) / 64,
		advance:  map[rune]float64{},
		outlines: map[rune][][]pt{},
	}
	adv, err := f.GlyphAdvance(&buf, 0, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	g.notdef = float64(adv) / 64
	// Every letter the font has, once: the Go fonts cover a few hundred.
	for r := rune(0); r <= 0xffff; r++ {
		x, err := f.GlyphIndex(&buf, r)
		if err != nil || x == 0 {
			continue
		}
		adv, err := f.GlyphAdvance(&buf, x, ppem, font.HintingNone)
		if err != nil {
			return nil, err
		}
		g.advance[r] = float64(adv) / 64
	}
	return g, nil
}

// has reports whether the font has a glyph for c.
func (g *goFont) has(c rune) bool {
	_, ok := g.advance[c]
	return ok
}

// width returns the advance of s in font units.
func (g *goFont) width(s string) float64 {
	w := 0.0
	for _, r := range s {
		a, ok := g.advance[r]
		if !ok {
			a = g.notdef
		}
		w += a
	}
	return w
}

// outline returns r's contours in font units, y down: its glyph's lines
// and quadratic curves flattened finely enough for any size up to 400 px.
func (g *goFont) outline(r rune) [][]pt {
	g.mu.Lock()
	defer g.mu.Unlock()
	if o, ok := g.outlines[r]; ok {
		return o
	}
	var buf sfnt.Buffer
	x, _ := g.f.GlyphIndex(&buf, r)
	segs, err := g.f.LoadGlyph(&buf, x, fixed.Int26_6(g.upem)<<6, nil)
	var out [][]pt
	if err == nil {
		var cur []pt
		var at pt
		unit := func(p fixed.Point26_6) pt { return pt{float64(p.X) / 64, float64(p.Y) / 64} }
		for _, s := range segs {
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				if len(cur) > 2 {
					out = append(out, cur)
				}
				at = unit(s.Args[0])
				cur = []pt{at}
			case sfnt.SegmentOpLineTo:
				at = unit(s.Args[0])
				cur = append(cur, at)
			case sfnt.SegmentOpQuadTo:
				c, end := unit(s.Args[0]), unit(s.Args[1])
				// Within 1/400 em of the curve: 0.1 px at 40 px.
				dev := math.Hypot(at.x-2*c.x+end.x, at.y-2*c.y+end.y) / 4
				n := max(1, int(math.Ceil(math.Sqrt(dev/(g.upem/400)))))
				for i := 1; i <= n; i++ {
					t := float64(i) / float64(n)
					u := 1 - t
					cur = append(cur, pt{u*u*at.x + 2*u*t*c.x + t*t*end.x, u*u*at.y + 2*u*t*c.y + t*t*end.y})
				}
				at = end
			case sfnt.SegmentOpCubeTo:
				c1, c2, end := unit(s.Args[0]), unit(s.Args[1]), unit(s.Args[2])
				const n = 8
				for i := 1; i <= n; i++ {
					t := float64(i) / n
					u := 1 - t
					cur = append(cur, pt{
						u*u*u*at.x + 3*u*u*t*c1.x + 3*u*t*t*c2.x + t*t*t*end.x,
						u*u*u*at.y + 3*u*u*t*c1.y + 3*u*t*t*c2.y + t*t*t*end.y})
				}
				at = end
			}
		}
		if len(cur) > 2 {
			out = append(out, cur)
		}
	}
	g.outlines[r] = out
	return out
}

// fontFace is a Go font at a size in pixels.
type fontFace struct {
	font *goFont
	size float64
}

// fontMetrics are a face's ascent and descent in pixels, the descent
// positive.
type fontMetrics struct{ Ascent, Descent float64 }

func (f fontFace) Metrics() fontMetrics {
	k := f.size / f.font.upem
	return fontMetrics{Ascent: f.font.ascent * k, Descent: f.font.descent * k}
}

// TextWidth returns the advance of s in pixels.
func (f fontFace) TextWidth(s string) float64 { return f.font.width(s) * f.size / f.font.upem }

// glyphs returns the contours of s set with its baseline's start at
// (x, y), in pixels times scale.
func (f fontFace) glyphs(x, y float64, s string, scale float64) []subpath {
	k := f.size / f.font.upem * scale
	var out []subpath
	pen := 0.0
	for _, r := range s {
		for _, c := range f.font.outline(r) {
			pts := make([]pt, len(c))
			for i, p := range c {
				pts[i] = pt{x*scale + (pen+p.x)*k, y*scale + p.y*k}
			}
			out = append(out, subpath{pts: pts, closed: true})
		}
		a, ok := f.font.advance[r]
		if !ok {
			a = f.font.notdef
		}
		pen += a
	}
	return out
}
