package mapimage

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/geo"
)

// TestStampedPNGMatchesDrawn: a PNG whose symbols are stamped (rasterized
// once per kind, then copied) shows what drawing each symbol shows: the
// same pixels but for a few on the symbols' antialiased edges (a symbol is
// placed to a quarter pixel).
func TestStampedPNGMatchesDrawn(t *testing.T) {
	r, err := New(data.Basemap)
	if err != nil {
		t.Fatal(err)
	}
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	// 600 incidents: the shipped ones, copied over a grid of places.
	var incidents []*geo.Incident
	for i := range 600 {
		inc := *d.Incidents[i%len(d.Incidents)]
		inc.Point = orb.Point{38 + float64(i%30)*0.31, 30.5 + float64(i/30)*0.37}
		incidents = append(incidents, &inc)
	}
	for _, scale := range []float64{1, 2, 1.5} {
		v := View{Width: 1000, Height: 700, Scale: scale, Fit: true, Legend: true, Title: "t", Bases: d.SelectBases(geo.Filter{}), Incidents: incidents}
		var buf bytes.Buffer
		if err := r.PNG(&buf, v); err != nil {
			t.Fatal(err)
		}
		stamped, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		// The same view with every symbol drawn: a surface that does not
		// stamp.
		plain := newPNGSurface(r, &v)
		r.draw(drawnSurface{plain}, &v)
		drawn := plain.img
		if stamped.Bounds() != drawn.Bounds() {
			t.Fatalf("scale %v: %v, drawn %v", scale, stamped.Bounds(), drawn.Bounds())
		}
		differ := 0
		b := drawn.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if far(stamped.At(x, y), drawn.At(x, y)) {
					differ++
				}
			}
		}
		// A symbol's edge is some 80 px; a symbol one pixel off would make
		// tens of them differ. Allow a quarter of a pixel per symbol.
		if allowed := int(float64(len(incidents)) * scale * scale / 4); differ > allowed {
			t.Errorf("scale %v: %d pixels differ clearly from the drawn image, more than %d", scale, differ, allowed)
		}
		t.Logf("scale %v: %d pixels differ", scale, differ)
	}
}

// far reports whether two colours differ by more than a fifth in a channel.
func far(a, b interface{ RGBA() (r, g, b, a uint32) }) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool { return x > y+0x3333 || y > x+0x3333 }
	return d(ar, br) || d(ag, bg) || d(ab, bb)
}

// drawnSurface paints on a PNG surface but stamps nothing.
type drawnSurface struct{ s *pngSurface }

func (d drawnSurface) group(class, id, title string)               { d.s.group(class, id, title) }
func (d drawnSurface) end()                                        { d.s.end() }
func (d drawnSurface) path(sub []subpath, st style)                { d.s.path(sub, st) }
func (d drawnSurface) text(x, y float64, str string, st textStyle) { d.s.text(x, y, str, st) }
