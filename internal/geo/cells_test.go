package geo_test

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// TestGridCells checks that the index's cells hold every incident once,
// each in its cell's bound, at its cell's mean, and that a box's cells
// hold every incident in the box.
func TestGridCells(t *testing.T) {
	d := synthetic(t, 20000)
	world := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	seen := make([]int, len(d.Incidents))
	d.GridCells(world, func(c geo.GridCell) {
		var sum orb.Point
		for _, i := range c.Positions {
			seen[i]++
			p := d.Incidents[i].Point
			sum[0] += p[0]
			sum[1] += p[1]
			if p[0] < c.Bound.Min[0]-geo.CellEps || p[0] > c.Bound.Max[0]+geo.CellEps || p[1] < c.Bound.Min[1]-geo.CellEps || p[1] > c.Bound.Max[1]+geo.CellEps {
				t.Fatalf("incident %d at %v, outside its cell %v", i, p, c.Bound)
			}
		}
		n := float64(len(c.Positions))
		if math.Abs(sum[0]/n-c.Mean[0]) > 1e-9 || math.Abs(sum[1]/n-c.Mean[1]) > 1e-9 {
			t.Fatalf("cell %v: mean %v, its incidents' is %v", c.Bound, c.Mean, orb.Point{sum[0] / n, sum[1] / n})
		}
	})
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("incident %d in %d cells", i, n)
		}
	}
	p := d.Incidents[123].Point
	for _, b := range []orb.Bound{
		{Min: orb.Point{36.40869, 32.32428}, Max: orb.Point{46.604, 37.88352}},
		{Min: orb.Point{42.25, 33}, Max: orb.Point{43.5, 34.75}},
		{Min: p, Max: p},
	} {
		inCells := map[int32]bool{}
		d.GridCells(b, func(c geo.GridCell) {
			for _, i := range c.Positions {
				inCells[i] = true
			}
		})
		for i := range d.Incidents {
			if geo.InBBox(b, d.Incidents[i].Point) && !inCells[int32(i)] {
				t.Fatalf("box %v: incident %d at %v is in no cell given", b, i, d.Incidents[i].Point)
			}
		}
	}
}

// BenchmarkBuildIndex indexes 200,000 incidents, as a load does after
// reading them.
func BenchmarkBuildIndex(b *testing.B) {
	d := synthetic(b, 200000)
	b.ResetTimer()
	for b.Loop() {
		d.BuildIndex()
	}
}

// TestCountInBox holds CountInBox, given the count without the box, to the
// brute count, for views that hold nearly every incident (where it reads
// only those outside) and views that hold few (where it counts as Count).
func TestCountInBox(t *testing.T) {
	d := synthetic(t, 20000)
	p := d.Incidents[123].Point
	boxes := []orb.Bound{
		{Min: orb.Point{36.40869, 32.32428}, Max: orb.Point{46.604, 37.88352}},
		{Min: orb.Point{30, 25}, Max: orb.Point{55, 42}},
		{Min: orb.Point{42.25, 33}, Max: orb.Point{43.5, 34.75}},
		{Min: p, Max: p},
		{Min: orb.Point{p[0], p[1] - 1}, Max: orb.Point{p[0] + 1, p[1]}},
	}
	filters := []geo.Filter{
		{Weapons: []geo.Weapon{geo.WeaponDrone}},
		{Weapons: []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket}, From: date("2019-01-01"), To: date("2023-06-30")},
		{Bases: []string{"ain-al-asad", geo.NoBase}},
		{From: date("2024-01-01")},
	}
	for _, f := range filters {
		unboxed := len(bruteForce(d, f))
		for _, b := range boxes {
			fb := f
			fb.BBox = &b
			want := len(bruteForce(d, fb))
			got, err := d.CountInBox(context.Background(), fb, unboxed)
			if err != nil || got != want {
				t.Errorf("CountInBox(%+v in %v, %d unboxed) = %d, %v; want %d", f, b, unboxed, got, err, want)
			}
		}
	}
}

// BenchmarkCountInBox counts the matches of a weapon in the map's first
// view, as the list does at each filter change, by Count (every match in
// the box) and by CountInBox given the count without the box.
func BenchmarkCountInBox(b *testing.B) {
	d := synthetic(b, 200000)
	f := geo.Filter{Weapons: []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket}, BBox: &orb.Bound{Min: orb.Point{36.40869, 32.32428}, Max: orb.Point{46.604, 37.88352}}}
	rest := f
	rest.BBox = nil
	unboxed := d.Count(rest)
	b.Run("Count", func(b *testing.B) {
		for b.Loop() {
			d.Count(f)
		}
	})
	b.Run("CountInBox", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.CountInBox(context.Background(), f, unboxed); err != nil {
				b.Fatal(err)
			}
		}
	})
}
