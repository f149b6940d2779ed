package geo_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// bruteOrder is the definition QueryOrder must agree with: the matches,
// sorted by the order's keys.
func bruteOrder(d *geo.Dataset, f geo.Filter, o geo.Order) []string {
	// A position in the dataset stands for the date order (Date, DateEnd, ID).
	var matches []int
	for i := range d.Incidents {
		if f.Match(d.Incidents[i]) {
			matches = append(matches, i)
		}
	}
	baseKey := func(i int) (int, string, string) {
		if d.Incidents[i].Base == geo.NoBase {
			return 1, "", ""
		}
		b, _ := d.Base(d.Incidents[i].Base)
		return 0, b.Name, b.ID
	}
	slices.SortFunc(matches, func(a, b int) int {
		c := 0
		if o == geo.ByBase || o == geo.ByBaseDesc {
			ga, na, ia := baseKey(a)
			gb, nb, ib := baseKey(b)
			c = cmp.Or(cmp.Compare(ga, gb), cmp.Compare(na, nb), cmp.Compare(ia, ib))
		}
		c = cmp.Or(c, cmp.Compare(a, b))
		if o == geo.ByDateDesc || o == geo.ByBaseDesc {
			return -c
		}
		return c
	})
	out := make([]string, len(matches))
	for k, i := range matches {
		out[k] = d.Incidents[i].ID
	}
	return out
}

func TestQueryOrderAgreesWithBruteForce(t *testing.T) {
	d := synthetic(t, 3000)
	rng := rand.New(rand.NewPCG(3, 4))
	first, last, _ := d.Span()
	filters := []geo.Filter{{}, {Bases: []string{geo.NoBase}}, {Bases: []string{d.Bases[0].ID, geo.NoBase}}}
	for range 60 {
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
		if rng.IntN(2) == 0 {
			f.Bases = []string{d.Bases[rng.IntN(len(d.Bases))].ID, geo.NoBase, d.Bases[rng.IntN(len(d.Bases))].ID}[:1+rng.IntN(3)]
		}
		if rng.IntN(2) == 0 {
			x, y := 36+rng.Float64()*12, 29.5+rng.Float64()*8
			f.BBox = &orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64()*6, y + rng.Float64()*4}}
		}
		filters = append(filters, f)
	}
	for i, f := range filters {
		for _, o := range geo.Orders() {
			want := bruteOrder(d, f, o)
			got, more := d.QueryOrder(f, o, 0, -1)
			if more || !slices.Equal(ids(got), want) && len(want)+len(got) > 0 {
				t.Fatalf("filter %d %+v, order %s: %d results, want %d", i, f, o, len(got), len(want))
			}
			// Pages put back together are the whole result, in order.
			var paged []string
			for off := 0; ; off += 41 {
				page, more := d.QueryOrder(f, o, off, 41)
				paged = append(paged, ids(page)...)
				if !more {
					break
				}
			}
			if !slices.Equal(paged, want) && len(want)+len(paged) > 0 {
				t.Fatalf("filter %d, order %s: paging gives %d results, want %d", i, o, len(paged), len(want))
			}
		}
	}
}

func TestQueryOrderDescendingIsTheReverse(t *testing.T) {
	d := synthetic(t, 2000)
	asc, _ := d.QueryOrder(geo.Filter{}, geo.ByDate, 0, -1)
	desc, _ := d.QueryOrder(geo.Filter{}, geo.ByDateDesc, 0, -1)
	if len(asc) != len(d.Incidents) || len(desc) != len(asc) {
		t.Fatalf("%d ascending, %d descending, want %d", len(asc), len(desc), len(d.Incidents))
	}
	slices.Reverse(desc)
	if !slices.Equal(ids(asc), ids(desc)) {
		t.Fatal("ByDateDesc is not ByDate reversed")
	}
	newest, _ := d.QueryOrder(geo.Filter{}, geo.ByDateDesc, 0, 1)
	if newest[0] != d.Incidents[len(d.Incidents)-1] {
		t.Fatalf("the first of -date is %s, want the dataset's last, %s", newest[0].ID, d.Incidents[len(d.Incidents)-1].ID)
	}
}

func TestNoBaseFilter(t *testing.T) {
	d := synthetic(t, 3000)
	none := d.Select(geo.Filter{Bases: []string{geo.NoBase}})
	if len(none) == 0 {
		t.Fatal("the synthetic set has no incident without a base; the test needs some")
	}
	for _, inc := range none {
		if inc.Base != geo.NoBase {
			t.Fatalf("%s has base %q, selected as having none", inc.ID, inc.Base)
		}
	}
	// Every base but one, plus no base: only that base's incidents go.
	var rest []string
	for _, b := range d.Bases[1:] {
		rest = append(rest, b.ID)
	}
	dropped := d.Count(geo.Filter{Bases: []string{d.Bases[0].ID}})
	if got, want := d.Count(geo.Filter{Bases: append(rest, geo.NoBase)}), len(d.Incidents)-dropped; got != want {
		t.Fatalf("every base but %s and no base: %d incidents, want %d", d.Bases[0].ID, got, want)
	}
	if n := len(d.SelectBases(geo.Filter{Bases: []string{geo.NoBase}})); n != 0 {
		t.Fatalf("SelectBases(NoBase) gives %d bases, want none", n)
	}
}
