package mapimage

import (
	"fmt"
	"math"

	"strikemap/internal/cluster"
)

// The density layer is the map page's: the hexagons of
// cluster.Index.Hexbins, each shaded by its count on a log scale, from
// ColorBrewer's YlOrRd (as web/static/js/map/layers.js shades them).
const (
	densitySwatch  = 11.0 // the width of a hexagon in the legend
	densityOpacity = 0.8
)

var densityColours = []string{"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"}

// hexBin is one hexagon of the density layer, in image pixels.
type hexBin struct {
	corners []pt
	count   int
}

// densityBins projects v.Density's hexagons, keeping those in the image.
func densityBins(vp viewport, v *View) []hexBin {
	if v.Density == nil {
		return nil
	}
	img := box{0, 0, v.Width, v.Height}
	out := make([]hexBin, 0, len(v.Density))
	for _, h := range v.Density {
		if len(h.Ring) < 2 {
			continue
		}
		corners := toPixels(vp, h.Ring[:len(h.Ring)-1])
		b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, c := range corners {
			b = box{math.Min(b.x0, c.x), math.Min(b.y0, c.y), math.Max(b.x1, c.x), math.Max(b.y1, c.y)}
		}
		if b.overlaps(img) {
			out = append(out, hexBin{corners: corners, count: h.Count})
		}
	}
	return out
}

// hexagon returns the corners of a pointy-top hexagon of radius rad.
func hexagon(x, y, rad float64) []pt {
	out := make([]pt, 6)
	for i := range out {
		a := math.Pi/6 + float64(i)*math.Pi/3
		out[i] = pt{x + rad*math.Cos(a), y + rad*math.Sin(a)}
	}
	return out
}

// densityClass is the colour class of count, on a log scale up to most.
func densityClass(count, most int) int {
	if most <= 1 {
		return len(densityColours) - 1
	}
	k := int(math.Log(float64(count)) / math.Log(float64(most)) * float64(len(densityColours)))
	return max(0, min(len(densityColours)-1, k))
}

// drawDensity paints the hexagons, one path per colour.
func drawDensity(s surface, bins []hexBin) {
	most := 0
	for _, b := range bins {
		most = max(most, b.count)
	}
	classes := make([][]subpath, len(densityColours))
	for _, b := range bins {
		k := densityClass(b.count, most)
		classes[k] = append(classes[k], subpath{pts: b.corners, closed: true})
	}
	s.group("density", "", fmt.Sprintf("Incidents per hexagon of %d px, 1 to %s", 2*cluster.DensityRadius, GroupDigits(most)))
	for k, sub := range classes {
		if len(sub) > 0 {
			s.path(sub, style{fill: densityColours[k], fillOpacity: densityOpacity})
		}
	}
	s.end()
}
