package server

import (
	"testing"
	"time"
)

// TestEmbedLabelsClearOfControls: in a 640×480 embed no base's name lies
// under the collapsed "Legend" button or another control drawn over the
// map (zoom, layers, attribution, "Open in strikemap"). Before, the legend
// button, which is not one of Leaflet's controls, covered "US Embassy
// Baghdad and Union III".
func TestEmbedLabelsClearOfControls(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	tb := b.newTab(t, 640, 480)
	tb.open("/embed")
	poll[bool](tb, `document.querySelectorAll('.map-label-base:not([hidden])').length > 0`, 10*time.Second)
	tb.placed()
	problems := eval[[]string](tb, `(() => {
		const box = (e) => e.getBoundingClientRect();
		const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
		const controls = Array.from(document.querySelectorAll('.embed-legend, .leaflet-control')).filter((e) => box(e).width > 0);
		const out = [];
		if (!document.querySelector('.embed-legend')) { out.push('no legend button'); }
		document.querySelectorAll('.map-label-base:not([hidden])').forEach((l) => {
			controls.forEach((c) => {
				if (meets(box(l), box(c))) { out.push(JSON.stringify(l.textContent) + ' is under ' + c.className); }
			});
		});
		return out;
	})()`)
	for _, p := range problems {
		t.Error(p)
	}
	tb.checkClean()
}
