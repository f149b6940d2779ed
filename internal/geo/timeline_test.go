package geo_test

import (
	"testing"

	"strikemap/internal/geo"
)

func TestPerDay(t *testing.T) {
	d := validDataset(t)
	days := d.PerDay(geo.Filter{Bases: []string{"alpha"}})
	// i1 on 18 Oct; i3 spans 21-22 Oct.
	want := []int{1, 0, 0, 1, 1}
	if len(days) != len(want) || days[0].Day.String() != "2023-10-18" {
		t.Fatalf("got %v", days)
	}
	for i, w := range want {
		if days[i].Count != w {
			t.Errorf("%s: %d, want %d", days[i].Day, days[i].Count, w)
		}
	}
	if got := d.PerDay(geo.Filter{Weapons: []geo.Weapon{geo.WeaponMissile}, Bases: []string{"alpha"}}); got != nil {
		t.Errorf("no match gave %v", got)
	}
}
