package cluster

import (
	"math"
	"slices"
)

// DiscRadius is the radius in pixels of the disc drawn for a cluster of
// count points, on the map page and in its images: it grows with the
// count's order of magnitude.
func DiscRadius(count int) float64 {
	return math.Round(12 + 4*math.Log10(float64(max(1, count))))
}

// Disc is a cluster drawn as a disc of DiscRadius(Count) pixels centred at
// (X, Y), in pixels.
type Disc struct {
	X, Y  float64
	Count int
}

// Group is discs Declutter drew as one: at the count-weighted centre of
// its members, with their summed count and a radius of
// DiscRadius(Count). Members are indexes of the discs given to Declutter,
// the biggest first.
type Group struct {
	X, Y    float64
	Count   int
	R       float64
	Members []int
}

// Declutter merges discs that would overlap, so that no two discs hide
// each other or their counts: the clusters of an index are at least a
// clustering radius apart, but a disc grows with its count, so big
// neighbours overlap. Going from the biggest disc down, each disc that
// comes closer than gap pixels to one already kept is merged into it;
// a merge moves and grows the disc, which may then reach another, so the
// passes repeat until one merges nothing. In the result no two discs are
// closer than gap pixels. It is the map page's declutter
// (web/static/js/map/declutter.js), step for step, so an image shows the
// discs the page shows.
func Declutter(discs []Disc, gap float64) []Group {
	order := make([]int, len(discs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return discs[b].Count - discs[a].Count })
	groups := make([]Group, len(order))
	for k, i := range order {
		d := discs[i]
		groups[k] = Group{X: d.X, Y: d.Y, Count: d.Count, R: DiscRadius(d.Count), Members: []int{i}}
	}
	// Each merge removes a group, so this ends.
	for merged := true; merged; {
		merged = false
		var placed []Group
		for _, g := range groups {
			into := -1
			for j := range placed {
				p := &placed[j]
				if math.Hypot(p.X-g.X, p.Y-g.Y) < p.R+g.R+gap {
					into = j
					break
				}
			}
			if into < 0 {
				placed = append(placed, g)
				continue
			}
			p := &placed[into]
			n := float64(p.Count + g.Count)
			p.X = (p.X*float64(p.Count) + g.X*float64(g.Count)) / n
			p.Y = (p.Y*float64(p.Count) + g.Y*float64(g.Count)) / n
			p.Count += g.Count
			p.R = DiscRadius(p.Count)
			p.Members = append(p.Members, g.Members...)
			merged = true
		}
		groups = placed
	}
	return groups
}
