package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// update returns the index of nw, which is old (whose index ix is) with
// the incidents at the positions removed taken out and those at the
// positions fresh (in nw) put in: oldToNew maps each of old's positions
// to nw's, -1 for one removed. Only the cells and bases a change touches
// get new lists and means; of the others, a list holding no position that
// moved is shared with ix, and one that does is copied with its positions
// shifted (no map lookup per incident, as buildIndex makes). The result
// is what buildIndex(nw) gives (TestApplyAgreesWithLoad).
func (ix *index) update(old, nw []*Incident, oldToNew, removed, fresh []int32) index {
	out := index{maxSpan: ix.maxSpan, lastDay: ix.lastDay}
	rescan := len(old) == 0
	for _, p := range removed {
		inc := old[p]
		rescan = rescan || inc.DateEnd-inc.Date == ix.maxSpan || inc.DateEnd == ix.lastDay
	}
	if rescan {
		// The incident with the longest span or the latest day may be
		// gone: read every incident's days again, as buildIndex does.
		out.maxSpan, out.lastDay = dayBounds(nw)
	} else {
		for _, q := range fresh {
			inc := nw[q]
			out.maxSpan, out.lastDay = max(out.maxSpan, inc.DateEnd-inc.Date), max(out.lastDay, inc.DateEnd)
		}
	}

	// The positions that moved, kept incidents only, lie in
	// [firstMoved, lastMoved]: a list with none there is unchanged.
	firstMoved, lastMoved := int32(len(oldToNew)), int32(-1)
	for p, q := range oldToNew {
		if q >= 0 && q != int32(p) {
			firstMoved = int32(p)
			break
		}
	}
	for p := len(oldToNew) - 1; p >= int(firstMoved); p-- {
		if q := oldToNew[p]; q >= 0 && q != int32(p) {
			lastMoved = int32(p)
			break
		}
	}
	shifted := func(list []int32) []int32 {
		k, _ := slices.BinarySearch(list, firstMoved)
		if k == len(list) || list[k] > lastMoved {
			return list
		}
		l := slices.Clone(list)
		for i := k; i < len(l); i++ {
			l[i] = oldToNew[l[i]]
		}
		return l
	}
	// rebuilt is a touched list: its kept positions, mapped, merged with
	// the fresh ones (ascending) that go in.
	rebuilt := func(list, in []int32) []int32 {
		l := make([]int32, 0, len(list)+len(in))
		for _, p := range list {
			if q := oldToNew[p]; q >= 0 {
				l = append(l, q)
			}
		}
		if len(in) > 0 {
			l = append(l, in...)
			slices.Sort(l)
		}
		if len(l) == 0 {
			return nil
		}
		return l
	}

	cells := make(map[cell][]int32) // touched cells: the fresh positions going in
	bases := make(map[string][]int32)
	for _, p := range removed { // touched too, with nothing going in
		inc := old[p]
		if _, ok := cells[cellOf(inc.Point)]; !ok {
			cells[cellOf(inc.Point)] = nil
		}
		if _, ok := bases[inc.Base]; !ok {
			bases[inc.Base] = nil
		}
	}
	for _, q := range fresh {
		inc := nw[q]
		c := cellOf(inc.Point)
		cells[c] = append(cells[c], q)
		bases[inc.Base] = append(bases[inc.Base], q)
	}

	out.cells = make(map[cell][]int32, len(ix.cells)+len(cells))
	out.means = make(map[cell]orb.Point, len(ix.cells)+len(cells))
	for c, list := range ix.cells {
		if _, touched := cells[c]; !touched {
			out.cells[c], out.means[c] = shifted(list), ix.means[c]
		}
	}
	for c, in := range cells {
		if l := rebuilt(ix.cells[c], in); l != nil {
			out.cells[c], out.means[c] = l, meanOf(nw, l)
		}
	}
	out.byBase = make(map[string][]int32, len(ix.byBase)+len(bases))
	for b, list := range ix.byBase {
		if _, touched := bases[b]; !touched {
			out.byBase[b] = shifted(list)
		}
	}
	for b, in := range bases {
		if l := rebuilt(ix.byBase[b], in); l != nil {
			out.byBase[b] = l
		}
	}
	return out
}
