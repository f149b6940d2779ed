package geo_test

import (
	"context"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// cancelAfter is a context that is done from its calls-th look at Err on,
// so a test can drop a request in the middle of a scan without timing it.
type cancelAfter struct {
	context.Context
	calls int
}

func (c *cancelAfter) Err() error {
	if c.calls--; c.calls < 0 {
		return context.Canceled
	}
	return nil
}

func (c *cancelAfter) Done() <-chan struct{} { return nil }
func (c *cancelAfter) Deadline() (time.Time, bool) {
	return time.Time{}, false
}

// A scan whose request was dropped stops within a few thousand incidents,
// whichever path through the index it takes, and says why.
func TestScansStopWhenTheContextIsDone(t *testing.T) {
	d := synthetic(t, 60000)
	from := d.Incidents[0].Date
	filters := map[string]geo.Filter{
		"whole range": {From: &from},
		"box":         {BBox: &orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, Weapons: []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket, geo.WeaponMissile, geo.WeaponUnknown}},
	}
	for name, f := range filters {
		if n := d.Count(f); n < 50000 {
			t.Fatalf("%s: the filter keeps %d incidents; the test needs most of them", name, n)
		}
		n, err := d.CountContext(&cancelAfter{Context: context.Background(), calls: 1}, f)
		if err != context.Canceled || n > 2*4096 {
			t.Errorf("%s: CountContext cancelled on its second look: %d incidents counted, err %v; want at most %d and context.Canceled", name, n, err, 2*4096)
		}
		out, _, err := d.QueryContext(&cancelAfter{Context: context.Background(), calls: 1}, f, geo.ByDate, 0, -1)
		if err != context.Canceled || out != nil {
			t.Errorf("%s: QueryContext cancelled on its second look: %d incidents, err %v; want none and context.Canceled", name, len(out), err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := d.CountContext(ctx, f); err != context.Canceled {
			t.Errorf("%s: CountContext with a cancelled context: err %v", name, err)
		}
	}
}

// CountAtMost counts exactly within its budget and declines beyond it.
func TestCountAtMost(t *testing.T) {
	d := synthetic(t, 20000)
	box := orb.Bound{Min: orb.Point{43, 33}, Max: orb.Point{44, 34}}
	for _, tc := range []struct {
		name   string
		f      geo.Filter
		budget int
		ok     bool
	}{
		{"no filter is free", geo.Filter{}, 0, true},
		{"a small box within budget", geo.Filter{BBox: &box}, 20000, true},
		{"everything over budget", geo.Filter{Weapons: []geo.Weapon{geo.WeaponDrone}}, 100, false},
	} {
		n, ok, err := d.CountAtMost(context.Background(), tc.f, tc.budget)
		if err != nil || ok != tc.ok {
			t.Errorf("%s: ok %v err %v, want ok %v", tc.name, ok, err, tc.ok)
			continue
		}
		if want := d.Count(tc.f); ok && n != want {
			t.Errorf("%s: %d, want %d", tc.name, n, want)
		}
	}
}
