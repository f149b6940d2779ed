package geo_test

import (
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
	"strikemap/internal/testenv"
)

// bruteForce is the definition Query must agree with.
func bruteForce(d *geo.Dataset, f geo.Filter) []string {
	var ids []string
	for i := range d.Incidents {
		if f.Match(d.Incidents[i]) {
			ids = append(ids, d.Incidents[i].ID)
		}
	}
	return ids
}

// bruteDays is the definition Timeline must agree with: every day from the
// first to the last day covered by a match, and how many matches cover it.
func bruteDays(d *geo.Dataset, f geo.Filter) []geo.DayCount {
	counts := map[geo.Date]int{}
	var first, last geo.Date
	for i := range d.Incidents {
		inc := d.Incidents[i]
		if !f.Match(inc) {
			continue
		}
		if len(counts) == 0 || inc.Date < first {
			first = inc.Date
		}
		if len(counts) == 0 || inc.DateEnd > last {
			last = inc.DateEnd
		}
		for day := inc.Date; day <= inc.DateEnd; day++ {
			counts[day]++
		}
	}
	if len(counts) == 0 {
		return nil
	}
	var days []geo.DayCount
	for day := first; day <= last; day++ {
		days = append(days, geo.DayCount{Day: day, Count: counts[day]})
	}
	return days
}

// bruteSummaries is the definition Summaries must agree with.
func bruteSummaries(d *geo.Dataset, bases []*geo.Base, f geo.Filter) []geo.Summary {
	f.Bases = nil
	out := make([]geo.Summary, len(bases))
	for k, b := range bases {
		s := geo.Summary{Base: b.ID, ByWeapon: map[geo.Weapon]int{}, ByStatus: map[geo.Status]int{}}
		for _, w := range geo.Weapons() {
			s.ByWeapon[w] = 0
		}
		for _, st := range geo.Statuses() {
			s.ByStatus[st] = 0
		}
		for i := range d.Incidents {
			inc := d.Incidents[i]
			if inc.Base != b.ID || !f.Match(inc) {
				continue
			}
			s.Attacks++
			s.ByWeapon[inc.Weapon]++
			s.ByStatus[inc.Status]++
			if s.FirstDate == nil || inc.Date < *s.FirstDate {
				day := inc.Date
				s.FirstDate = &day
			}
			if s.LastDate == nil || inc.DateEnd > *s.LastDate {
				day := inc.DateEnd
				s.LastDate = &day
			}
			if n, ok := inc.Injured.Get(); ok {
				s.Casualties.Injured += n
			} else {
				s.Casualties.UnknownInjured++
			}
			if n, ok := inc.Killed.Get(); ok {
				s.Casualties.Killed += n
			} else {
				s.Casualties.UnknownKilled++
			}
		}
		out[k] = s
	}
	return out
}

func synthetic(t testing.TB, n int) *geo.Dataset {
	t.Helper()
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	d, err := synth.Dataset(basesJSON, shipped.Bases, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestQueryAgreesWithBruteForce(t *testing.T) {
	d := synthetic(t, 20000)
	rng := rand.New(rand.NewPCG(1, 2))
	first, last, _ := d.Span()
	wantLast := d.Incidents[0].DateEnd
	for i := range d.Incidents {
		wantLast = max(wantLast, d.Incidents[i].DateEnd)
	}
	if first != d.Incidents[0].Date || last != wantLast {
		t.Fatalf("Span() = %s..%s, want %s..%s", first, last, d.Incidents[0].Date, wantLast)
	}
	randomFilter := func() geo.Filter {
		var f geo.Filter
		if rng.IntN(2) == 0 {
			from := first + geo.Date(rng.IntN(int(last-first)))
			f.From = &from
		}
		if rng.IntN(2) == 0 {
			to := first + geo.Date(rng.IntN(int(last-first)))
			f.To = &to
		}
		if rng.IntN(3) == 0 {
			f.Weapons = []geo.Weapon{geo.Weapons()[rng.IntN(4)]}
		}
		if rng.IntN(3) == 0 {
			f.Statuses = []geo.Status{geo.Statuses()[rng.IntN(3)], geo.Statuses()[rng.IntN(3)]}
		}
		if rng.IntN(3) == 0 {
			f.Bases = []string{d.Bases[rng.IntN(len(d.Bases))].ID, d.Bases[rng.IntN(len(d.Bases))].ID}
		}
		if rng.IntN(2) == 0 {
			x, y := 36+rng.Float64()*12, 29.5+rng.Float64()*8
			w, h := rng.Float64()*rng.Float64()*8, rng.Float64()*rng.Float64()*5
			f.BBox = &orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + w, y + h}}
			if rng.IntN(10) == 0 { // across the antimeridian: wraps round the world
				f.BBox = &orb.Bound{Min: orb.Point{x + w, y}, Max: orb.Point{x, y + h}}
			}
		}
		return f
	}
	// 400 random filters in the plain pass; under the race detector, which
	// looks for races rather than wrong answers and makes each brute-force
	// scan about 20 times slower, 60 (the whole test took 160-190 s of
	// .ci/run's race pass, longer than any other package's).
	filters := 400
	if testenv.Race {
		filters = 60
		t.Log(testenv.LessUnderRace)
	}
	for i := range filters {
		f := randomFilter()
		want := bruteForce(d, f)
		got := ids(d.Select(f))
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("filter %d %+v: %d results, want %d", i, f, len(got), len(want))
		}
		if n := d.Count(f); n != len(want) {
			t.Fatalf("filter %d: Count %d, want %d", i, n, len(want))
		}
		// The timeline and the base summaries read the index too.
		days, total := d.Timeline(f)
		if total != len(want) || !slices.Equal(days, bruteDays(d, f)) {
			t.Fatalf("filter %d: timeline of %d days, total %d; want %d days, %d", i, len(days), total, len(bruteDays(d, f)), len(want))
		}
		bases := d.SelectBases(geo.Filter{})
		if got, want := d.Summaries(bases, f), bruteSummaries(d, bases, f); !reflect.DeepEqual(got, want) {
			t.Fatalf("filter %d: summaries\n%+v\nwant\n%+v", i, got, want)
		}
		// Pages put back together are the whole result.
		var paged []string
		for off := 0; ; off += 37 {
			page, more := d.Query(f, off, 37)
			paged = append(paged, ids(page)...)
			if !more {
				break
			}
		}
		if !slices.Equal(paged, want) && !(len(paged) == 0 && len(want) == 0) {
			t.Fatalf("filter %d: paging gives %d results, want %d", i, len(paged), len(want))
		}
	}
}

