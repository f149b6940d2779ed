package server

import (
	"fmt"
	"testing"
)

// controlsJS lists what is laid over the map's corners and edges as a
// reader sees it: every Leaflet control (zoom, layers, scale, attribution,
// the embed's link back), the date written on the map and the embed's
// legend button, with their boxes in CSS pixels, and each pair of them that
// overlaps.
const controlsJS = `(() => {
  const around = document.getElementById('map').parentElement;
  const boxes = [];
  around.querySelectorAll('.leaflet-control, .map-date, .embed-legend').forEach((e) => {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(e).visibility === 'hidden') { return; }
    const name = e.className.split(' ').filter((c) => c !== 'leaflet-control').join('.') || e.tagName;
    boxes.push({ name, r });
  });
  const out = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
    const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
    if (w > 0 && h > 0) { out.push(a.name + ' and ' + b.name + ' overlap by ' + Math.round(w) + 'x' + Math.round(h) + ' px'); }
  }));
  if (boxes.length < 4) { out.push('only ' + boxes.length + ' controls found: ' + boxes.map((b) => b.name).join(', ')); }
  return out;
})()`

// TestMapControlsDoNotOverlap opens the map page and the embed at a small
// phone's width up to a desktop's, and checks that no control covers
// another. Before, the attribution, two lines tall on a phone, covered the
// scale bar (and the embed's link back) in the bottom-left corner. (The
// map page at 320 and 375 px by 740 is checked on TestFirstViewInBrowser's
// page of that size.)
func TestMapControlsDoNotOverlap(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	for _, path := range []string{"/", "/embed"} {
		for _, w := range []int64{320, 375, 768, 1280} {
			if path == "/" && w < 768 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d", path, w), func(t *testing.T) {
				tb := b.newTab(t, w, 740)
				tb.open(path)
				checkControlsApart(t, tb)
				tb.checkClean()
			})
		}
	}
}

// checkControlsApart fails for each pair of controls over the map that
// overlap (controlsJS).
func checkControlsApart(t *testing.T, tb *tab) {
	t.Helper()
	for _, p := range eval[[]string](tb, controlsJS) {
		t.Error(p)
	}
}
