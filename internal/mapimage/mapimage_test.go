package mapimage_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image"
	"image/png"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/mapimage"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.svg")

func shipped(t *testing.T) (*geo.Dataset, *mapimage.Renderer) {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	r, err := mapimage.New(data.Basemap)
	if err != nil {
		t.Fatal(err)
	}
	return d, r
}

func fullView(d *geo.Dataset) mapimage.View {
	var bases []*geo.Base
	for i := range d.Bases {
		bases = append(bases, &d.Bases[i])
	}
	rings, _ := geo.RangeRings(bases, geo.DefaultRingRadii())
	return mapimage.View{
		Width: 1200, Height: 800, Scale: 1, Fit: true, Legend: true,
		Title: "Attacks on US bases", Caption: "test caption", Version: d.Version,
		Bases: bases, Incidents: d.Select(geo.Filter{}), Rings: rings,
	}
}

// svgDoc is what the tests read back from an SVG.
type svgDoc struct {
	Width  string     `xml:"width,attr"`
	Height string     `xml:"height,attr"`
	Groups []svgGroup `xml:"g"`
}

type svgGroup struct {
	Class  string     `xml:"class,attr"`
	ID     string     `xml:"data-id,attr"`
	Title  string     `xml:"title"`
	Groups []svgGroup `xml:"g"`
	Paths  []struct {
		D string `xml:"d,attr"`
	} `xml:"path"`
	Texts []string `xml:"text"`
}

func parseSVG(t *testing.T, b []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("SVG is not XML: %v", err)
	}
	return doc
}

func groupOf(doc svgDoc, class string) svgGroup {
	for _, g := range doc.Groups {
		if g.Class == class {
			return g
		}
	}
	return svgGroup{}
}

var coordRE = regexp.MustCompile(`[ML](-?[0-9.]+) (-?[0-9.]+)`)

func TestSVGHasOneMarkPerIncidentInView(t *testing.T) {
	d, r := shipped(t)
	v := fullView(d)
	var buf bytes.Buffer
	if err := r.SVG(&buf, v); err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, buf.Bytes())
	if doc.Width != "1200" || doc.Height != "800" {
		t.Errorf("size %s × %s", doc.Width, doc.Height)
	}
	marks := groupOf(doc, "incidents").Groups
	var ids []string
	for _, m := range marks {
		if m.Class != "incident" || m.Title == "" || len(m.Paths) == 0 {
			t.Errorf("mark %+v", m)
		}
		ids = append(ids, m.ID)
		// Fitted: every mark lies inside the image.
		for _, c := range coordRE.FindAllStringSubmatch(m.Paths[0].D, -1) {
			x, _ := strconv.ParseFloat(c[1], 64)
			y, _ := strconv.ParseFloat(c[2], 64)
			if x < 0 || x > 1200 || y < 0 || y > 800 {
				t.Errorf("incident %s drawn outside the image at %v, %v", m.ID, x, y)
			}
		}
	}
	var want []string
	for _, inc := range v.Incidents {
		want = append(want, inc.ID)
	}
	slices.Sort(ids)
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("marks %v\nwant %v", ids, want)
	}
	if n := len(groupOf(doc, "bases").Groups); n != len(d.Bases) {
		t.Errorf("%d base marks", n)
	}
	if n := len(groupOf(doc, "rings").Paths); n != 3*len(d.Bases) {
		t.Errorf("%d rings", n)
	}
	if len(groupOf(doc, "basemap").Paths) < 10 {
		t.Error("no basemap")
	}
	text := buf.String()
	for _, want := range []string{"Attacks on US bases", "test caption", "dataset " + d.Version, "Natural Earth", " km</text>", "Hollow: claimed only"} {
		if !strings.Contains(text, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(text, "<style") || strings.Contains(text, "style=") || strings.Contains(text, "<script") {
		t.Error("SVG has style or script: it would break under the site's CSP")
	}

	// A narrower filter draws fewer marks.
	v.Incidents = d.Select(geo.Filter{Weapons: []geo.Weapon{geo.WeaponRocket}})
	buf.Reset()
	if err := r.SVG(&buf, v); err != nil {
		t.Fatal(err)
	}
	if n := len(groupOf(parseSVG(t, buf.Bytes()), "incidents").Groups); n != len(v.Incidents) || n == 0 {
		t.Errorf("%d marks for %d rocket incidents", n, len(v.Incidents))
	}
}

func TestPNG(t *testing.T) {
	d, r := shipped(t)
	v := fullView(d)
	v.Width, v.Height, v.Scale = 600, 400, 2
	var buf bytes.Buffer
	if err := r.PNG(&buf, v); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 800 {
		t.Fatalf("%v, want 1200 × 800 (600 × 400 at scale 2)", b)
	}
	// Not blank: the sea, the land and the weapons' colours are all there.
	colours := map[[3]uint8]int{}
	for y := 0; y < 800; y += 2 {
		for x := 0; x < 1200; x += 2 {
			c := rgb(img, x, y)
			colours[c]++
		}
	}
	for name, c := range map[string][3]uint8{"sea": {0xdf, 0xe9, 0xf3}, "land": {0xf6, 0xf4, 0xef}, "drone": {0xc2, 0x41, 0x0c}, "rocket": {0x6d, 0x28, 0xd9}, "base": {0x0f, 0x2d, 0x52}} {
		if colours[c] == 0 {
			t.Errorf("no %s pixels (#%02x%02x%02x)", name, c[0], c[1], c[2])
		}
	}
}

func rgb(img image.Image, x, y int) [3]uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

func TestPDFIsOnePage(t *testing.T) {
	d, r := shipped(t)
	var buf bytes.Buffer
	if err := r.PDF(&buf, fullView(d)); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("%%EOF")) {
		t.Fatal("not a PDF")
	}
	if n := len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(b, -1)); n != 1 {
		t.Errorf("%d pages", n)
	}
	if !bytes.Contains(b, []byte("/Count 1")) {
		t.Error("page tree does not count one page")
	}
}

func TestViewLimits(t *testing.T) {
	d, r := shipped(t)
	for _, tc := range []struct {
		w, h, scale float64
		ok          bool
	}{
		{1200, 800, 1, true},
		{827, 1169, 3, true}, // A4 at 300 dpi
		{199, 800, 1, false},
		{4001, 800, 1, false},
		{1200, 800, 4.5, false},
		{4000, 4000, 4, false}, // 256 megapixels
	} {
		v := fullView(d)
		v.Width, v.Height, v.Scale = tc.w, tc.h, tc.scale
		err := r.SVG(&bytes.Buffer{}, v)
		if (err == nil) != tc.ok {
			t.Errorf("%v × %v at %v: error %v, want ok=%v", tc.w, tc.h, tc.scale, err, tc.ok)
		}
	}
}
