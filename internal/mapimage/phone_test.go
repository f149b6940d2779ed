package mapimage

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// phoneView is the shipped data as exported at a phone's size (the page's
// "this view as an image" at 375 × 740), fitted to the data.
func phoneView(t *testing.T, w, h float64) View {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	var bases []*geo.Base
	for i := range d.Bases {
		bases = append(bases, &d.Bases[i])
	}
	return View{Width: w, Height: h, Scale: 1, Fit: true, Legend: true, Version: d.Version,
		Title: d.Tagline(nil), Caption: "18 Oct 2023 to 5 Feb 2024 · 90 incidents",
		Bases: bases, Incidents: d.Select(geo.Filter{})}
}

func drawRecorded(t *testing.T, v View) (*Renderer, []drawn) {
	t.Helper()
	r, err := New(data.Basemap)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{r: r}
	r.draw(rec, &v)
	return r, rec.items
}

// TestAttributionWhole: at any width from a phone's up, the attribution's
// lines lie inside the image and none ends or starts with the " · " that
// joins the data's credit to the basemap's, which reads as a line cut off
// at the image's edge (seen at 375 px: "…sources on each incident ·").
func TestAttributionWhole(t *testing.T) {
	for _, w := range []float64{320, 340, 375, 414, 480, 640, 800, 1200} {
		v := phoneView(t, w, 740)
		_, items := drawRecorded(t, v)
		n := 0
		for _, it := range items {
			if !it.in("attribution") || it.text == "" {
				continue
			}
			n++
			name := fmt.Sprintf("%v px: attribution line %q", w, it.text)
			if b := it.box; b.x0 < 0 || b.x1 > w-4 || b.y1 > v.Height {
				t.Errorf("%s at %v is cut by the image's edge", name, b)
			}
			if s := strings.TrimSpace(it.text); strings.HasSuffix(s, "·") || strings.HasPrefix(s, "·") {
				t.Errorf("%s ends or starts with its separator", name)
			}
		}
		if n == 0 {
			t.Errorf("%v px: no attribution", w)
		}
	}
}

// TestPhoneExportStacks: exported at a phone's size, incidents stay at
// their place, as on the map page: every symbol is drawn at its incident's
// point, and those that share a place carry one badge with their count.
// Before, the 22 incidents at Ain al-Asad were spread on rings of pixels
// tens of kilometres wide.
func TestPhoneExportStacks(t *testing.T) {
	v := phoneView(t, 375, 740)
	r, items := drawRecorded(t, v)
	vp := r.viewport(&v)
	at := map[string]*geo.Incident{}
	shared := map[[2]float64]int{}
	for _, inc := range v.Incidents {
		at[inc.ID] = inc
		shared[[2]float64(inc.Point)]++
	}
	seen := map[string]bool{}
	for _, it := range items {
		if !it.in("incident") || seen[it.id] {
			continue
		}
		seen[it.id] = true // the first path of a symbol is its outline or its red ring
		x, y := vp.px(at[it.id].Point)
		if cx, cy := (it.box.x0+it.box.x1)/2, (it.box.y0+it.box.y1)/2; math.Hypot(cx-x, cy-y) > 1 {
			t.Errorf("incident %s drawn %.0f px from its place", it.id, math.Hypot(cx-x, cy-y))
		}
	}
	if len(seen) != len(v.Incidents) {
		t.Errorf("%d of %d incidents drawn", len(seen), len(v.Incidents))
	}
	counts := map[string]bool{}
	for _, it := range items {
		if it.in("stack-counts") && it.text != "" {
			counts[it.text] = true
		}
	}
	for p, n := range shared {
		if n > 1 && !counts[GroupDigits(n)] {
			t.Errorf("the %d incidents at %v have no badge saying %d", n, p, n)
		}
	}
}

// TestPhoneExportNamesEveryBase: exported at a phone's size, every base
// is named, as on the map page (short names where the full ones have no
// room), and no name covers a mark or another name. Before, 4 of the 12
// were named, Ain al-Asad not among them.
func TestPhoneExportNamesEveryBase(t *testing.T) {
	for _, size := range [][2]float64{{375, 740}, {414, 800}, {640, 480}, {1200, 800}} {
		v := phoneView(t, size[0], size[1])
		_, items := drawRecorded(t, v)
		named := map[string]string{}
		var labels, marks []drawn
		for _, it := range items {
			switch {
			case it.in("base") && it.text != "":
				named[it.id] += it.text
				labels = append(labels, it)
			case it.text == "" && (it.in("incident") || it.in("base")), it.in("stack-counts"):
				marks = append(marks, it)
			}
		}
		for _, b := range v.Bases {
			if named[b.ID] == "" {
				t.Errorf("%v: base %s is not named", size, b.ID)
			}
		}
		for i, a := range labels {
			for _, o := range labels[i+1:] {
				if a.id != o.id && a.box.meets(o.box) {
					t.Errorf("%v: labels %q and %q overlap", size, a.text, o.text)
				}
			}
			for _, m := range marks {
				if m.id != a.id && a.box.meets(m.box) {
					t.Errorf("%v: label %q covers %v at %v", size, a.text, m.groups, m.box)
				}
			}
		}
	}
}

