package geo_test

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

func TestBasesBound(t *testing.T) {
	at := func(points ...orb.Point) *geo.Dataset {
		d := &geo.Dataset{}
		for _, p := range points {
			d.Bases = append(d.Bases, geo.Base{Point: p})
		}
		return d
	}
	for _, tc := range []struct {
		name string
		d    *geo.Dataset
		want orb.Bound
		ok   bool
	}{
		{"no base", at(), orb.Bound{}, false},
		{"one base: a box of no size at it", at(orb.Point{42.44, 33.8}), orb.Bound{Min: orb.Point{42.44, 33.8}, Max: orb.Point{42.44, 33.8}}, true},
		// The first base is not the corner: west and south come from later bases.
		{"lon/lat order, every base counted", at(orb.Point{44.2, 36.6}, orb.Point{38.7, 33.3}, orb.Point{40.9, 37.1}),
			orb.Bound{Min: orb.Point{38.7, 33.3}, Max: orb.Point{44.2, 37.1}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.d.BasesBound()
			if got != tc.want || ok != tc.ok {
				t.Errorf("BasesBound() = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func ExampleDataset_BasesBound() {
	d := &geo.Dataset{Bases: []geo.Base{
		{ID: "harir", Point: orb.Point{44.3404, 36.5331}},
		{ID: "tower-22", Point: orb.Point{38.7033, 33.3142}},
	}}
	b, _ := d.BasesBound()
	fmt.Printf("west %.2f south %.2f east %.2f north %.2f\n", b.Left(), b.Bottom(), b.Right(), b.Top())
	// Output: west 38.70 south 33.31 east 44.34 north 36.53
}
