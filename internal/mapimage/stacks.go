package mapimage

import (
	"math"
)

// Incidents that share a place are a stack, as on the map page
// (web/static/js/map/layers.js): their symbols on top of each other at
// their place, the first on top, and a badge with their count. (Spread on
// rings of pixels, they were drawn tens of kilometres from where they
// happened at a phone's zoom.) The badge goes where the page's counts.js
// puts it: over the stack's top right corner, or, where a base's symbol,
// another mark or another badge would cover it, at the first free spot
// round the stack.

// badgeHeight is the height of a stack's badge, as the page's .stack-count.
const badgeHeight = 18

// markHalf is half the side of the symbols a badge sits beside (a stack's
// 20 px, a base's 18 px), as counts.js's MARK_HALF.
const markHalf = 10

// badgeSize is the width and height of the badge of a stack of n.
func (r *Renderer) badgeSize(n int) (w, h float64) {
	return math.Max(badgeHeight, math.Ceil(r.textWidth(GroupDigits(n), clusterStyle))+11), badgeHeight
}

// badgeRing returns the top-left offsets of a w×h box placed k pixels
// clear of a square of half side half round the point: beside it (right,
// left), above, below, then at the corners (counts.js's ring).
func badgeRing(w, h, half, k float64) []pt {
	d := half + k
	return []pt{
		{d, -h / 2}, {-d - w, -h / 2}, {-w / 2, -d - h}, {-w / 2, d},
		{d, -d - h}, {-d - w, -d - h}, {d, d}, {-d - w, d},
	}
}

// badgeSpots are the spots (top-left offsets from the stack's place) of a
// w×h badge, its usual one first (counts.js's stackSpots).
func badgeSpots(w, h float64) []pt {
	out := []pt{{2, -22}, {markHalf, -markHalf - h}}
	out = append(out, badgeRing(w, h, markHalf, 0)...)
	return append(out, badgeRing(w, h, markHalf, 12)...)
}

// placeBadges gives each stack its badge: at its usual spot where that is
// free of the bases' symbols, the other marks, the badges placed before
// and the image's edge; else at the first free spot, or the least covered.
func (r *Renderer) placeBadges(vp viewport, v *View, marks []mark) {
	obs := newObstacles(vp.width, vp.height)
	owner := []int{}
	for _, b := range v.Bases {
		x, y := vp.px(b.Point)
		obs.add(centred(x, y, 9))
		owner = append(owner, -1)
	}
	for i, m := range marks {
		obs.add(m.box())
		owner = append(owner, i)
	}
	img := box{0, 0, vp.width, vp.height}.pad(-1)
	cover := func(i int, b box) float64 {
		if !b.inside(img) {
			return math.Inf(1)
		}
		sum := 0.0
		cx0, cy0, cx1, cy1 := obs.cellRange(b)
		seen := map[int]bool{}
		for cy := cy0; cy <= cy1; cy++ {
			for cx := cx0; cx <= cx1; cx++ {
				for _, k := range obs.cells[cy*obs.cols+cx] {
					if owner[k] == i || seen[k] {
						continue
					}
					seen[k] = true
					o := obs.boxes[k]
					if w, h := math.Min(o.x1, b.x1)-math.Max(o.x0, b.x0), math.Min(o.y1, b.y1)-math.Max(o.y0, b.y0); w > 0 && h > 0 {
						sum += w * h
					}
				}
			}
		}
		return sum
	}
	at := func(m mark, s pt) box {
		return box{m.x + s.x, m.y + s.y, m.x + s.x + m.badge.w(), m.y + s.y + m.badge.h()}
	}
	take := func(i int, b box) {
		marks[i].badge, marks[i].badged = b, true
		obs.add(b)
		owner = append(owner, i)
	}
	var moved []int
	for i := range marks {
		m := &marks[i]
		if len(m.members) == 0 || !m.box().overlaps(img) {
			continue
		}
		w, h := r.badgeSize(len(m.members))
		m.badge = box{0, 0, w, h}
		if b := at(*m, badgeSpots(w, h)[0]); cover(i, b) == 0 {
			take(i, b)
		} else {
			moved = append(moved, i)
		}
	}
	for _, i := range moved {
		m := marks[i]
		spots := badgeSpots(m.badge.w(), m.badge.h())
		best, least := at(m, spots[0]), math.Inf(1)
		for _, s := range spots {
			b := at(m, s)
			if c := cover(i, b); c < least {
				best, least = b, c
				if c == 0 {
					break
				}
			}
		}
		if !math.IsInf(least, 1) {
			take(i, best) // else no spot is inside the image: no badge
		}
	}
}

// drawBadges paints the stacks' badges, over every mark: the page's blue
// pill with a white rim and the count in white.
func (r *Renderer) drawBadges(s surface, marks []mark) {
	s.group("stack-counts", "", "")
	for _, m := range marks {
		if !m.badged {
			continue
		}
		b := m.badge
		s.group("stack-count", "", GroupDigits(len(m.members))+" incidents here")
		drawPill(s, b)
		met := r.face(clusterStyle).Metrics()
		s.text((b.x0+b.x1)/2, b.y0+(b.h()+met.Ascent-met.Descent)/2, GroupDigits(len(m.members)), clusterStyle)
		s.end()
	}
	s.end()
}
