package geo_test

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

func date(s string) *geo.Date {
	d, err := geo.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func ids(incs []*geo.Incident) []string {
	out := make([]string, len(incs))
	for i, inc := range incs {
		out[i] = inc.ID
	}
	return out
}

func TestFilter(t *testing.T) {
	d := validDataset(t)
	for _, tc := range []struct {
		name string
		f    geo.Filter
		want []string
	}{
		{"zero filter keeps all", geo.Filter{}, []string{"i1-alpha-drone", "i2-bravo-drone", "i4-charlie-near", "i3-alpha-rocket-span", "i5-nobase"}},
		{"one day", geo.Filter{From: date("2023-10-18"), To: date("2023-10-18")}, []string{"i1-alpha-drone", "i2-bravo-drone"}},
		{"span overlaps at its end", geo.Filter{From: date("2023-10-22")}, []string{"i3-alpha-rocket-span", "i5-nobase"}},
		{"span overlaps at its start", geo.Filter{To: date("2023-10-21")}, []string{"i1-alpha-drone", "i2-bravo-drone", "i4-charlie-near", "i3-alpha-rocket-span"}},
		{"gap matches nothing", geo.Filter{From: date("2023-10-23"), To: date("2023-10-24")}, []string{}},
		{"weapon", geo.Filter{Weapons: []geo.Weapon{geo.WeaponDrone}}, []string{"i1-alpha-drone", "i2-bravo-drone"}},
		{"weapons", geo.Filter{Weapons: []geo.Weapon{geo.WeaponMissile, geo.WeaponUnknown}}, []string{"i4-charlie-near", "i5-nobase"}},
		{"status", geo.Filter{Statuses: []geo.Status{geo.StatusReported}}, []string{"i4-charlie-near", "i3-alpha-rocket-span", "i5-nobase"}},
		{"base", geo.Filter{Bases: []string{"alpha"}}, []string{"i1-alpha-drone", "i3-alpha-rocket-span"}},
		{"bbox", geo.Filter{BBox: &orb.Bound{Min: orb.Point{41, 32}, Max: orb.Point{43.5, 35}}}, []string{"i1-alpha-drone", "i3-alpha-rocket-span", "i5-nobase"}},
		{"bbox edge is inside", geo.Filter{BBox: &orb.Bound{Min: orb.Point{44, 36}, Max: orb.Point{45, 37}}}, []string{"i2-bravo-drone"}},
		{"bbox across the antimeridian", geo.Filter{BBox: &orb.Bound{Min: orb.Point{43.5, 30}, Max: orb.Point{39, 40}}}, []string{"i2-bravo-drone", "i4-charlie-near"}},
		{"all conditions at once", geo.Filter{From: date("2023-10-18"), To: date("2023-10-21"), Weapons: []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket}, Statuses: []geo.Status{geo.StatusConfirmed, geo.StatusReported}, Bases: []string{"alpha"}}, []string{"i1-alpha-drone", "i3-alpha-rocket-span"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ids(d.Select(tc.f))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStrongestStatus(t *testing.T) {
	for _, tc := range []struct {
		kinds []geo.SourceKind
		want  geo.Status
	}{
		{nil, geo.StatusClaimed},
		{[]geo.SourceKind{geo.SourceClaim}, geo.StatusClaimed},
		{[]geo.SourceKind{geo.SourceClaim, geo.SourceMonitor}, geo.StatusReported},
		{[]geo.SourceKind{geo.SourceMedia, geo.SourceClaim}, geo.StatusReported},
		{[]geo.SourceKind{geo.SourceClaim, geo.SourceOfficial, geo.SourceMedia}, geo.StatusConfirmed},
	} {
		var srcs []geo.Source
		for _, k := range tc.kinds {
			srcs = append(srcs, geo.Source{Kind: k})
		}
		if got := geo.StrongestStatus(srcs); got != tc.want {
			t.Errorf("StrongestStatus(%v) = %s, want %s", tc.kinds, got, tc.want)
		}
	}
}

func TestPoints(t *testing.T) {
	a := &geo.Incident{ID: "a", Point: orb.Point{44.34, 36.53}}
	b := &geo.Incident{ID: "b", Point: orb.Point{38.70, 33.31}}
	got := geo.Points([]*geo.Incident{b, a})
	if want := []orb.Point{{38.70, 33.31}, {44.34, 36.53}}; !slices.Equal(got, want) {
		t.Errorf("Points = %v, want %v: one point an incident, [lon, lat], in the order given", got, want)
	}
	if got := geo.Points(nil); len(got) != 0 {
		t.Errorf("Points(nil) = %v", got)
	}
}

// TestFilterKey checks that filters share a key exactly when they have the
// same conditions: lists in any order or with repeats share one; a base id
// holding the separators of the key does not pass for two ids.
func TestFilterKey(t *testing.T) {
	box := &orb.Bound{Min: orb.Point{42, 33}, Max: orb.Point{44, 35}}
	same := [][]geo.Filter{
		{{}, {Weapons: []geo.Weapon{}}, {Bases: nil}},
		{{Weapons: []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket}}, {Weapons: []geo.Weapon{geo.WeaponRocket, geo.WeaponDrone, geo.WeaponRocket}}},
		{{Statuses: []geo.Status{geo.StatusConfirmed, geo.StatusClaimed}}, {Statuses: []geo.Status{geo.StatusClaimed, geo.StatusConfirmed}}},
		{{Bases: []string{"b", "a", geo.NoBase}}, {Bases: []string{geo.NoBase, "a", "b", "a"}}},
		{{From: date("2024-01-02"), BBox: box}, {BBox: &orb.Bound{Min: orb.Point{42, 33}, Max: orb.Point{44, 35}}, From: date("2024-01-02")}},
	}
	differ := []geo.Filter{
		{},
		{Weapons: []geo.Weapon{geo.WeaponDrone}},
		{Weapons: []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket}},
		{Statuses: []geo.Status{geo.StatusClaimed, geo.StatusConfirmed}},
		{Bases: []string{"a", "b"}},
		{Bases: []string{"a,b"}},
		{Bases: []string{`a"`, "b"}},
		{Bases: []string{geo.NoBase}},
		{From: date("2024-01-02")},
		{To: date("2024-01-02")},
		{From: date("2024-01-02"), To: date("2024-01-02")},
		{BBox: box},
		{BBox: &orb.Bound{Min: orb.Point{44, 33}, Max: orb.Point{42, 35}}}, // across the antimeridian
	}
	for _, group := range same {
		for _, f := range group[1:] {
			if f.Key() != group[0].Key() {
				t.Errorf("%+v: key %q, want %q as for %+v", f, f.Key(), group[0].Key(), group[0])
			}
		}
	}
	seen := map[string]geo.Filter{}
	for _, f := range differ {
		if g, ok := seen[f.Key()]; ok {
			t.Errorf("%+v and %+v share the key %q", f, g, f.Key())
		}
		seen[f.Key()] = f
	}
	if k := (&geo.Filter{}).Key(); k != "" {
		t.Errorf("the zero Filter's key is %q, want \"\"", k)
	}
}
