package server

import (
	"net/url"
	"slices"
	"testing"

	"strikemap/internal/geo"
)

// TestParseRadiiDefaultIsACopy changes the radii parseRadii gives when the
// parameter is absent: the package default must not change with them.
func TestParseRadiiDefaultIsACopy(t *testing.T) {
	want := slices.Clone(geo.DefaultRingRadii())
	got, err := parseRadii(url.Values{}, "radii")
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("parseRadii() = %v, %v; want the default %v", got, err, want)
	}
	got[0] = 999
	if !slices.Equal(geo.DefaultRingRadii(), want) {
		t.Errorf("changing the returned radii changed geo.DefaultRingRadii() to %v", geo.DefaultRingRadii())
	}
}
