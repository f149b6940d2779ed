package mapimage

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"strikemap/internal/geo"
)

// Limits on what one image may ask of the server.
const (
	MaxSide   = 4000 // CSS pixels per side
	MaxScale  = 4.0  // raster pixels per CSS pixel
	MaxPixels = 40_000_000
	MinSide   = 200
)

// View is one map to draw. Sizes are CSS pixels (1/96 inch); Scale
// multiplies them for PNG, so width=827&scale=3 is an A4-wide 300 dpi image.
type View struct {
	Width, Height float64
	Scale         float64
	// Center ([lon, lat]) and Zoom (Leaflet's: 256·2^Zoom pixels round the
	// world) place the map; with Fit, the map frames the bases and
	// incidents instead.
	Center orb.Point
	Zoom   float64
	Fit    bool

	Title   string
	Caption string // what is shown: the date range and the filters
	Version string // dataset version, printed for citation
	Legend  bool

	Bases     []*geo.Base
	Incidents []*geo.Incident
	Rings     []geo.RangeRing
	Links     []geo.IncidentLink
}

// Check reports whether the view's size is one this package will draw.
func (v *View) Check() error {
	switch {
	case !(v.Width >= MinSide && v.Width <= MaxSide) || !(v.Height >= MinSide && v.Height <= MaxSide):
		return fmt.Errorf("width and height must be %d to %d pixels", MinSide, MaxSide)
	case !(v.Scale >= 1 && v.Scale <= MaxScale):
		return fmt.Errorf("scale must be 1 to %v", MaxScale)
	case v.Width*v.Height*v.Scale*v.Scale > MaxPixels:
		return fmt.Errorf("width × height × scale² is %.0f pixels; at most %d are allowed", v.Width*v.Height*v.Scale*v.Scale, MaxPixels)
	case !v.Fit && (math.IsNaN(v.Zoom) || v.Zoom < 0 || v.Zoom > 19):
		return errors.New("zoom must be 0 to 19")
	}
	return nil
}

// viewport projects [lon, lat] to image pixels with Web Mercator.
type viewport struct {
	width, height float64
	worldPx       float64 // pixels round the world at this zoom
	cx, cy        float64 // the center in world pixels
}

func newViewport(v *View) viewport {
	vp := viewport{width: v.Width, height: v.Height}
	center, zoom := v.Center, v.Zoom
	if v.Fit {
		center, zoom = fit(v)
	}
	vp.worldPx = 256 * math.Pow(2, zoom)
	vp.cx, vp.cy = vp.world(center)
	return vp
}

// world returns p in world pixels at the viewport's zoom, y down.
func (vp viewport) world(p orb.Point) (float64, float64) {
	m := project.WGS84.ToMercator(p)
	const half = math.Pi * orb.EarthRadius
	return (m[0] + half) / (2 * half) * vp.worldPx, (half - m[1]) / (2 * half) * vp.worldPx
}

// px returns p in image pixels.
func (vp viewport) px(p orb.Point) (float64, float64) {
	x, y := vp.world(p)
	return x - vp.cx + vp.width/2, y - vp.cy + vp.height/2
}

// metresPerPixel at latitude lat.
func (vp viewport) metresPerPixel(lat float64) float64 {
	return 2 * math.Pi * orb.EarthRadius * math.Cos(lat*math.Pi/180) / vp.worldPx
}

// The part of the image a fitted map frames its data in, leaving room for
// the title (top), the legend (bottom left) and the labels (right).
const (
	fitLeft, fitTop, fitRight, fitBottom = 250.0, 90.0, 190.0, 50.0
)

// fit chooses the center and zoom that frame every base, incident and ring
// inside the image less its margins.
func fit(v *View) (orb.Point, float64) {
	var b orb.Bound
	first := true
	add := func(p orb.Point) {
		if first {
			b, first = p.Bound(), false
		}
		b = b.Extend(p)
	}
	for _, base := range v.Bases {
		add(base.Point)
	}
	for _, inc := range v.Incidents {
		add(inc.Point)
	}
	for _, r := range v.Rings {
		for _, p := range r.Polygon[0] {
			add(p)
		}
	}
	if first {
		return orb.Point{41.5, 34}, 6 // Iraq and eastern Syria
	}
	vp := viewport{worldPx: 256}
	x0, y0 := vp.world(orb.Point{b.Min[0], b.Max[1]})
	x1, y1 := vp.world(orb.Point{b.Max[0], b.Min[1]})
	availW := math.Max(v.Width-fitLeft-fitRight, v.Width/3)
	availH := math.Max(v.Height-fitTop-fitBottom, v.Height/3)
	zoom := math.Log2(math.Min(availW/math.Max(x1-x0, 1e-9), availH/math.Max(y1-y0, 1e-9)))
	zoom = math.Max(1, math.Min(10, zoom))
	k := math.Pow(2, zoom)
	// The data's centre goes to the centre of the free rectangle; the image
	// centre sits that far from it.
	dx := (fitLeft - fitRight) / 2 * boolFloat(v.Width-fitLeft-fitRight > v.Width/3)
	dy := (fitTop - fitBottom) / 2 * boolFloat(v.Height-fitTop-fitBottom > v.Height/3)
	cx := (x0+x1)/2 - dx/k
	cy := (y0+y1)/2 - dy/k
	const half = math.Pi * orb.EarthRadius
	m := orb.Point{cx/256*2*half - half, half - cy/256*2*half}
	return project.Mercator.ToWGS84(m), zoom
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
