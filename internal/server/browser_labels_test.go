package server

import (
	"fmt"
	"math"
	"testing"
)

// labelsJS measures, in the page, what a reader sees of the map's text: the
// boxes of every drawn label (base names, country names, towns) and of
// every mark (incident symbols, clusters, base symbols), in screen pixels.
// A label counts when it is displayed and inside the map.
const labelsJS = `(() => {
  const map = document.getElementById('map').getBoundingClientRect();
  const box = (r) => ({ x0: r.left, y0: r.top, x1: r.right, y1: r.bottom });
  const shown = (e) => {
    if (e.closest('[hidden]')) { return null; }
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) { return null; }
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= map.left || r.left >= map.right || r.bottom <= map.top || r.top >= map.bottom) { return null; }
    return r;
  };
  const labels = [];
  document.querySelectorAll('#map .base-tooltip, #map .map-label').forEach((e) => {
    const r = shown(e);
    if (r) { labels.push(Object.assign(box(r), { text: e.textContent.trim(), kind: e.classList.contains('map-label-country') ? 'country' : e.classList.contains('map-label-place') ? 'place' : 'base' })); }
  });
  const marks = [];
  document.querySelectorAll('#map .incident-marker svg, #map .base-marker svg, #map .map-label-dot').forEach((e) => {
    const r = shown(e);
    if (r) { marks.push(Object.assign(box(r), { text: (e.closest('[data-id]') || e).getAttribute('data-id') || 'dot' })); }
  });
  document.querySelectorAll('#cluster-list button, .cluster-key').forEach((b) => {
    const x = Number(b.dataset.x) + map.left, y = Number(b.dataset.y) + map.top, r = 12 + 4 * Math.log10(Number(b.dataset.count));
    marks.push({ x0: x - r, y0: y - r, x1: x + r, y1: y + r, text: 'cluster ' + b.dataset.count });
  });
  return { labels, marks };
})()`

type pxBox struct {
	X0, Y0, X1, Y1 float64
	Text, Kind     string
}

// overlap is the area two boxes share, in square pixels.
func overlap(a, b pxBox) float64 {
	w := min(a.X1, b.X1) - max(a.X0, b.X0)
	h := min(a.Y1, b.Y1) - max(a.Y0, b.Y0)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// checkLabelsAvoidMarks checks, on the map page as first drawn with the
// embedded data and the offline basemap (TestFirstViewInBrowser), what a
// reader would see: no label (a base's name, a country's, a town's) covers
// an incident, a base or a cluster, no two labels cover each other, and the
// offline basemap names the countries wantCountries, so a reader knows
// where they are.
func checkLabelsAvoidMarks(t *testing.T, tb *tab, wantCountries []string) {
	t.Helper()
	got := eval[struct{ Labels, Marks []pxBox }](tb, labelsJS)
	if len(got.Marks) < 11 {
		t.Fatalf("%d marks on the map, want the incidents and bases", len(got.Marks))
	}
	bad := false
	for i, l := range got.Labels {
		for _, m := range got.Marks {
			if a := overlap(l, m); a > 1 {
				t.Errorf("the %s label %q covers the mark %s (%.0f px²)", l.Kind, l.Text, m.Text, a)
				bad = true
			}
		}
		for _, o := range got.Labels[i+1:] {
			if a := overlap(l, o); a > 1 {
				t.Errorf("the labels %q and %q overlap (%.0f px²)", l.Text, o.Text, a)
				bad = true
			}
		}
	}
	shown := map[string]string{}
	for _, l := range got.Labels {
		shown[l.Text] = l.Kind
	}
	for _, c := range wantCountries {
		if shown[c] != "country" {
			t.Errorf("the country name %q is not drawn on the offline basemap; labels: %v", c, shown)
			bad = true
		}
	}
	if bad {
		tb.screenshot()
	}
}

// TestCountryNamedOnItsLandInBrowser: zoomed in where none of a country's
// label points is in view (Ain al-Asad at zoom 11 on a phone), the page
// names the country on its land, as the image exports do. Before, the
// page named no country there, and a reader could not tell where they were.
func TestCountryNamedOnItsLandInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	for _, c := range []struct {
		path  string
		w, h  int64
		names []string
	}{
		{"/?map=11/33.7900/42.4400", 375, 740, []string{"Iraq"}},
		{"/?map=10/33.5000/38.7000", 1280, 800, []string{"Syria"}},
	} {
		tb := b.newTab(t, c.w, c.h)
		tb.open(c.path)
		tb.placed()
		checkLabelsAvoidMarks(t, tb, c.names)
	}
}

