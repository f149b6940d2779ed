package mapimage

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
)

// svgSurface writes plain SVG: presentation attributes only, no <style> and
// no embedded fonts, so it displays under a strict Content-Security-Policy.
//
// The viewer sets the text in whatever font of the stack it has, and few
// have Go, the font the boxes round the text are measured with. So each
// <text> carries its length in Go (textLength, with
// lengthAdjust="spacingAndGlyphs"): a wider or narrower fallback is
// stretched to that length, and the text fits its box in any font. An
// embedded font would need a <style> element and a data: URL, which the
// site's Content-Security-Policy (default-src 'self') blocks; measuring by
// the widest fallback cannot know which fonts a viewer has.
type svgSurface struct {
	buf     bytes.Buffer
	measure func(string, textStyle) float64
}

// fontStack is the SVG's font-family: Go, then sans-serif fonts of similar
// width.
const fontStack = "Go, 'DejaVu Sans', Verdana, 'Liberation Sans', Arial, sans-serif"

func newSVGSurface(w, h float64, title string, measure func(string, textStyle) float64) *svgSurface {
	s := &svgSurface{measure: measure}
	s.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	s.buf.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="` + num(w) + `" height="` + num(h) + `" viewBox="0 0 ` + num(w) + " " + num(h) + `" font-family="` + fontStack + `" role="img">`)
	if title != "" {
		s.buf.WriteString("<title>")
		xml.EscapeText(&s.buf, []byte(title))
		s.buf.WriteString("</title>")
	}
	return s
}

func (s *svgSurface) bytes() []byte {
	s.buf.WriteString("</svg>\n")
	return s.buf.Bytes()
}

func (s *svgSurface) attr(name, value string) {
	s.buf.WriteString(" " + name + `="`)
	xml.EscapeText(&s.buf, []byte(value))
	s.buf.WriteString(`"`)
}

func (s *svgSurface) group(class, id, title string) {
	s.buf.WriteString("<g")
	s.attr("class", class)
	if id != "" {
		s.attr("data-id", id)
	}
	s.buf.WriteString(">")
	if title != "" {
		s.buf.WriteString("<title>")
		xml.EscapeText(&s.buf, []byte(title))
		s.buf.WriteString("</title>")
	}
}

func (s *svgSurface) end() { s.buf.WriteString("</g>") }

func (s *svgSurface) path(sub []subpath, st style) {
	var d strings.Builder
	for _, sp := range sub {
		for i, p := range sp.pts {
			if i == 0 {
				d.WriteString("M")
			} else {
				d.WriteString("L")
			}
			d.WriteString(num(p.x) + " " + num(p.y))
		}
		if sp.closed {
			d.WriteString("Z")
		}
	}
	s.buf.WriteString("<path")
	s.attr("d", d.String())
	fill := st.fill
	if fill == "" {
		fill = "none"
	}
	s.attr("fill", fill)
	if st.fillOpacity > 0 {
		s.attr("fill-opacity", num(st.fillOpacity))
	}
	if st.stroke != "" {
		s.attr("stroke", st.stroke)
		s.attr("stroke-width", num(st.width))
		s.attr("stroke-linejoin", "round")
		if len(st.dash) > 0 {
			parts := make([]string, len(st.dash))
			for i, v := range st.dash {
				parts[i] = num(v)
			}
			s.attr("stroke-dasharray", strings.Join(parts, " "))
		}
	}
	s.buf.WriteString("/>")
}

func (s *svgSurface) text(x, y float64, str string, st textStyle) {
	s.buf.WriteString("<text")
	s.attr("x", num(x))
	s.attr("y", num(y))
	s.attr("font-size", num(st.size))
	if st.bold {
		s.attr("font-weight", "bold")
	}
	s.attr("fill", st.colour)
	if st.halo != "" {
		s.attr("stroke", st.halo)
		s.attr("stroke-width", "3")
		s.attr("stroke-linejoin", "round")
		s.attr("paint-order", "stroke")
	}
	if st.anchor != "" && st.anchor != "start" {
		s.attr("text-anchor", st.anchor)
	}
	s.attr("textLength", num(s.measure(str, st)))
	s.attr("lengthAdjust", "spacingAndGlyphs")
	s.buf.WriteString(">")
	xml.EscapeText(&s.buf, []byte(str))
	s.buf.WriteString("</text>")
}

// num formats a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(float64(int64(v*100+copysignHalf(v)))/100, 'f', -1, 64)
}

func copysignHalf(v float64) float64 {
	if v < 0 {
		return -0.5
	}
	return 0.5
}
