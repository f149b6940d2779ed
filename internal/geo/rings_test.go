package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"strikemap/internal/geo"
)

func TestRangeRings(t *testing.T) {
	d := validDataset(t)
	bases := []*geo.Base{&d.Bases[0], &d.Bases[2]}
	rings, err := geo.RangeRings(bases, geo.DefaultRingRadii())
	if err != nil {
		t.Fatal(err)
	}
	if len(rings) != 6 {
		t.Fatalf("got %d rings, want 2 bases x 3 radii", len(rings))
	}
	for _, r := range rings {
		b, _ := d.Base(r.Base)
		ring := r.Polygon[0]
		if len(r.Polygon) != 1 || len(ring) < 65 {
			t.Fatalf("%s %v km: %d rings of %d points, want 1 ring of at least 64 vertices + closing point", r.Base, r.RadiusKm, len(r.Polygon), len(ring))
		}
		if !ring.Closed() {
			t.Errorf("%s %v km: ring not closed", r.Base, r.RadiusKm)
		}
		if ring.Orientation() != orb.CCW {
			t.Errorf("%s %v km: ring is not counter-clockwise (RFC 7946 right-hand rule)", r.Base, r.RadiusKm)
		}
		want := r.RadiusKm * 1000
		for i, p := range ring {
			// Haversine is an independent formula from the one that built the point.
			if got := orbgeo.DistanceHaversine(b.Point, p); math.Abs(got-want)/want > 0.005 {
				t.Errorf("%s %v km: vertex %d is %.1f m from the base, want %.0f m ± 0.5%%", r.Base, r.RadiusKm, i, got, want)
			}
		}
	}
}

func TestRangeRingsRejectsBadRadii(t *testing.T) {
	d := validDataset(t)
	for _, r := range []float64{0, -5, math.NaN(), math.Inf(1), geo.MaxRingRadius + 1} {
		if _, err := geo.RangeRings([]*geo.Base{&d.Bases[0]}, []float64{r}); err == nil {
			t.Errorf("radius %v accepted", r)
		}
	}
}

func TestCircleNearPole(t *testing.T) {
	// A circle that contains no pole must still wind counter-clockwise far
	// from the equator.
	c := geo.Circle(orb.Point{10, 80}, 200_000, 64)
	if c[0].Orientation() != orb.CCW {
		t.Error("ring at 80°N is clockwise")
	}
}