// TestLeadersCrossNoLabelInBrowser: with the shipped data on a phone (and
// at 320 px and a desktop's width), a base's leader line (drawn to a name
// set apart from its base) crosses no other label.
func TestLeadersCrossNoLabelInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	for _, size := range [][2]int64{{375, 740}, {320, 640}, {1280, 800}} {
		tb := b.newTab(t, size[0], size[1])
		tb.open("/")
		tb.placed()
		crossings := leaderCrossings(tb)
		for _, c := range crossings {
			t.Errorf("%dx%d: %s", size[0], size[1], c)
		}
	}
}

// leaderCrossings names each label on the map that a leader line other
// than its own crosses.
func leaderCrossings(tb *tab) []string {
	tb.t.Helper()
	// Each leader's ends, from the line drawn: its start, its length and
	// its angle.
	return eval[[]string](tb, `(() => {
		const labels = Array.from(document.querySelectorAll('#map .map-label:not([hidden])')).map((e) => ({ e, r: e.getBoundingClientRect() }));
		const meets = (x0, y0, x1, y1, b) => {
			let t0 = 0, t1 = 1;
			const dx = x1 - x0, dy = y1 - y0;
			for (const [p, q] of [[-dx, x0 - b.left - 1], [dx, b.right - 1 - x0], [-dy, y0 - b.top - 1], [dy, b.bottom - 1 - y0]]) {
				if (p === 0) { if (q <= 0) { return false; } continue; }
				const r = q / p;
				if (p < 0) { t0 = Math.max(t0, r); } else { t1 = Math.min(t1, r); }
				if (t0 >= t1) { return false; }
			}
			return true;
		};
		const out = [];
		document.querySelectorAll('#map .map-label-leader:not([hidden])').forEach((l) => {
			const r = l.getBoundingClientRect(), a = parseFloat((l.style.transform.match(/rotate\(([-0-9.e]+)rad\)/) || [0, 'NaN'])[1]), len = parseFloat(l.style.width);
			// The line's start is its box's corner nearest the start
			// side of the rotation; take the two ends from the centre.
			if (!Number.isFinite(a) || !Number.isFinite(len)) { out.push('a leader line with no angle or length: ' + l.style.cssText); return; }
			const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
			const x0 = cx - Math.cos(a) * len / 2, y0 = cy - Math.sin(a) * len / 2, x1 = cx + Math.cos(a) * len / 2, y1 = cy + Math.sin(a) * len / 2;
			// Its own label is where the line ends.
			labels.forEach(({ e, r: b }) => {
				if (x1 >= b.left - 1 && x1 <= b.right + 1 && y1 >= b.top - 1 && y1 <= b.bottom + 1) { return; }
				if (meets(x0, y0, x1, y1, b)) { out.push('a leader line crosses the label ' + JSON.stringify(e.textContent)); }
			});
		});
		return out;
	})()`)
}

// checkLabelSizes fails unless every map label shown is laid out at the
// size the page measured it to have (its data-size), to within a pixel:
// the page sizes labels from their CSS and a canvas's measure of their
// text (textbox.js), not by laying each out, and a label larger than its
// measured box would cover what the collision pass kept it off. It
// returns how many were wrapped on two lines.
func checkLabelSizes(t *testing.T, tb *tab) (wrapped int) {
	t.Helper()
	type label struct {
		Text, Size string
		W, H       float64
		Wrapped    bool
	}
	got := eval[[]label](tb, `Array.from(document.querySelectorAll('#map .map-label:not([hidden])')).map((e) => {
		const r = e.getBoundingClientRect();
		return { text: e.textContent, size: e.dataset.size || '', w: r.width, h: r.height, wrapped: e.classList.contains('map-label-wrap') };
	})`)
	if len(got) == 0 {
		t.Fatal("no map label shown")
	}
	for _, l := range got {
		var w, h float64
		if _, err := fmt.Sscanf(l.Size, "%gx%g", &w, &h); err != nil {
			t.Errorf("the label %q has no measured size (data-size %q)", l.Text, l.Size)
			continue
		}
		if math.Abs(w-l.W) > 1 || math.Abs(h-l.H) > 1 {
			t.Errorf("the label %q (wrapped %v) was measured %gx%g and is laid out %.2fx%.2f", l.Text, l.Wrapped, w, h, l.W, l.H)
		}
		if l.Wrapped {
			wrapped++
		}
	}
	return wrapped
}
