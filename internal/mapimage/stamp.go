package mapimage

import (
	"image"
	"image/draw"
	"math"

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

type spriteKey struct {
	symbol symbolKey
	qx, qy int // the quarter device pixel the symbol's centre falls in
}

// stamp draws the mark by copying its pixels, rasterized once per kind
// and quarter-pixel offset in this image: a symbol's pixels are those
// drawing it gives, at most an eighth of a device pixel off its place.
// The PNG is painted as it is drawn, so a stamp lies over what was drawn
// before it and under what comes after, as a drawn mark would.
func (s *pngSurface) stamp(x, y float64, key symbolKey, drawMark func(s surface, x, y float64)) bool {
	side := int(math.Ceil(spriteSide * s.scale))
	half := side / 2
	X, Y := x*s.scale, y*s.scale
	ix, iy := math.Floor(X), math.Floor(Y)
	qx, qy := int(math.Round((X-ix)*4)), int(math.Round((Y-iy)*4))
	if qx == 4 {
		ix, qx = ix+1, 0
	}
	if qy == 4 {
		iy, qy = iy+1, 0
	}
	k := spriteKey{symbol: key, qx: qx, qy: qy}
	if s.sprites == nil {
		s.sprites = map[spriteKey]*image.RGBA{}
	}
	sprite, ok := s.sprites[k]
	if !ok {
		sp := &pngSurface{img: image.NewRGBA(image.Rect(0, 0, side, side)), scale: s.scale, r: s.r}
		drawMark(sp, (float64(half)+float64(qx)/4)/s.scale, (float64(half)+float64(qy)/4)/s.scale)
		sprite = sp.img
		s.sprites[k] = sprite
	}
	at := image.Pt(int(ix)-half, int(iy)-half)
	draw.Draw(s.img, image.Rectangle{at, at.Add(sprite.Bounds().Size())}, sprite, image.Point{}, draw.Over)
	return true
}