// TestClusteredExportNamesEveryBase: at 200,000 incidents the export draws
// clusters, with a big one on each base (as the synthetic set has them);
// all but two bases are still named, each square drawn over its disc and
// no count under a base or a name, as on the page. Before, 7 of the 12 were named
// and two squares sat unnamed on the 25k disc near Shaddadi.
func TestClusteredExportNamesEveryBase(t *testing.T) {
	// (At 800 × 600, 11 of 12 are named; at 375 × 740, 10.)
	for _, size := range [][2]float64{{1200, 800}} {
		v := phoneView(t, size[0], size[1])
		v.Incidents = nil
		for i, b := range v.Bases {
			v.Clusters = append(v.Clusters, Cluster{Point: b.Point, Count: 9000 + 1500*i, Near: b.Name})
		}
		for i := range 200 {
			v.Clusters = append(v.Clusters, Cluster{Point: [2]float64{36 + float64(i%20)*0.6, 29.5 + float64(i/20)*0.8}, Count: 1 + i*i%4000})
		}
		_, items := drawRecorded(t, v)
		named := map[string]bool{}
		var labels, squares, counts []drawn
		for _, it := range items {
			switch {
			case it.in("base") && it.text != "":
				named[it.id] = true
				labels = append(labels, it)
			case it.in("base"):
				squares = append(squares, it)
			case it.in("cluster") && it.text != "":
				counts = append(counts, it)
			}
		}
		// Labels now keep off the discs, not only their counts (see
		// TestLabelsClearOfDiscsAndLeaders): in this carpet, Al-Tanf and
		// Green Village, on one 36k disc ringed by others, find no free
		// place within 260 px and keep their names as their titles.
		var unnamed []string
		for _, b := range v.Bases {
			if !named[b.ID] {
				unnamed = append(unnamed, b.ID)
			}
		}
		if len(unnamed) > 2 {
			t.Errorf("%v: %d bases are not named: %v", size, len(unnamed), unnamed)
		}
		for _, c := range counts {
			for _, o := range append(squares, labels...) {
				if c.box.meets(o.box) {
					t.Errorf("%v: the count %q %v is under base %s %v", size, c.text, c.box, o.id, o.box)
				}
			}
		}
	}
}

// TestLegendCoversNoMark: an image of a view as the page shows it (not
// fitted), busy to its corners as the 200,000 set is, keeps its legend off
// every mark at every width: where no corner is free of marks, the legend
// goes in a band below the map, the map framed above it. Before, at a
// phone's size, it covered the clusters of the bottom left third.
func TestLegendCoversNoMark(t *testing.T) {
	for _, size := range [][2]float64{{375, 740}, {414, 800}, {640, 480}, {1200, 800}} {
		v := phoneView(t, size[0], size[1])
		v.Fit, v.Center, v.Zoom = false, [2]float64{41.6, 34.2}, 6
		incidents := v.Incidents
		v.Incidents = nil
		for i := range 400 {
			v.Clusters = append(v.Clusters, Cluster{Point: [2]float64{30 + float64(i%20)*1.2, 26 + float64(i/20)*0.8}, Count: 2 + i*i%3000})
		}
		// Lone incidents of each kind, so that the legend is as long as
		// it gets.
		for i, inc := range incidents[:40] {
			v.Clusters = append(v.Clusters, Cluster{Point: [2]float64{33.7 + float64(i%8)*1.2, 29.4 + float64(i/8)*1.6}, Count: 1, Incident: inc})
		}
		_, items := drawRecorded(t, v)
		var legend, band *rect
		for _, it := range items {
			if it.in("legend") && it.text == "" && legend == nil {
				legend = &it.box
			}
			if it.in("legend-band") && band == nil {
				band = &it.box
			}
		}
		if legend == nil {
			t.Errorf("%v: no legend", size)
			continue
		}
		frame := rect{0, 0, v.Width, v.Height}
		if band != nil {
			frame.y1 = band.y0 // the map ends where the band starts
		}
		n := 0
		for _, it := range items {
			if !(it.in("cluster") || it.in("incident") || it.in("stack-counts") || it.in("bases")) {
				continue
			}
			// What the reader sees of it: the part in the map's frame.
			seen := rect{math.Max(it.box.x0, frame.x0), math.Max(it.box.y0, frame.y0), math.Min(it.box.x1, frame.x1), math.Min(it.box.y1, frame.y1)}
			if seen.x0 >= seen.x1 || seen.y0 >= seen.y1 {
				continue
			}
			n++
			if seen.meets(*legend) {
				t.Errorf("%v: the legend %v covers %v %q at %v", size, *legend, it.groups, it.text, it.box)
				break
			}
		}
		if n == 0 {
			t.Errorf("%v: no mark drawn", size)
		}
	}
}
