package geo_test

import (
	"slices"
	"testing"

	"strikemap/internal/geo"
)

// TestVocabulariesAreCopies changes what each vocabulary accessor returns
// and checks that the package's own word lists, which the loader checks
// data against, do not change with it.
func TestVocabulariesAreCopies(t *testing.T) {
	check := func(name string, get func() []string, change func()) {
		t.Helper()
		before := slices.Clone(get())
		change()
		if after := get(); !slices.Equal(after, before) {
			t.Errorf("changing what %s returned changed it from %v to %v", name, before, after)
		}
	}
	check("Weapons", vocab(geo.Weapons), func() { geo.Weapons()[0] = geo.WeaponMissile })
	check("Statuses", vocab(geo.Statuses), func() { geo.Statuses()[0] = geo.StatusConfirmed })
	check("Precisions", vocab(geo.Precisions), func() { geo.Precisions()[0] = geo.PrecisionRegion })
	check("SourceKinds", vocab(geo.SourceKinds), func() { geo.SourceKinds()[0] = geo.SourceClaim })
	check("BaseKinds", vocab(geo.BaseKinds), func() { geo.BaseKinds()[0] = "castle" })
	check("CountQualifiers", vocab(geo.CountQualifiers), func() { geo.CountQualifiers()[0] = geo.CountNearly })
	check("Orders", vocab(geo.Orders), func() { geo.Orders()[0] = geo.ByBaseDesc })
	check("DisputableFields", geo.DisputableFields, func() { geo.DisputableFields()[0] = "nothing" })
	check("StrikeDisputableFields", geo.StrikeDisputableFields, func() { geo.StrikeDisputableFields()[0] = "nothing" })
	check("IncidentFields' disputed values", geo.DisputableFields, func() {
		for _, f := range geo.IncidentFields() {
			if f.Name == "disputed" {
				f.Values[0] = "nothing"
			}
		}
	})
	radii := slices.Clone(geo.DefaultRingRadii())
	geo.DefaultRingRadii()[0] = 999
	if again := geo.DefaultRingRadii(); !slices.Equal(again, radii) {
		t.Errorf("changing what DefaultRingRadii returned changed it from %v to %v", radii, again)
	}

	// What the loader reads is held to the package's lists, not to a
	// caller's copy.
	ws := geo.Weapons()
	ws[0] = geo.WeaponUnknown
	var w geo.Weapon
	if err := w.UnmarshalText([]byte("drone")); err != nil || w != geo.WeaponDrone {
		t.Errorf(`after a caller changed its copy of Weapons, "drone" reads as %v, %v`, w, err)
	}
}

// vocab returns the words of what get returns.
func vocab[T geo.Term](get func() []T) func() []string {
	return func() []string { return geo.Words(get()) }
}
