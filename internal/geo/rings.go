package geo

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

var defaultRingRadii = []float64{10, 20, 40}

// DefaultRingRadii returns the range rings drawn around a base, in km: roughly
// the reach of 107 mm rockets (about 8-11 km), of 122 mm Grad rockets (about
// 20 km), and beyond.
//
// It is a copy: a caller may change it.
func DefaultRingRadii() []float64 { return slices.Clone(defaultRingRadii) }

// RingVertices is the number of distinct vertices of each range ring.
const RingVertices = 72

// MaxRingRadius is the largest radius, in km, a range ring may have; beyond
// it a circle on the sphere stops being a useful "range" picture and begins
// to wrap around the pole.
const MaxRingRadius = 5000.0

// RangeRing is a geodesic circle of RadiusKm around a base.
type RangeRing struct {
	Base     string
	RadiusKm float64
	// Polygon's single ring is closed and counter-clockwise (RFC 7946
	// right-hand rule), with RingVertices distinct vertices each RadiusKm
	// from the base along the great circle.
	Polygon orb.Polygon
}

// RangeRings returns a ring of each radius (km) around each base, bases in
// the order given and radii ascending within a base.
func RangeRings(bases []*Base, radiiKm []float64) ([]RangeRing, error) {
	for _, r := range radiiKm {
		if !(r > 0 && r <= MaxRingRadius) {
			return nil, fmt.Errorf("radius %v km is outside 0..%v", r, MaxRingRadius)
		}
	}
	rings := make([]RangeRing, 0, len(bases)*len(radiiKm))
	for _, b := range bases {
		for _, r := range radiiKm {
			rings = append(rings, RangeRing{Base: b.ID, RadiusKm: r, Polygon: Circle(b.Point, r*1000, RingVertices)})
		}
	}
	return rings, nil
}

// Circle returns a geodesic circle of radius metres around center with n
// distinct vertices, as a closed counter-clockwise polygon. Bearings go
// anticlockwise from east, so the ring follows the right-hand rule.
func Circle(center orb.Point, radius float64, n int) orb.Polygon {
	ring := make(orb.Ring, 0, n+1)
	for i := range n {
		// Bearing is clockwise from north; stepping it downwards walks the
		// circle anticlockwise.
		bearing := math.Mod(360-float64(i)*360/float64(n), 360)
		ring = append(ring, orbgeo.PointAtBearingAndDistance(center, bearing, radius))
	}
	ring = append(ring, ring[0])
	return orb.Polygon{ring}
}
