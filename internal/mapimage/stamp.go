package mapimage

import (
	"image"
	"image/draw"
	"math"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/rasterizer"

	"strikemap/internal/geo"
)

// stamper is a surface that draws many copies of one mark fast: it
// rasterizes the mark once (per quarter-pixel offset) and copies the
// pixels. drawMarks stamps an incident's symbol when the surface is one;
// stamp reports false when it did not take the mark, which is then drawn.
type stamper interface {
	stamp(x, y float64, key symbolKey, draw func(s surface, x, y float64)) bool
}

// symbolKey names an incident's symbol: the same key, the same pixels.
type symbolKey struct {
	weapon   geo.Weapon
	status   geo.Status
	disputed bool
}

// spriteSide is the side in CSS pixels of the square a symbol is
// rasterized in: a 20 px symbol and its red ring of 12.4 px radius.
const spriteSide = 32.0

// stampSurface paints a PNG in two canvases: what lies under the marks,
// and, once the first mark is stamped, what lies over them. The marks are
// copied as pixels between the two when the image is rasterized. A
// symbol's pixels are those the canvas draws for it, at most an eighth of
// a device pixel off its place.
type stampSurface struct {
	canvasSurface
	above   *canvas.Context
	scale   float64
	stamps  []stampAt
	sprites map[spriteKey]*image.RGBA
	started bool
}

type spriteKey struct {
	symbol symbolKey
	qx, qy int // the quarter device pixel the symbol's centre falls in
}

type stampAt struct {
	x, y   int // the sprite's top left, device pixels
	sprite *image.RGBA
}

// newContext returns a context on a canvas of w × h CSS pixels, drawn in
// CSS pixels, y down.
func newContext(w, h float64) (*canvas.Canvas, *canvas.Context) {
	const mmPerPx = 25.4 / 96
	c := canvas.New(w*mmPerPx, h*mmPerPx)
	ctx := canvas.NewContext(c)
	ctx.SetCoordSystem(canvas.CartesianIV)
	ctx.SetView(canvas.Identity.Scale(mmPerPx, mmPerPx))
	return c, ctx
}

func (s *stampSurface) stamp(x, y float64, key symbolKey, drawMark func(s surface, x, y float64)) bool {
	if !s.started {
		// Everything from here on is over the marks.
		s.started = true
		s.ctx = s.above
	}
	side := int(math.Ceil(spriteSide * s.scale))
	half := side / 2
	X, Y := x*s.scale, y*s.scale
	ix, iy := math.Floor(X), math.Floor(Y)
	qx, qy := int(math.Round((X-ix)*4)), int(math.Round((Y-iy)*4))
	k := spriteKey{symbol: key, qx: qx, qy: qy}
	sprite, ok := s.sprites[k]
	if !ok {
		c, ctx := newContext(float64(side)/s.scale, float64(side)/s.scale)
		drawMark(&canvasSurface{ctx: ctx, r: s.r}, (float64(half)+float64(qx)/4)/s.scale, (float64(half)+float64(qy)/4)/s.scale)
		sprite = rasterizer.Draw(c, canvas.DPI(96*s.scale), canvas.DefaultColorSpace)
		s.sprites[k] = sprite
	}
	s.stamps = append(s.stamps, stampAt{x: int(ix) - half, y: int(iy) - half, sprite: sprite})
	return true
}

// rasterize draws the layer under the marks, stamps the marks, then draws
// the layer over them.
func (s *stampSurface) rasterize(below *canvas.Canvas, aboveCanvas *canvas.Canvas) *image.RGBA {
	res := canvas.DPI(96 * s.scale)
	img := rasterizer.Draw(below, res, canvas.DefaultColorSpace)
	for _, st := range s.stamps {
		b := st.sprite.Bounds()
		draw.Draw(img, image.Rect(st.x, st.y, st.x+b.Dx(), st.y+b.Dy()), st.sprite, b.Min, draw.Over)
	}
	ras := rasterizer.FromImage(img, res, canvas.DefaultColorSpace)
	aboveCanvas.RenderTo(ras)
	ras.Close()
	return img
}
