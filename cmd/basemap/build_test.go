package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestBuild(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topo.json")
	if err := os.WriteFile(path, []byte(testTopo), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Countries:  path,
		IDs:        "368,760",
		BBox:       [4]float64{10.5, 20, 12, 21},
		Precision:  5,
		CountryObj: "c",
	}
	fc, st, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Two countries, then a label point for each.
	if st.Countries != 2 || st.Labels != 2 || len(fc.Features) != 4 {
		t.Fatalf("got %d features (%d countries, %d labels), want 2 and 2", len(fc.Features), st.Countries, st.Labels)
	}
	// A (10..11 x 20..21) is clipped to its eastern half; B is untouched.
	wantArea := map[string]float64{"IQ": 0.5, "SY": 1}
	for _, f := range fc.Features[:2] {
		iso := f.Properties["iso_a2"].(string)
		p, ok := f.Geometry.(orb.Polygon)
		if !ok {
			t.Fatalf("%s: geometry %T, want Polygon", iso, f.Geometry)
		}
		if got := planar.Area(p); got != wantArea[iso] {
			t.Errorf("%s: area %g, want %g", iso, got, wantArea[iso])
		}
		if signedArea(p[0]) <= 0 {
			t.Errorf("%s: exterior not counter-clockwise", iso)
		}
	}

	cfg.IDs = "368,760,400"
	if _, _, err := Build(cfg); err == nil || !strings.Contains(err.Error(), "required country id 400") {
		t.Errorf("missing required country: err = %v", err)
	}
}
