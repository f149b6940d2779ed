package mapimage

import (
	"fmt"
	"math"
	"slices"
)

// The density layer: incidents counted in hexagons of hexRadius pixels
// (centre to corner), each shaded by its count on a log scale, from
// ColorBrewer's YlOrRd.
const (
	hexRadius      = 9.0
	densitySwatch  = 11.0 // the width of a hexagon in the legend
	densityOpacity = 0.8
)

var densityColours = []string{"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"}

// hexBin is one hexagon of the density layer.
type hexBin struct {
	q, r  int // axial coordinates of a pointy-top hexagon
	count int
}

// densityBins counts v.Density in hexagons, keeping those in the image.
func densityBins(vp viewport, v *View) []hexBin {
	if v.Density == nil {
		return nil
	}
	counts := map[[2]int]int{}
	for _, c := range v.Density {
		x, y := vp.px(c.Point)
		if x < -hexRadius || y < -hexRadius || x > v.Width+hexRadius || y > v.Height+hexRadius {
			continue
		}
		q, r := hexAt(x, y)
		counts[[2]int{q, r}] += c.Count
	}
	out := make([]hexBin, 0, len(counts))
	for k, n := range counts {
		out = append(out, hexBin{q: k[0], r: k[1], count: n})
	}
	// A fixed order, so that the same view gives the same bytes.
	slices.SortFunc(out, func(a, b hexBin) int {
		if a.r != b.r {
			return a.r - b.r
		}
		return a.q - b.q
	})
	return out
}

// hexAt returns the axial coordinates of the hexagon holding (x, y).
func hexAt(x, y float64) (int, int) {
	fq := (math.Sqrt(3)/3*x - y/3) / hexRadius
	fr := 2.0 / 3 * y / hexRadius
	// Round in cube coordinates.
	fs := -fq - fr
	q, r, s := math.Round(fq), math.Round(fr), math.Round(fs)
	dq, dr, ds := math.Abs(q-fq), math.Abs(r-fr), math.Abs(s-fs)
	if dq > dr && dq > ds {
		q = -r - s
	} else if dr > ds {
		r = -q - s
	}
	return int(q), int(r)
}

func hexCentre(q, r int) (float64, float64) {
	return hexRadius * math.Sqrt(3) * (float64(q) + float64(r)/2), hexRadius * 1.5 * float64(r)
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
		x, y := hexCentre(b.q, b.r)
		k := densityClass(b.count, most)
		classes[k] = append(classes[k], subpath{pts: hexagon(x, y, hexRadius), closed: true})
	}
	s.group("density", "", fmt.Sprintf("Incidents per hexagon of %.0f px, 1 to %d", 2*hexRadius, most))
	for k, sub := range classes {
		if len(sub) > 0 {
			s.path(sub, style{fill: densityColours[k], fillOpacity: densityOpacity})
		}
	}
	s.end()
}
