package server

import (
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
