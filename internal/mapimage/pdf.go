package mapimage

import (
	"codeberg.org/go-pdf/fpdf"
)

// ptPerPx converts CSS pixels (1/96 inch) to PDF points (1/72 inch).
const ptPerPx = 72.0 / 96

// pdfSurface draws on one page of a codeberg.org/go-pdf/fpdf document,
// in vector: paths with their dashes and opacity, text in the Go fonts,
// embedded (as a subset) from the same TrueType files the layout measures.
type pdfSurface struct {
	pdf *fpdf.Fpdf
	r   *Renderer
}

// The family name the Go fonts are registered under in the document.
const pdfFamily = "Go"

func newPDFSurface(r *Renderer, v *View) *pdfSurface {
	// "P" keeps the width and height as given; "L" would swap them.
	size := fpdf.SizeType{Wd: v.Width * ptPerPx, Ht: v.Height * ptPerPx}
	p := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "pt",
		Size:           size,
	})
	p.SetMargins(0, 0, 0)
	p.SetAutoPageBreak(false, 0)
	p.SetTitle("strikemap map", true)
	p.SetAuthor("strikemap", true)
	p.SetCreator("strikemap", true)
	p.SetProducer("strikemap", true)
	p.AddUTF8FontFromBytes(pdfFamily, "", r.fonts.regular.ttf)
	p.AddUTF8FontFromBytes(pdfFamily, "B", r.fonts.bold.ttf)
	p.AddPageFormat("P", size)
	p.SetLineJoinStyle("round")
	p.SetLineCapStyle("butt")
	return &pdfSurface{pdf: p, r: r}
}

func (s *pdfSurface) group(class, id, title string) {}
func (s *pdfSurface) end()                          {}

func (s *pdfSurface) trace(sub []subpath) {
	for _, sp := range sub {
		for i, q := range sp.pts {
			if i == 0 {
				s.pdf.MoveTo(q.x*ptPerPx, q.y*ptPerPx)
			} else {
				s.pdf.LineTo(q.x*ptPerPx, q.y*ptPerPx)
			}
		}
		if sp.closed {
			s.pdf.ClosePath()
		}
	}
}

func (s *pdfSurface) path(sub []subpath, st style) {
	p := s.pdf
	stroke := st.stroke != "" && st.width > 0
	if st.fill != "" {
		c := parseColour(st.fill)
		p.SetFillColor(int(c.R), int(c.G), int(c.B))
		if st.fillOpacity > 0 {
			// The opacity is the fill's only: the stroke is drawn apart.
			p.SetAlpha(st.fillOpacity, "Normal")
			s.trace(sub)
			p.DrawPath("F")
			p.SetAlpha(1, "Normal")
		} else if !stroke {
			s.trace(sub)
			p.DrawPath("F")
		}
	}
	if !stroke {
		return
	}
	c := parseColour(st.stroke)
	p.SetDrawColor(int(c.R), int(c.G), int(c.B))
	p.SetLineWidth(st.width * ptPerPx)
	if len(st.dash) > 0 {
		dash := make([]float64, len(st.dash))
		for i, d := range st.dash {
			dash[i] = d * ptPerPx
		}
		p.SetDashPattern(dash, 0)
	}
	s.trace(sub)
	if st.fill != "" && st.fillOpacity == 0 {
		p.DrawPath("FD")
	} else {
		p.DrawPath("D")
	}
	if len(st.dash) > 0 {
		p.SetDashPattern(nil, 0)
	}
}

func (s *pdfSurface) text(x, y float64, str string, st textStyle) {
	p := s.pdf
	f := s.r.face(st)
	switch st.anchor {
	case "middle":
		x -= f.TextWidth(str) / 2
	case "end":
		x -= f.TextWidth(str)
	}
	weight := ""
	if st.bold {
		weight = "B"
	}
	p.SetFont(pdfFamily, weight, st.size*ptPerPx)
	if st.halo != "" {
		// The halo: the letters stroked 3 px wide under them, as in the SVG.
		c := parseColour(st.halo)
		p.SetDrawColor(int(c.R), int(c.G), int(c.B))
		p.SetLineWidth(3 * ptPerPx)
		p.SetTextRenderingMode(1)
		p.Text(x*ptPerPx, y*ptPerPx, str)
		p.SetTextRenderingMode(0)
	}
	c := parseColour(st.colour)
	p.SetTextColor(int(c.R), int(c.G), int(c.B))
	p.Text(x*ptPerPx, y*ptPerPx, str)
}
