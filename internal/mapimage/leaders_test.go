package mapimage

import (
	"fmt"
	"math"
	"testing"
)

// TestLeadersCrossNoBadge draws the shipped data at phone and small embed
// sizes, where the bases' labels are pushed out past the stacks round them:
// no leader line from a base to its label may cross a stack's count badge,
// which would read as a line struck through the number. Before, the last
// resort of the label placer let a leader cross a badge, and a badge within
// 15 px of its base was never checked at all.
func TestLeadersCrossNoBadge(t *testing.T) {
	for _, size := range [][2]float64{{320, 600}, {320, 740}, {360, 640}, {375, 740}, {414, 800}, {480, 360}, {640, 480}} {
		t.Run(fmt.Sprintf("%vx%v", size[0], size[1]), func(t *testing.T) {
			_, items := drawRecorded(t, phoneView(t, size[0], size[1]))
			var leaders, badges []drawn
			for _, it := range items {
				switch {
				case it.in("leaders") && len(it.pts) >= 2:
					leaders = append(leaders, it)
				case it.in("stack-counts") && it.text == "":
					badges = append(badges, it)
				}
			}
			for _, l := range leaders {
				for i := 1; i < len(l.pts); i++ {
					a, b := l.pts[i-1], l.pts[i]
					for _, g := range badges {
						if segmentMeets(a, b, g.box) {
							t.Errorf("a leader line from %v to %v crosses a stack's badge at %v", a, b, g.box)
						}
					}
				}
			}
		})
	}
}

// segmentMeets says whether the segment a-b passes through the box r,
// sampled every half pixel.
func segmentMeets(a, b pt, r rect) bool {
	d := math.Hypot(b.x-a.x, b.y-a.y)
	for k := 0.0; k <= d; k += 0.5 {
		x, y := a.x+(b.x-a.x)*k/d, a.y+(b.y-a.y)*k/d
		if x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1 {
			return true
		}
	}
	return false
}
