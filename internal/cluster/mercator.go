package cluster

import "math"

// The projection from [lon, lat] degrees to the Web Mercator unit square
// [0,1]², x eastward from the antimeridian, y southward from about 85.05°N.
// The formulas are supercluster's, so that the same input gives the same
// unit-square positions.

// lonX returns the unit-square x of a longitude in degrees.
func lonX(lon float64) float64 { return lon/360 + 0.5 }

// latY returns the unit-square y of a latitude in degrees, clamped to [0, 1].
func latY(lat float64) float64 {
	sin := math.Sin(lat * math.Pi / 180)
	y := 0.5 - 0.25*math.Log((1+sin)/(1-sin))/math.Pi
	switch {
	case y < 0:
		return 0
	case y > 1:
		return 1
	}
	return y
}

// xLon is the inverse of lonX.
func xLon(x float64) float64 { return (x - 0.5) * 360 }

// yLat is the inverse of latY.
func yLat(y float64) float64 {
	y2 := (180 - y*360) * math.Pi / 180
	return 360*math.Atan(math.Exp(y2))/math.Pi - 90
}
