package data_test

import "testing"

// TestBaseShortNames holds the short names the map labels take on a phone
// or a small export to what a reader can tell apart: no two bases share
// one, and none is only the name of a river of the region ("Euphrates"
// for Mission Support Site Euphrates read as the river it stands by).
func TestBaseShortNames(t *testing.T) {
	rivers := map[string]bool{"Euphrates": true, "Tigris": true, "Khabur": true, "Great Zab": true, "Little Zab": true, "Diyala": true, "Jordan": true, "Orontes": true}
	seen := map[string]string{}
	for _, b := range load(t).Bases {
		s := b.Short()
		if rivers[s] {
			t.Errorf("base %s: short name %q is a river's name; give the base a short_name", b.ID, s)
		}
		if other, ok := seen[s]; ok {
			t.Errorf("bases %s and %s share the short name %q", other, b.ID, s)
		}
		seen[s] = b.ID
	}
}
