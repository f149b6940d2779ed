package mapimage

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/geo"
)

// TestCountClearOfTwoBases: a cluster's count is hidden by no base's
// square, also when two bases sit on one disc at slightly different
// places and leave no room for it inside the disc (as at 200,000
// incidents round the 12 shipped bases). Before, the count stayed at the
// disc's centre under both squares.
func TestCountClearOfTwoBases(t *testing.T) {
	r, err := New(data.Basemap)
	if err != nil {
		t.Fatal(err)
	}
	const zoom = 9
	centre := orb.Point{42.5, 33.8}
	// at is the point dx, dy pixels from the image's centre.
	world := 256 * math.Exp2(zoom)
	at := func(dx, dy float64) orb.Point {
		wy := (1 - math.Log(math.Tan(centre[1]*math.Pi/180)+1/math.Cos(centre[1]*math.Pi/180))/math.Pi) / 2 * world
		lat := math.Atan(math.Sinh(math.Pi*(1-2*(wy+dy)/world))) * 180 / math.Pi
		return orb.Point{centre[0] + dx*360/world, lat}
	}
	for _, tc := range []struct {
		name  string
		bases [][2]float64 // pixels from the disc's centre
	}{
		// The squares seen at /api/export/map.svg with the 12 shipped
		// bases: one up and left of the centre, one just below it.
		{"up-left and below", [][2]float64{{-5, -7.7}, {-0.15, 5.4}}},
		{"left and right", [][2]float64{{-6, 2}, {6, -2}}},
		{"one on the centre", [][2]float64{{0, 0}}},
	} {
		v := View{Width: 640, Height: 420, Scale: 1, Center: centre, Zoom: zoom,
			Clusters: []Cluster{{Point: centre, Count: 18223}, {Point: at(-120, 0), Count: 900}}}
		for i, b := range tc.bases {
			v.Bases = append(v.Bases, &geo.Base{ID: string(rune('a' + i)), Name: "Base", Point: at(b[0], b[1])})
		}
		vp := r.viewport(&v)
		marks := placeMarks(vp, &v)
		r.placeCounts(vp, &v, marks)
		img := box{0, 0, v.Width, v.Height}
		for i, m := range marks {
			if m.inc != nil {
				continue
			}
			cb := r.countArea(vp, m)
			if !cb.inside(img) {
				t.Errorf("%s: the count of %d at %v is cut by the image's edge", tc.name, m.count, cb)
			}
			for _, b := range v.Bases {
				x, y := vp.px(b.Point)
				if sq := centred(x, y, 7); cb.overlaps(sq) {
					t.Errorf("%s: the base's square %v hides the count of %d at %v", tc.name, sq, m.count, cb)
				}
			}
			for j, o := range marks {
				if j != i && cb.overlaps(o.box()) {
					t.Errorf("%s: the count of %d at %v is under the mark at (%.0f, %.0f)", tc.name, m.count, cb, o.x, o.y)
				}
			}
		}
	}
}
