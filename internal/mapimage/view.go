package mapimage

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"strikemap/internal/cluster"
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
	// Strikes are drawn as the page draws them, a crosshair each, over the
	// bases.
	Strikes []*geo.Strike

	// Clusters, when not nil, are drawn instead of Incidents: what the map
	// page draws past a few thousand incidents, a circle per cluster sized
	// by its count with the count written in it.
	Clusters []Cluster
	// Density, when not nil, is drawn as a layer of hexagons under the
	// marks, each shaded by its count: the map page's density layer (see
	// cluster.Index.Hexbins).
	Density []cluster.Hexbin

	// extent, when set, stands for incidents a fitted view frames but does
	// not draw one by one.
	extent *orb.Bound
	// credit is the basemap's attribution, as drawn.
	credit string
}

// Cluster is a number of incidents drawn as one mark at Point ([lon, lat]).
// A cluster of one with its Incident is drawn as that incident's symbol.
type Cluster struct {
	Point    orb.Point
	Count    int
	Incident *geo.Incident
	// Near names the base nearest a cluster, NearKm km away, for its title,
	// as the map page names its cluster buttons.
	Near   string
	NearKm int
}

// Frame returns the centre and zoom v is drawn at: its own, or with Fit
// those that frame its data in the part of the image the title, legend and
// attribution leave free.
func (r *Renderer) Frame(v View) (orb.Point, float64) {
	if !v.Fit {
		return v.Center, v.Zoom
	}
	vp := r.viewport(&v)
	const half = math.Pi * orb.EarthRadius
	m := orb.Point{vp.cx/vp.worldPx*2*half - half, half - vp.cy/vp.worldPx*2*half}
	return project.Mercator.ToWGS84(m), math.Log2(vp.worldPx / 256)
}

// Bound returns the [lon, lat] bound of what v shows, with pad pixels more
// on each side.
func (r *Renderer) Bound(v View, pad float64) orb.Bound {
	vp := r.viewport(&v)
	const half = math.Pi * orb.EarthRadius
	at := func(x, y float64) orb.Point {
		wx, wy := x+vp.cx-vp.width/2, y+vp.cy-vp.height/2
		wy = math.Max(0, math.Min(vp.worldPx, wy))
		m := orb.Point{wx/vp.worldPx*2*half - half, half - wy/vp.worldPx*2*half}
		return project.Mercator.ToWGS84(m)
	}
	nw, se := at(-pad, -pad), at(v.Width+pad, v.Height+pad)
	b := orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
	if b.Max[0]-b.Min[0] >= 360 {
		b.Min[0], b.Max[0] = -180, 180
	}
	return b
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

// newViewport returns v's viewport, a fitted view framing its data in the
// image less fixed margins.
func newViewport(v *View) viewport {
	return newViewportIn(v, box{fitLeft, fitTop, v.Width - fitRight, v.Height - fitBottom})
}

// newViewportIn returns v's viewport, a fitted view framing its data in
// free, a part of the image.
func newViewportIn(v *View, free box) viewport {
	vp := viewport{width: v.Width, height: v.Height}
	center, zoom := v.Center, v.Zoom
	if v.Fit {
		center, zoom = fit(v, free)
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

// lonLat returns the [lon, lat] at image pixel (x, y).
func (vp viewport) lonLat(x, y float64) orb.Point {
	const half = math.Pi * orb.EarthRadius
	wx, wy := x+vp.cx-vp.width/2, y+vp.cy-vp.height/2
	return project.Mercator.ToWGS84(orb.Point{wx/vp.worldPx*2*half - half, half - wy/vp.worldPx*2*half})
}

// metresPerPixel at latitude lat.
func (vp viewport) metresPerPixel(lat float64) float64 {
	return 2 * math.Pi * orb.EarthRadius * math.Cos(lat*math.Pi/180) / vp.worldPx
}

// The margins a fitted map leaves when it is not told where the frame is:
// room for the title (top), the legend (bottom left) and the labels (right).
const (
	fitLeft, fitTop, fitRight, fitBottom = 250.0, 90.0, 190.0, 50.0
)

// fit chooses the center and zoom that frame every base, incident and ring
// inside free, or a third of the image if free is smaller.
func fit(v *View, free box) (orb.Point, float64) {
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
	for _, c := range v.Clusters {
		add(c.Point)
	}
	for _, st := range v.Strikes {
		add(st.Point)
	}
	if v.extent != nil {
		add(v.extent.Min)
		add(v.extent.Max)
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
	if free.w() < v.Width/3 {
		free.x0, free.x1 = v.Width/3, 2*v.Width/3
	}
	if free.h() < v.Height/3 {
		free.y0, free.y1 = v.Height/3, 2*v.Height/3
	}
	zoom := math.Log2(math.Min(free.w()/math.Max(x1-x0, 1e-9), free.h()/math.Max(y1-y0, 1e-9)))
	zoom = math.Max(1, math.Min(10, zoom))
	k := math.Pow(2, zoom)
	// The data's centre goes to the centre of the free rectangle; the image
	// centre sits that far from it.
	dx := (free.x0+free.x1)/2 - v.Width/2
	dy := (free.y0+free.y1)/2 - v.Height/2
	cx := (x0+x1)/2 - dx/k
	cy := (y0+y1)/2 - dy/k
	const half = math.Pi * orb.EarthRadius
	m := orb.Point{cx/256*2*half - half, half - cy/256*2*half}
	return project.Mercator.ToWGS84(m), zoom
}
