package geo

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

// TestBuildIndexParts checks that the index built on several goroutines
// is the one a single loop over the incidents makes, to the last bit of
// every cell's mean: lists ascending, the same cells and bases, the same
// latest day and longest span.
func TestBuildIndexParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	bases := []string{NoBase, "a", "b", "c"}
	incidents := make([]Incident, 5000)
	for i := range incidents {
		d := Date(rng.IntN(400))
		incidents[i] = Incident{
			Point:   orb.Point{40 + rng.Float64()*3, 30 + rng.Float64()*2},
			Date:    d,
			DateEnd: d + Date(rng.IntN(3)),
			Base:    bases[rng.IntN(len(bases))],
		}
	}
	// One loop, the definition.
	want := index{cells: map[cell][]int32{}, means: map[cell]orb.Point{}, byBase: map[string][]int32{}}
	sums := map[cell]orb.Point{}
	for i, inc := range incidents {
		want.maxSpan = max(want.maxSpan, inc.DateEnd-inc.Date)
		want.lastDay = max(want.lastDay, inc.DateEnd)
		c := cellOf(inc.Point)
		want.cells[c] = append(want.cells[c], int32(i))
		s := sums[c]
		sums[c] = orb.Point{s[0] + inc.Point[0], s[1] + inc.Point[1]}
		want.byBase[inc.Base] = append(want.byBase[inc.Base], int32(i))
	}
	for c, s := range sums {
		n := float64(len(want.cells[c]))
		want.means[c] = orb.Point{s[0] / n, s[1] / n}
	}
	for _, parts := range []int{1, 2, 3, 7} {
		if got := buildIndexParts(pointers(incidents), parts); !reflect.DeepEqual(got, want) {
			t.Errorf("the index built in %d parts differs from one loop's", parts)
		}
	}
	if got := buildIndexParts(nil, 1); !reflect.DeepEqual(got, index{cells: map[cell][]int32{}, means: map[cell]orb.Point{}, byBase: map[string][]int32{}}) {
		t.Errorf("the index of no incidents: %+v", got)
	}
}
