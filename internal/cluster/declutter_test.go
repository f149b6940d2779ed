package cluster

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDiscRadius(t *testing.T) {
	for _, tc := range []struct {
		count int
		want  float64
	}{{0, 12}, {1, 12}, {9, 16}, {10, 16}, {1000, 24}, {200000, 33}} {
		if got := DiscRadius(tc.count); got != tc.want {
			t.Errorf("DiscRadius(%d) = %v, want %v (the page's Math.round(12 + 4·log10 n))", tc.count, got, tc.want)
		}
	}
}

func TestDeclutterMergesOverlaps(t *testing.T) {
	// Two discs of radius 16 whose centres are 20 px apart overlap: one
	// disc of 30 at their weighted centre, named by the bigger first.
	g := Declutter([]Disc{{X: 0, Y: 0, Count: 10}, {X: 20, Y: 0, Count: 20}}, 2)
	if len(g) != 1 || g[0].Count != 30 || math.Abs(g[0].X-40.0/3) > 1e-9 || g[0].R != DiscRadius(30) || g[0].Members[0] != 1 {
		t.Errorf("got %+v", g)
	}
	// Apart by more than their radii and the gap: both kept, biggest first.
	g = Declutter([]Disc{{X: 0, Y: 0, Count: 10}, {X: 40, Y: 0, Count: 20}}, 2)
	if len(g) != 2 || g[0].Count != 20 || g[1].X != 0 {
		t.Errorf("got %+v", g)
	}
	// A merge grows a disc into a third one: the passes repeat.
	// (The one of 90 at -44 is kept in the first pass, 44 px from the one
	// of 100; the other of 90 merges into that one, moving it within reach.)
	g = Declutter([]Disc{{X: 0, Y: 0, Count: 100}, {X: -44, Y: 0, Count: 90}, {X: -30, Y: 0, Count: 90}}, 2)
	if len(g) != 1 || g[0].Count != 280 {
		t.Errorf("a merge that reaches a third disc: got %+v", g)
	}
}

// TestDeclutterNoOverlap: whatever the discs, none of the groups overlap
// and every disc's count is in exactly one group.
func TestDeclutterNoOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		var discs []Disc
		total := 0
		for range 1 + rng.IntN(400) {
			n := 1 + int(math.Pow(10, rng.Float64()*5))
			discs = append(discs, Disc{X: rng.Float64() * 1200, Y: rng.Float64() * 800, Count: n})
			total += n
		}
		groups := Declutter(discs, 2)
		seen := make([]bool, len(discs))
		sum := 0
		for i, a := range groups {
			sum += a.Count
			for _, m := range a.Members {
				if seen[m] {
					t.Fatalf("trial %d: disc %d in two groups", trial, m)
				}
				seen[m] = true
			}
			for _, b := range groups[i+1:] {
				if d := math.Hypot(a.X-b.X, a.Y-b.Y); d < a.R+b.R+2 {
					t.Fatalf("trial %d: discs of %d and %d are %.1f px apart, radii %v and %v", trial, a.Count, b.Count, d, a.R, b.R)
				}
			}
		}
		if sum != total {
			t.Fatalf("trial %d: the groups count %d of %d", trial, sum, total)
		}
	}
}
