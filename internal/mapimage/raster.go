package mapimage

import (
	"github.com/tdewolff/canvas"
)

// canvasSurface paints on a tdewolff/canvas context, for PNG and PDF.
type canvasSurface struct {
	ctx *canvas.Context
	r   *Renderer
}

func (s *canvasSurface) group(class, id, title string) {}
func (s *canvasSurface) end()                          {}

func (s *canvasSurface) path(sub []subpath, st style) {
	p := &canvas.Path{}
	for _, sp := range sub {
		for i, q := range sp.pts {
			if i == 0 {
				p.MoveTo(q.x, q.y)
			} else {
				p.LineTo(q.x, q.y)
			}
		}
		if sp.closed {
			p.Close()
		}
	}
	ctx := s.ctx
	ctx.Push()
	defer ctx.Pop()
	if st.fill != "" {
		c := parseColour(st.fill)
		if st.fillOpacity > 0 {
			c.A = uint8(st.fillOpacity * 255)
			c.R, c.G, c.B = uint8(float64(c.R)*st.fillOpacity), uint8(float64(c.G)*st.fillOpacity), uint8(float64(c.B)*st.fillOpacity)
		}
		ctx.SetFillColor(c)
	} else {
		ctx.SetFillColor(canvas.Transparent)
	}
	if st.stroke != "" {
		ctx.SetStrokeColor(parseColour(st.stroke))
		ctx.SetStrokeWidth(st.width)
		ctx.SetStrokeJoiner(canvas.RoundJoin)
		if len(st.dash) > 0 {
			ctx.SetDashes(0, st.dash...)
		}
	} else {
		ctx.SetStrokeColor(canvas.Transparent)
	}
	ctx.DrawPath(0, 0, p)
}

func (s *canvasSurface) text(x, y float64, str string, st textStyle) {
	align := canvas.Left
	switch st.anchor {
	case "middle":
		align = canvas.Center
	case "end":
		align = canvas.Right
	}
	if st.halo != "" {
		// A halo: the text in the halo's colour, a pixel off all round.
		halo := st
		halo.colour, halo.halo = st.halo, ""
		face := s.r.face(halo)
		for _, d := range [][2]float64{{-1, -1}, {0, -1}, {1, -1}, {-1, 0}, {1, 0}, {-1, 1}, {0, 1}, {1, 1}} {
			s.ctx.DrawText(x+d[0], y+d[1], canvas.NewTextLine(face, str, align))
		}
	}
	s.ctx.DrawText(x, y, canvas.NewTextLine(s.r.face(st), str, align))
}
