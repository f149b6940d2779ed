package geo_test

import (
	"testing"

	"strikemap/internal/geo"
)

func TestSummaries(t *testing.T) {
	d := validDataset(t)
	bases := []*geo.Base{&d.Bases[0], &d.Bases[1], &d.Bases[2]}
	s := d.Summaries(bases, geo.Filter{})
	alpha := s[0]
	if alpha.Base != "alpha" || alpha.Attacks != 2 {
		t.Fatalf("alpha: %+v, want 2 attacks", alpha)
	}
	if alpha.ByWeapon[geo.WeaponDrone] != 1 || alpha.ByWeapon[geo.WeaponRocket] != 1 || alpha.ByWeapon[geo.WeaponMissile] != 0 {
		t.Errorf("alpha by weapon: %v", alpha.ByWeapon)
	}
	if alpha.ByStatus[geo.StatusConfirmed] != 1 || alpha.ByStatus[geo.StatusReported] != 1 {
		t.Errorf("alpha by status: %v", alpha.ByStatus)
	}
	if alpha.FirstDate.String() != "2023-10-18" || alpha.LastDate.String() != "2023-10-22" {
		t.Errorf("alpha first %s last %s, want 2023-10-18 and the span's end 2023-10-22", alpha.FirstDate, alpha.LastDate)
	}
	if c := alpha.Casualties; c.Injured != 4 || c.UnknownInjured != 1 || c.Killed != 0 || c.UnknownKilled != 2 {
		t.Errorf("alpha casualties: %+v", c)
	}
	if s[2].Attacks != 1 || s[2].Casualties.UnknownKilled != 0 {
		t.Errorf("charlie: %+v", s[2])
	}

	// A filter narrows the counts; its base list is ignored.
	s = d.Summaries(bases, geo.Filter{Weapons: []geo.Weapon{geo.WeaponRocket}, Bases: []string{"bravo"}})
	if s[0].Attacks != 1 || s[1].Attacks != 0 || s[1].FirstDate != nil {
		t.Errorf("rocket summaries: alpha %d, bravo %d (first %v)", s[0].Attacks, s[1].Attacks, s[1].FirstDate)
	}
}

func TestLinks(t *testing.T) {
	d := validDataset(t)
	links := d.Links(geo.Filter{})
	if len(links) != 1 {
		t.Fatalf("got %d links, want 1 (only i4 lies away from its base; i5 has no base)", len(links))
	}
	l := links[0]
	if l.Incident != "i4-charlie-near" || l.Base != "charlie" || len(l.Line) != 2 {
		t.Errorf("link %+v", l)
	}
	// 0.1° of longitude and 0.05° of latitude at 33.5°N: about 10.4 km.
	if l.DistanceKm < 10 || l.DistanceKm > 11 {
		t.Errorf("distance %.2f km, want about 10.4", l.DistanceKm)
	}
	if got := d.Links(geo.Filter{Weapons: []geo.Weapon{geo.WeaponDrone}}); len(got) != 0 {
		t.Errorf("filter ignored: %d links", len(got))
	}
}
