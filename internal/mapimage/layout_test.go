package mapimage

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/cluster"
	"strikemap/internal/geo"
)

// rect is a box the test measured, y down.
type rect struct{ x0, y0, x1, y1 float64 }

func (a rect) meets(b rect) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

func (a rect) String() string { return fmt.Sprintf("[%.1f,%.1f–%.1f,%.1f]", a.x0, a.y0, a.x1, a.y1) }

// drawn is a path or a line of text, and the groups it was drawn in.
type drawn struct {
	groups []string // the classes, outermost first
	id     string   // the innermost group's id
	text   string
	box    rect
	pts    []pt // a path's points, as drawn
}

func (d drawn) in(class string) bool {
	for _, g := range d.groups {
		if g == class {
			return true
		}
	}
	return false
}

// recorder is a surface that keeps what was drawn where, measuring text
// with the font metrics the renderer sets it in.
type recorder struct {
	r     *Renderer
	stack []string
	ids   []string
	items []drawn
}

func (rec *recorder) group(class, id, title string) {
	rec.stack = append(rec.stack, class)
	rec.ids = append(rec.ids, id)
}

func (rec *recorder) end() {
	rec.stack = rec.stack[:len(rec.stack)-1]
	rec.ids = rec.ids[:len(rec.ids)-1]
}

func (rec *recorder) here() drawn {
	d := drawn{groups: append([]string(nil), rec.stack...)}
	if n := len(rec.ids); n > 0 {
		d.id = rec.ids[n-1]
	}
	return d
}

func (rec *recorder) path(sub []subpath, st style) {
	b := rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, sp := range sub {
		for _, p := range sp.pts {
			b = rect{math.Min(b.x0, p.x), math.Min(b.y0, p.y), math.Max(b.x1, p.x), math.Max(b.y1, p.y)}
		}
	}
	d := rec.here()
	d.box = b
	for _, sp := range sub {
		d.pts = append(d.pts, sp.pts...)
	}
	rec.items = append(rec.items, d)
}

func (rec *recorder) text(x, y float64, s string, st textStyle) {
	w := rec.r.textWidth(s, st)
	m := rec.r.face(st).Metrics()
	switch st.anchor {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	d := rec.here()
	d.text, d.box = s, rect{x, y - m.Ascent, x + w, y + m.Descent}
	rec.items = append(rec.items, d)
}

// union returns the box round every item drawn in class.
func union(items []drawn, class string) (rect, bool) {
	b, ok := rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}, false
	for _, it := range items {
		if it.in(class) {
			b, ok = rect{math.Min(b.x0, it.box.x0), math.Min(b.y0, it.box.y0), math.Max(b.x1, it.box.x1), math.Max(b.y1, it.box.y1)}, true
		}
	}
	return b, ok
}

func layoutScenes(t *testing.T) []View {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	var bases []*geo.Base
	for i := range d.Bases {
		bases = append(bases, &d.Bases[i])
	}
	incidents := d.Select(geo.Filter{})
	long := "Drone, rocket and missile attacks on United States and coalition bases in Iraq and Syria, October 2023 to February 2024"
	var out []View
	for _, size := range [][2]float64{{1200, 800}, {800, 600}, {640, 420}, {400, 300}, {400, 800}, {300, 500}, {200, 200}, {200, 400}, {4000, 300}} {
		for _, title := range []string{"Attacks on US bases in Iraq and Syria", long} {
			out = append(out, View{
				Width: size[0], Height: size[1], Scale: 1, Fit: true, Legend: true,
				Title: title, Version: d.Version,
				Caption: "7 Oct 2023 to 4 Feb 2024 · weapon: drone, rocket · 12 incidents · data updated since this map was published (0123456789ab)",
				Bases:   bases, Incidents: incidents,
			})
		}
	}
	// The report's view of Ain al-Asad (its label used to hide a claimed
	// rocket), and Baghdad at the right edge (its label used to be cut).
	for _, v := range []struct {
		w, h, zoom float64
		centre     orb.Point
	}{
		{640, 420, 9, orb.Point{42.4411, 33.7856}},
		{400, 300, 9, orb.Point{42.4411, 33.7856}},
		{400, 400, 7, orb.Point{43.2, 33.5}},
		{1200, 800, 8, orb.Point{42.9, 33.4}},
		{600, 400, 6, orb.Point{44.5, 36.0}},
	} {
		out = append(out, View{
			Width: v.w, Height: v.h, Scale: 1, Zoom: v.zoom, Center: v.centre, Legend: true,
			Title: "Attacks on US bases", Caption: "test caption", Version: d.Version,
			Bases: bases, Incidents: incidents,
		})
	}
	// Clusters, as drawn past a few thousand incidents, some at the edge,
	// and a density layer.
	var clusters []Cluster
	var density []cluster.Hexbin
	for i := range 300 {
		p := orb.Point{38 + float64(i%20)*0.45, 30.5 + float64(i/20)*0.5}
		clusters = append(clusters, Cluster{Point: p, Count: 1 + i*i%20000})
		ring := orb.Ring{}
		for _, c := range hexagon(p[0], p[1], 0.2) {
			ring = append(ring, orb.Point{c.x, c.y})
		}
		density = append(density, cluster.Hexbin{Ring: append(ring, ring[0]), Count: 1 + i%50})
	}
	for _, size := range [][2]float64{{1200, 800}, {400, 500}, {200, 200}} {
		for _, fit := range []bool{true, false} {
			out = append(out, View{
				Width: size[0], Height: size[1], Scale: 1, Fit: fit, Zoom: 6, Center: orb.Point{42, 33}, Legend: true,
				Title: "Attacks on US bases", Caption: "200000 incidents, shown as clusters", Version: d.Version,
				Bases: bases, Clusters: clusters, Density: density,
			})
		}
	}
	return out
}

