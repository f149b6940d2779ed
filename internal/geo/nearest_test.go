package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

func TestNearestBase(t *testing.T) {
	d := validDataset(t) // alpha [42, 33], bravo [44, 36], charlie [38.5, 33.5]
	for _, tc := range []struct {
		name   string
		p      orb.Point
		max    float64
		want   string
		metres float64 // approximate, 0 to skip
	}{
		{"on alpha", orb.Point{42, 33}, 5000, "alpha", 0},
		// 0.01 degree of latitude is about 1112 m.
		{"1.1 km north of alpha", orb.Point{42, 33.01}, 5000, "alpha", 1112},
		{"beyond the radius", orb.Point{42, 33.1}, 5000, "", 0},
		{"nearer charlie than alpha", orb.Point{39, 33.4}, 100000, "charlie", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, m, ok := geo.NearestBase(d.Bases, tc.p, tc.max)
			if tc.want == "" {
				if ok {
					t.Fatalf("found %s at %.0f m, want none", b.ID, m)
				}
				return
			}
			if !ok || b.ID != tc.want {
				t.Fatalf("got %v (%v), want %s", b, ok, tc.want)
			}
			if tc.metres > 0 && math.Abs(m-tc.metres) > 5 {
				t.Errorf("distance %.0f m, want about %.0f", m, tc.metres)
			}
		})
	}
	alpha, _ := d.Base("alpha")
	if !geo.AtBase(alpha, orb.Point{42.000001, 33}) || geo.AtBase(alpha, orb.Point{42.0001, 33}) {
		t.Error("AtBase must accept rounding (0.1 m) and refuse 9 m")
	}
}
