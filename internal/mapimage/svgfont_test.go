package mapimage_test

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
)

// TestSVGTextHeldToItsLength checks that the SVG's text fits its boxes in
// whatever font a viewer sets it in: every <text> is held to the length
// it has in Go, the font the boxes are measured with, and lies inside the
// image at that length; the font stack names fallbacks.
func TestSVGTextHeldToItsLength(t *testing.T) {
	d, r := shipped(t)
	for _, size := range [][2]float64{{1200, 800}, {400, 300}, {200, 200}} {
		v := fullView(d)
		v.Width, v.Height = size[0], size[1]
		var buf bytes.Buffer
		if err := r.SVG(&buf, v); err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(&buf)
		texts := 0
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			el, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			if el.Name.Local == "svg" && !strings.Contains(attr["font-family"], "sans-serif") {
				t.Errorf("font-family %q names no generic fallback", attr["font-family"])
			}
			if el.Name.Local != "text" {
				continue
			}
			texts++
			length, err := strconv.ParseFloat(attr["textLength"], 64)
			if err != nil || length <= 0 || attr["lengthAdjust"] != "spacingAndGlyphs" {
				t.Errorf("%v: a <text> at %s,%s is not held to a length (textLength %q, lengthAdjust %q)", size, attr["x"], attr["y"], attr["textLength"], attr["lengthAdjust"])
				continue
			}
			x, _ := strconv.ParseFloat(attr["x"], 64)
			switch attr["text-anchor"] {
			case "middle":
				x -= length / 2
			case "end":
				x -= length
			}
			if x < -0.01 || x+length > size[0]+0.01 {
				t.Errorf("%v: text from x=%.1f to %.1f is cut by the image's edge", size, x, x+length)
			}
		}
		if texts < 3 {
			t.Errorf("%v: %d texts", size, texts)
		}
	}
}