// TestFrameAndLabelsInsideAndApart draws views of every allowed shape and
// checks what a reader would notice: every line of text (measured with the
// font it is set in) lies inside the image; the title, legend, scale bar
// and attribution do not overlap; no base label covers another, a base, or
// an incident's mark.
func TestFrameAndLabelsInsideAndApart(t *testing.T) {
	r, err := New(data.Basemap)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range layoutScenes(t) {
		name := fmt.Sprintf("%v×%v zoom %v fit %v title %d chars", v.Width, v.Height, v.Zoom, v.Fit, len(v.Title))
		rec := &recorder{r: r}
		r.draw(rec, &v)
		img := rect{0, 0, v.Width, v.Height}
		var labels, marks []drawn
		for _, it := range rec.items {
			if it.text != "" {
				b := it.box
				if b.x0 < img.x0-0.01 || b.y0 < img.y0-0.01 || b.x1 > img.x1+0.01 || b.y1 > img.y1+0.01 {
					t.Errorf("%s: text %q at %v is cut by the image's edge", name, it.text, b)
				}
				if it.in("base") {
					labels = append(labels, it)
				}
			}
			// An incident's symbol, a cluster's count, a base's square.
			if (it.text == "" && (it.in("incident") || it.in("base"))) || (it.text != "" && it.in("cluster")) {
				marks = append(marks, it)
			}
		}
		frame := []string{"title", "legend", "scale", "attribution"}
		boxes := map[string]rect{}
		for _, c := range frame {
			if b, ok := union(rec.items, c); ok {
				boxes[c] = b
			}
		}
		for i, a := range frame {
			for _, b := range frame[i+1:] {
				ba, okA := boxes[a]
				bb, okB := boxes[b]
				if okA && okB && ba.meets(bb) {
					t.Errorf("%s: the %s %v and the %s %v overlap", name, a, ba, b, bb)
				}
			}
		}
		for i, a := range labels {
			for _, b := range labels[i+1:] {
				if a.box.meets(b.box) {
					t.Errorf("%s: labels %q and %q overlap", name, a.text, b.text)
				}
			}
			for _, m := range marks {
				if m.id == a.id && m.in("base") {
					continue // the base's own square is beside it
				}
				if a.box.meets(m.box) {
					what := "incident " + m.id
					if m.in("base") {
						what = "base " + m.id
					}
					t.Errorf("%s: label %q %v covers %s at %v", name, a.text, a.box, what, m.box)
				}
			}
			for c, b := range boxes {
				if a.box.meets(b) {
					t.Errorf("%s: label %q is under the %s", name, a.text, c)
				}
			}
		}
		if _, ok := boxes["legend"]; !ok && v.Width >= 640 && v.Height >= 420 {
			t.Errorf("%s: no legend", name)
		}
		if len(labels) == 0 && v.Width >= 640 && v.Clusters == nil {
			t.Errorf("%s: no base labels", name)
		}
	}
}
