package geo_test

import (
	"os"
	"reflect"
	"testing"

	"strikemap/internal/geo"
)

// TestWholeCounts checks that the unfiltered timeline and summaries, made
// once per dataset, are what counting gives, and that a caller changing
// what it got does not change what the next one gets.
func TestWholeCounts(t *testing.T) {
	d := synthetic(t, 3000)
	days, total := d.Timeline(geo.Filter{})
	wantDays, wantTotal := d.CountedTimeline(geo.Filter{})
	if total != wantTotal || !reflect.DeepEqual(days, wantDays) {
		t.Fatalf("timeline: %d incidents over %d days, counted %d over %d", total, len(days), wantTotal, len(wantDays))
	}
	days[0].Count = -1
	if again, _ := d.Timeline(geo.Filter{}); again[0].Count == -1 {
		t.Error("a change to the timeline returned reached the next one")
	}
	bases := make([]*geo.Base, len(d.Bases))
	for i := range d.Bases {
		bases[i] = &d.Bases[i]
	}
	got, want := d.Summaries(bases, geo.Filter{}), d.CountedSummaries(bases, geo.Filter{})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("summaries: %+v, counted %+v", got, want)
	}
	got[0].ByWeapon[geo.WeaponDrone] = -1
	if again := d.Summaries(bases, geo.Filter{}); again[0].ByWeapon[geo.WeaponDrone] == -1 {
		t.Error("a change to the summaries returned reached the next ones")
	}
	// A filter is counted, not taken from the whole.
	from := d.Incidents[len(d.Incidents)/2].Date
	f := geo.Filter{From: &from}
	if _, n := d.Timeline(f); n == total {
		t.Errorf("a filter from %s kept all %d incidents", from, n)
	}
}

// BenchmarkTimeline times what the map page's first view asks of the
// dataset, the unfiltered timeline and base summaries (made once: "whole"),
// against counting them ("counted"), and a filter's (always counted).
func BenchmarkTimeline(b *testing.B) {
	n := 200000
	if os.Getenv("STRIKEMAP_BENCH_SMALL") != "" {
		n = 2000 // CI: run once as a check
	}
	d := synthetic(b, n)
	bases := make([]*geo.Base, len(d.Bases))
	for i := range d.Bases {
		bases[i] = &d.Bases[i]
	}
	weapon := geo.Filter{Weapons: []geo.Weapon{geo.WeaponDrone}}
	d.Timeline(geo.Filter{}) // made once, as the server does while it warms
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			d.Timeline(geo.Filter{})
			d.Summaries(bases, geo.Filter{})
		}
	})
	b.Run("counted", func(b *testing.B) {
		for b.Loop() {
			d.CountedTimeline(geo.Filter{})
			d.CountedSummaries(bases, geo.Filter{})
		}
	})
	b.Run("weapon", func(b *testing.B) {
		for b.Loop() {
			d.Timeline(weapon)
			d.Summaries(bases, weapon)
		}
	})
}
