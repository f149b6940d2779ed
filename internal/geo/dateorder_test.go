package geo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// dateOrder gives the same order however many goroutines share the days,
// and it is the order of Date, DateEnd and ID: days with many incidents,
// days with none, and shares that end inside one long day.
func TestDateOrderInParts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	incidents := make([]Incident, 20_000)
	for i := range incidents {
		day := Date(r.IntN(40))
		if r.IntN(4) == 0 {
			day = 17 // one day holds a quarter of them
		}
		incidents[i] = Incident{ID: fmt.Sprintf("i-%05d", r.IntN(1_000_000)) + fmt.Sprint(i), Date: day, DateEnd: day + Date(r.IntN(3))}
	}
	want := make([]int32, len(incidents)) // file positions in the order
	for i := range want {
		want[i] = int32(i)
	}
	slices.SortFunc(want, func(i, j int32) int {
		a, b := &incidents[i], &incidents[j]
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.DateEnd, b.DateEnd), cmp.Compare(a.ID, b.ID))
	})
	for _, parts := range []int{1, 2, 3, 8, 64} {
		pos := dateOrder(incidents, parts)
		got := make([]int32, len(pos))
		for i, p := range pos {
			got[p] = int32(i)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d parts: not the order of date, date end and id", parts)
		}
	}
}
