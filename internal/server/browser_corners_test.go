package server

import (
	"fmt"
	"testing"
	"time"
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
  // No name on the map (a base's, a country's, a town's with its dot)
  // touches a control: each keeps labelGap pixels clear of them.
  const labelGap = 4;
  const map = document.getElementById('map').getBoundingClientRect();
  document.querySelectorAll('#map .map-label, #map .map-label-dot').forEach((e) => {
    if (e.closest('[hidden]')) { return; }
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || r.right <= map.left || r.left >= map.right || r.bottom <= map.top || r.top >= map.bottom) { return; }
    boxes.forEach((b) => {
      const w = Math.min(r.right, b.r.right) - Math.max(r.left, b.r.left) + labelGap;
      const h = Math.min(r.bottom, b.r.bottom) - Math.max(r.top, b.r.top) + labelGap;
      if (w > 0 && h > 0) { out.push(JSON.stringify(e.textContent.trim() || e.className) + ' is within ' + labelGap + ' px of ' + b.name + ' (' + Math.round(w - labelGap) + 'x' + Math.round(h - labelGap) + ')'); }
    });
  });
  return out;
})()`

// TestMapControlsDoNotOverlap opens the map page and the embed at a small
// phone's width up to a desktop's, and checks that no control covers
// another, nor touches a name drawn on the map. Before, the attribution, two
// lines tall on a phone, covered the scale bar (and the embed's link back)
// in the bottom-left corner; and the embed's scale bar touched "Mādabā".
// (The map page at 320 and 375 px by 740 is checked on
// TestFirstViewInBrowser's page of that size.)
func TestMapControlsDoNotOverlap(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	for _, path := range []string{"/", "/embed"} {
		for _, size := range [][2]int64{{320, 740}, {375, 740}, {640, 480}, {768, 740}, {1280, 740}} {
			if path == "/" && size[0] < 768 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%dx%d", path, size[0], size[1]), func(t *testing.T) {
				tb := b.newTab(t, size[0], size[1])
				tb.open(path)
				poll[bool](tb, `document.querySelectorAll('#map .map-label:not([hidden])').length > 0`, 10*time.Second)
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
