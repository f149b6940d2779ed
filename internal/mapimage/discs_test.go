package mapimage

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/cluster"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// synthView is the 200,000-incident synthetic set (the one `dataset synth
// -n 200000 -seed 1` writes) exported whole at w × h, as the export handler
// draws it: clusters, from the set's own cluster index.
func synthView(t *testing.T, r *Renderer, d *geo.Dataset, ix Index, incidents []*geo.Incident, w, h float64) View {
	t.Helper()
	v := View{Width: w, Height: h, Scale: 1, Fit: true, Legend: true, Version: d.Version, Title: d.Tagline(nil), Caption: "200,000 incidents, shown as clusters"}
	src := Source{Dataset: d, Incidents: incidents, RingRadii: geo.DefaultRingRadii(), MaxMarks: 5000,
		Index: func() (Index, []*geo.Incident, error) { return ix, incidents, nil }}
	if _, err := r.AddLayers(&v, src, Layers{Bases: true, Incidents: true}); err != nil {
		t.Fatal(err)
	}
	if len(v.Clusters) == 0 {
		t.Fatal("the 200k view has no clusters")
	}
	return v
}

// TestLabelsClearOfDiscsAndLeaders: in an export, as on the page, no base's
// label lies on a mark or on any part of a cluster's disc, and no leader
// line crosses a label or a disc other than the one its own base sits on
// (which it must leave). Drawn with the shipped data and the 200k set, at
// a phone's size up to 1200 px. Before, the exports kept labels off the
// clusters' counts only: "Tal Baydar", "Rumalyn", "MSS Euphrates" and "Ain
// al-Asad" lay across discs in the 200k phone export, and leaders ran over
// discs.
func TestLabelsClearOfDiscsAndLeaders(t *testing.T) {
	sizes := [][2]float64{{375, 740}, {640, 480}, {800, 600}, {1200, 800}}
	type scene struct {
		name string
		v    View
	}
	var scenes []scene
	for _, s := range sizes {
		scenes = append(scenes, scene{fmt.Sprintf("shipped/%vx%v", s[0], s[1]), phoneView(t, s[0], s[1])})
	}
	if !testing.Short() {
		shipped, err := geo.Load(data.FS)
		if err != nil {
			t.Fatal(err)
		}
		basesJSON, _ := data.FS.ReadFile("bases.geojson")
		d, err := synth.Dataset(basesJSON, shipped.Bases, 200000, 1)
		if err != nil {
			t.Fatal(err)
		}
		incidents := d.Select(geo.Filter{})
		points := make([]orb.Point, len(incidents))
		for i, inc := range incidents {
			points[i] = inc.Point
		}
		ix, err := cluster.New(points, cluster.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		r, err := New(data.Basemap)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sizes {
			scenes = append(scenes, scene{fmt.Sprintf("200k/%vx%v", s[0], s[1]), synthView(t, r, d, ix, incidents, s[0], s[1])})
		}
	}
	for _, sc := range scenes {
		t.Run(sc.name, func(t *testing.T) {
			_, items := drawRecorded(t, sc.v)
			type circle struct{ x, y, r float64 }
			var labels, symbols, leaders []drawn
			var discs []circle
			var squares []pt
			for _, it := range items {
				w, h := it.box.x1-it.box.x0, it.box.y1-it.box.y0
				switch {
				case it.in("base") && it.text == "" && len(it.pts) == 4 && w-h > 2:
					labels = append(labels, it)
				case it.in("base") && it.text == "" && len(it.pts) == 4:
					squares = append(squares, pt{(it.box.x0 + it.box.x1) / 2, (it.box.y0 + it.box.y1) / 2})
				case it.in("cluster") && it.text == "" && len(it.pts) >= 40 && math.Abs(w-h) < 0.5:
					discs = append(discs, circle{(it.box.x0 + it.box.x1) / 2, (it.box.y0 + it.box.y1) / 2, w / 2})
				case it.in("incident") && it.text == "":
					symbols = append(symbols, it)
				case it.in("leaders") && len(it.pts) >= 2:
					leaders = append(leaders, it)
				}
			}
			if len(labels) == 0 {
				t.Fatal("no base is named")
			}
			inDisc := func(x, y float64, c circle) bool { return math.Hypot(x-c.x, y-c.y) < c.r-0.5 }
			for _, l := range labels {
				b := l.box
				for _, c := range discs {
					nx, ny := math.Max(b.x0, math.Min(c.x, b.x1)), math.Max(b.y0, math.Min(c.y, b.y1))
					if inDisc(nx, ny, c) {
						t.Errorf("the label %s at %v lies on the disc at (%.0f, %.0f) r %.0f", l.id, b, c.x, c.y, c.r)
					}
				}
				for _, s := range symbols {
					if b.meets(rect{s.box.x0 + 1, s.box.y0 + 1, s.box.x1 - 1, s.box.y1 - 1}) {
						t.Errorf("the label %s at %v covers incident %s at %v", l.id, b, s.id, s.box)
					}
				}
			}
			for _, ld := range leaders {
				// The base it starts from: the square nearest its first point.
				from := ld.pts[0]
				base := squares[0]
				for _, s := range squares {
					if math.Hypot(s.x-from.x, s.y-from.y) < math.Hypot(base.x-from.x, base.y-from.y) {
						base = s
					}
				}
				for i := 1; i < len(ld.pts); i++ {
					a, b := ld.pts[i-1], ld.pts[i]
					for _, l := range labels {
						if segmentMeets(a, b, l.box) {
							t.Errorf("a leader line from %v to %v crosses the label %s at %v", a, b, l.id, l.box)
						}
					}
					d := math.Hypot(b.x-a.x, b.y-a.y)
					for _, c := range discs {
						if math.Hypot(base.x-c.x, base.y-c.y) < c.r+9.5 {
							continue // the disc its base sits on
						}
						for k := 0.0; k <= d; k += 0.5 {
							if inDisc(a.x+(b.x-a.x)*k/d, a.y+(b.y-a.y)*k/d, c) {
								t.Errorf("a leader line from %v to %v (base at %v) crosses the disc at (%.0f, %.0f) r %.0f", a, b, base, c.x, c.y, c.r)
								break
							}
						}
					}
				}
			}
			t.Logf("%d labels, %d leaders, %d discs", len(labels), len(leaders), len(discs))
		})
	}
}

// TestClusterLegendGivesTheRange: the legend of an image drawn as clusters
// says how many incidents the smallest and largest disc in view stand for,
// and that a disc's size grows with its count. Before, it said "Cluster:
// number of incidents" under a carpet of alike discs, with no scale.
func TestClusterLegendGivesTheRange(t *testing.T) {
	v := phoneView(t, 375, 740)
	v.Incidents = nil
	for i, b := range v.Bases {
		v.Clusters = append(v.Clusters, Cluster{Point: b.Point, Count: 9000 + 1500*i, Near: b.Name})
	}
	v.Clusters = append(v.Clusters, Cluster{Point: [2]float64{40, 31}, Count: 2})
	_, items := drawRecorded(t, v)
	var legend []string
	for _, it := range items {
		if it.in("legend") && it.text != "" {
			legend = append(legend, it.text)
		}
	}
	want := regexp.MustCompile(`^Cluster: 2–\d{2},\d{3} incidents, by size$`)
	if !slices.ContainsFunc(legend, want.MatchString) {
		t.Errorf("the legend reads %q; want a line like %q", legend, want)
	}
}

// A cluster's name, the SVG's title for it, writes its count as the map
// page's cluster buttons do, with the digits grouped.
func TestClusterTitlesGroupDigits(t *testing.T) {
	for _, tc := range []struct {
		m    mark
		want string
	}{
		{mark{count: 12345}, "12,345 incidents"},
		{mark{count: 1234, near: "Ain al-Asad", nearKm: 4}, "Near Ain al-Asad: 1,234 incidents"},
		{mark{count: 1000000, near: "Al-Tanf", nearKm: 1200}, "1,200 km from Al-Tanf: 1,000,000 incidents"},
		{mark{count: 999, near: "Harir", nearKm: 31}, "31 km from Harir: 999 incidents"},
	} {
		if got := clusterTitle(tc.m); got != tc.want {
			t.Errorf("clusterTitle(%d near %q, %d km) = %q, want %q", tc.m.count, tc.m.near, tc.m.nearKm, got, tc.want)
		}
	}
}

// A cluster's disc writes its count as the map page's does
// (clusterCountText in web/static/js/map/text.js): grouped, then in
// thousands and millions, so that it stays inside the disc.
func TestClusterTextFitsTheDisc(t *testing.T) {
	for n, want := range map[int]string{
		7: "7", 7380: "7,380", 9999: "9,999", 10000: "10k", 183642: "184k",
		999499: "999k", 999500: "1M", 1000000: "1M", 1250000: "1.3M", 12345678: "12.3M",
	} {
		if got := clusterText(n); got != want {
			t.Errorf("clusterText(%d) = %q, want %q", n, got, want)
		}
	}
	// Every count from a disc of one to one of ten million fits the
	// disc it is written on, with 4 px to spare.
	r := newTestRenderer(t)
	for n := 1; n <= 10000000; n = n*3 + 1 {
		if w, d := r.textWidth(clusterText(n), clusterStyle), 2*clusterRadius(n); w > d-8 {
			t.Errorf("the count %q is %.0f px wide on a disc of %.0f px", clusterText(n), w, d)
		}
	}
}
