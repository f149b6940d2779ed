package mapimage

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"
)

func newTestRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// inkColumns returns the first and last columns of img in which a pixel
// differs from bg, or -1, -1.
func inkColumns(img *image.RGBA, bg color.RGBA) (int, int) {
	first, last := -1, -1
	b := img.Bounds()
	for x := b.Min.X; x < b.Max.X; x++ {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			if img.RGBAAt(x, y) != bg {
				if first < 0 {
					first = x
				}
				last = x
				break
			}
		}
	}
	return first, last
}

// bearings returns how far the ink of s starts after its origin and ends
// before its advance, in pixels: from the glyphs' outlines, not from the
// advances the width is measured with.
func bearings(f fontFace, s string) (left, right float64) {
	runes := []rune(s)
	k := f.size / f.font.upem
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, c := range f.font.outline(runes[0]) {
		for _, p := range c {
			minX = math.Min(minX, p.x)
		}
	}
	last := runes[len(runes)-1]
	for _, c := range f.font.outline(last) {
		for _, p := range c {
			maxX = math.Max(maxX, p.x)
		}
	}
	return minX * k, (f.font.advance[last] - maxX) * k
}

// TestPNGTextWidth: the width the layout measures a line of text with is
// the width the PNG draws it: its ink ends where the measured width says,
// less the last letter's bearing, within a pixel, for each anchor and at
// scale 1 and 3.
func TestPNGTextWidth(t *testing.T) {
	r := newTestRenderer(t)
	white := color.RGBA{255, 255, 255, 255}
	for _, s := range []string{"Al Asad Air Base", "Baghdad Diplomatic Support Center", "12k", "Data: strikemap (dataset 1302dc72c092), sources on each incident · Basemap: Natural Earth", "WWW mmm iii"} {
		for _, st := range []textStyle{labelStyle, clusterStyle, {size: 20, colour: colText}, {size: 11, colour: colMuted, anchor: "end"}} {
			for _, scale := range []float64{1, 3} {
				v := View{Width: 900, Height: 40, Scale: scale}
				surf := newPNGSurface(r, &v)
				draw.Draw(surf.img, surf.img.Bounds(), image.NewUniform(white), image.Point{}, draw.Src)
				st.colour = colText
				x := 10.0
				switch st.anchor {
				case "middle":
					x = 450
				case "end":
					x = 890
				}
				surf.text(x, 30, s, st)
				w := r.textWidth(s, st)
				start := x
				switch st.anchor {
				case "middle":
					start -= w / 2
				case "end":
					start -= w
				}
				left, right := bearings(r.face(st), s)
				first, last := inkColumns(surf.img, white)
				gotL, gotR := float64(first)/scale, float64(last+1)/scale
				wantL, wantR := start+left, start+w-right
				if math.Abs(gotL-wantL) > 1 || math.Abs(gotR-wantR) > 1 {
					t.Errorf("%q %v px %s at scale %v: ink from %.2f to %.2f, measured %.2f to %.2f (width %.2f)", s, st.size, st.anchor, scale, gotL, gotR, wantL, wantR, w)
				}
			}
		}
	}
}

// TestPDFTextWidth: the PDF sets text with the widths of the embedded Go
// fonts, the layout measures it with the same fonts' advances: the two
// agree within half a pixel on lines as long as the attribution.
func TestPDFTextWidth(t *testing.T) {
	r := newTestRenderer(t)
	v := View{Width: 900, Height: 400, Scale: 1}
	surf := newPDFSurface(r, &v)
	for _, s := range []string{"Al Asad Air Base", "12k", "Data: strikemap (dataset 1302dc72c092), sources on each incident · Basemap: Natural Earth", "Ḩarīr · Erbīl — “quoted”"} {
		for _, st := range []textStyle{labelStyle, clusterStyle, {size: 20}, {size: 11}} {
			surf.text(0, 20, s, st) // sets the font
			got := surf.pdf.GetStringWidth(s) / ptPerPx
			if want := r.textWidth(s, st); math.Abs(got-want) > 0.5 {
				t.Errorf("%q at %v px bold=%v: PDF sets it %.2f px wide, the layout measured %.2f", s, st.size, st.bold, got, want)
			}
		}
	}
	if err := surf.pdf.Error(); err != nil {
		t.Fatal(err)
	}
}

// TestPNGHalo: text with a halo reads over a background of its own
// colour: a white band about 1.5 px wide round the letters, so the ink
// reaches 1.5 px further each side than the letters do.
func TestPNGHalo(t *testing.T) {
	r := newTestRenderer(t)
	bg := parseColour(colText)
	draws := func(halo string) (*image.RGBA, int, int) {
		v := View{Width: 300, Height: 40, Scale: 1}
		surf := newPNGSurface(r, &v)
		draw.Draw(surf.img, surf.img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
		surf.text(20, 28, "Harir Air Base", textStyle{size: 12, bold: true, colour: colText, halo: halo})
		first, last := inkColumns(surf.img, bg)
		return surf.img, first, last
	}
	if _, first, _ := draws(""); first != -1 {
		t.Fatalf("without a halo, text of the background's colour shows from column %d", first)
	}
	img, first, last := draws(colWhite)
	f := r.face(textStyle{size: 12, bold: true})
	left, right := bearings(f, "Harir Air Base")
	wantL, wantR := 20+left-1.5, 20+f.TextWidth("Harir Air Base")-right+1.5
	if math.Abs(float64(first)-wantL) > 1 || math.Abs(float64(last+1)-wantR) > 1 {
		t.Errorf("halo spans columns %d to %d, want %.1f to %.1f", first, last+1, wantL, wantR)
	}
	white := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if c := img.RGBAAt(x, y); c.R > 240 && c.G > 240 && c.B > 240 {
				white++
			}
		}
	}
	if white < 150 {
		t.Errorf("%d white pixels round the letters; a halo that reads needs a solid band", white)
	}
}

// TestStrokeWidth: a stroked ring, with a corner at each of its 32
// vertices, covers its length times its width, dashed or not: the joins
// leave no gap and add no beads.
func TestStrokeWidth(t *testing.T) {
	r := newTestRenderer(t)
	ring := circlePoints(50, 50, 30, 0, 2*math.Pi, 32)
	perimeter := 0.0
	for i := 1; i < len(ring); i++ {
		perimeter += math.Hypot(ring[i].x-ring[i-1].x, ring[i].y-ring[i-1].y)
	}
	for _, tc := range []struct {
		width float64
		dash  []float64
		on    float64 // the part of the length drawn
	}{
		{1.5, nil, 1},
		{1, nil, 1},
		{4, nil, 1},
		{1.6, []float64{2.5, 1.5}, 2.5 / 4},
		{1, []float64{6, 4}, 0.6},
	} {
		v := View{Width: 100, Height: 100, Scale: 1}
		surf := newPNGSurface(r, &v)
		surf.path([]subpath{{pts: ring, closed: true}}, style{stroke: "#000000", width: tc.width, dash: tc.dash})
		covered := 0.0
		for i := 3; i < len(surf.img.Pix); i += 4 {
			covered += float64(surf.img.Pix[i]) / 255
		}
		want := perimeter * tc.width * tc.on
		if math.Abs(covered-want)/want > 0.05 {
			t.Errorf("width %v dash %v: covers %.1f px², want %.1f (±5%%)", tc.width, tc.dash, covered, want)
		}
	}
}
