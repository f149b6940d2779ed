package main

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestCleanWindingAndPinch(t *testing.T) {
	// A clockwise figure-eight pinched at (1,1): two lobes -> two CCW polygons.
	r := orb.Ring{{0, 0}, {0, 1}, {1, 1}, {2, 2}, {2, 1}, {1, 1}, {1, 0}, {0, 0}}
	mp := cleanMultiPolygon(orb.MultiPolygon{{r}}, 5)
	if len(mp) != 2 {
		t.Fatalf("got %d polygons, want 2: %v", len(mp), mp)
	}
	for _, p := range mp {
		if signedArea(p[0]) <= 0 {
			t.Errorf("exterior not CCW: %v", p[0])
		}
		if crossings(orb.MultiPolygon{p}) != 0 {
			t.Errorf("crossing in %v", p)
		}
	}
}

func TestCleanHoleWinding(t *testing.T) {
	// Clockwise exterior with a counter-clockwise hole: both must flip.
	ext := orb.Ring{{0, 0}, {0, 4}, {4, 4}, {4, 0}, {0, 0}}
	hole := orb.Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}
	mp := cleanMultiPolygon(orb.MultiPolygon{{ext, hole}}, 5)
	if len(mp) != 1 || len(mp[0]) != 2 {
		t.Fatalf("got %v, want one polygon with one hole", mp)
	}
	if signedArea(mp[0][0]) <= 0 || signedArea(mp[0][1]) >= 0 {
		t.Errorf("winding: exterior %g, hole %g; want > 0, < 0", signedArea(mp[0][0]), signedArea(mp[0][1]))
	}
}

func TestCleanRingDropsSlivers(t *testing.T) {
	// Collapses to a line once rounded to 2 decimals.
	r := orb.Ring{{0, 0}, {1, 0.001}, {2, 0}, {0, 0}}
	if got := cleanRing(r, 2); got != nil {
		t.Errorf("cleanRing = %v, want nil", got)
	}
	if got := round(-0.000001, 5); got != 0 || 1/got < 0 {
		t.Errorf("round(-0.000001, 5) = %g, want +0", got)
	}
}