// Count of a filter on bases alone sums the index's lists of the bases:
// each base once however often it is named, the incidents with no base
// (NoBase) among them, and none for an id no incident has.
func TestCountBasesAlone(t *testing.T) {
	d := synthetic(t, 20000)
	a, b := d.Bases[0].ID, d.Bases[1].ID
	for _, bases := range [][]string{{a}, {geo.NoBase}, {a, b}, {a, a, geo.NoBase, a}, {"no-such-base"}, {geo.NoBase, "no-such-base", b}} {
		f := geo.Filter{Bases: bases}
		want := len(bruteForce(d, f))
		if got := d.Count(f); got != want {
			t.Errorf("Count(bases %q) = %d, want %d", bases, got, want)
		}
		if bases[0] == geo.NoBase && want == 0 {
			t.Errorf("the synthetic set has no incident without a base: the NoBase case tests nothing")
		}
	}
}

// Count of a filter on a box alone counts the index's cells inside the box
// whole and reads those across its edges: boxes on cell edges (0.25°), on
// an incident's point (edges included), the whole world and none.
func TestCountBoxAlone(t *testing.T) {
	d := synthetic(t, 20000)
	p := d.Incidents[123].Point
	boxes := []orb.Bound{
		{Min: orb.Point{36.40869, 32.32428}, Max: orb.Point{46.604, 37.88352}},
		{Min: orb.Point{42.25, 33}, Max: orb.Point{43.5, 34.75}},
		{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}},
		{Min: p, Max: p},
		{Min: orb.Point{p[0], p[1] - 1}, Max: orb.Point{p[0] + 1, p[1]}},
		{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}},
	}
	for _, b := range boxes {
		f := geo.Filter{BBox: &b}
		want := len(bruteForce(d, f))
		if got := d.Count(f); got != want {
			t.Errorf("Count(bbox %v) = %d, want %d", b, got, want)
		}
	}
}

// BenchmarkCount counts what the map page counts at each load (are there
// incidents with no base?) and its list at each page (the matches in
// view).
func BenchmarkCount(b *testing.B) {
	n := 200000
	if os.Getenv("STRIKEMAP_BENCH_SMALL") != "" {
		n = 2000
	}
	d := synthetic(b, n)
	for _, tc := range []struct {
		name string
		f    geo.Filter
	}{
		{"nobase", geo.Filter{Bases: []string{geo.NoBase}}},
		{"bbox", geo.Filter{BBox: &orb.Bound{Min: orb.Point{36.4, 32.3}, Max: orb.Point{46.6, 37.9}}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				d.Count(tc.f)
			}
		})
	}
}

func BenchmarkQuery(b *testing.B) {
	n := 200000
	if os.Getenv("STRIKEMAP_BENCH_SMALL") != "" {
		n = 2000 // CI: run once as a check
	}
	d := synthetic(b, n)
	from, to := date("2020-01-01"), date("2020-06-30")
	for _, tc := range []struct {
		name string
		f    geo.Filter
	}{
		{"all", geo.Filter{}},
		{"dates", geo.Filter{From: from, To: to}},
		{"bbox", geo.Filter{BBox: &orb.Bound{Min: orb.Point{42, 33}, Max: orb.Point{43, 34}}}},
		{"bbox+dates+weapon", geo.Filter{From: from, To: to, Weapons: []geo.Weapon{geo.WeaponDrone}, BBox: &orb.Bound{Min: orb.Point{40, 32}, Max: orb.Point{45, 36}}}},
		{"base", geo.Filter{Bases: []string{"ain-al-asad"}}},
	} {
		b.Run(tc.name+"/limit1000", func(b *testing.B) {
			for b.Loop() {
				d.Query(tc.f, 0, 1000)
			}
		})
	}
}
