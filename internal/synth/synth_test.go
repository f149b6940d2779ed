package synth_test

import (
	"bytes"
	"testing"
	"testing/fstest"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

func TestSynthIsValidAndDeterministic(t *testing.T) {
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	gen := func(seed uint64) []byte {
		var buf bytes.Buffer
		if err := synth.WriteIncidents(&buf, synth.Config{N: 2000, Seed: seed, Bases: shipped.Bases}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a := gen(1)
	if !bytes.Equal(a, gen(1)) {
		t.Error("same seed, different data")
	}
	if bytes.Equal(a, gen(2)) {
		t.Error("different seeds, same data")
	}
	d, err := geo.Load(fstest.MapFS{"bases.geojson": {Data: basesJSON}, "incidents.geojson": {Data: a}})
	if err != nil {
		t.Fatalf("synthetic data does not validate: %v", err)
	}
	if len(d.Incidents) != 2000 {
		t.Fatalf("%d incidents", len(d.Incidents))
	}
	seen := map[string]bool{}
	for _, inc := range d.Incidents {
		seen[inc.Weapon.String()] = true
		seen[inc.Status.String()] = true
		if n := len(inc.Sources); n < 1 || n > 3 {
			t.Errorf("%s has %d sources", inc.ID, n)
		}
	}
	for _, w := range geo.Weapons() {
		if !seen[w.String()] {
			t.Errorf("no %s incident", w)
		}
	}
	for _, s := range geo.Statuses() {
		if !seen[s.String()] {
			t.Errorf("no %s incident", s)
		}
	}
	first, last, _ := d.Span()
	if first.String() < "2016-01-01" || last.String() > "2027-01-31" || last-first < 3000 {
		t.Errorf("span %s to %s, want 2016 to 2026", first, last)
	}
}
