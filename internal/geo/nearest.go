package geo

import (
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// NearestBase returns the base nearest to p ([lon, lat]) and its distance in
// metres, by the haversine great-circle distance, if one lies within
// maxMetres; ok is false otherwise. Of two bases at the same distance the
// first in bases wins, so the answer does not depend on map iteration.
func NearestBase(bases []Base, p orb.Point, maxMetres float64) (b *Base, metres float64, ok bool) {
	for i := range bases {
		d := orbgeo.DistanceHaversine(bases[i].Point, p)
		if d <= maxMetres && (b == nil || d < metres) {
			b, metres = &bases[i], d
		}
	}
	return b, metres, b != nil
}

// AtBase reports whether p is the point of base b, as location_precision
// "base" requires: within MaxBaseOffset metres.
func AtBase(b *Base, p orb.Point) bool {
	return orbgeo.Distance(b.Point, p) <= MaxBaseOffset
}
