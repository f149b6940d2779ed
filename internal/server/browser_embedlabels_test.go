package server

import (
	"testing"
	"time"
)

// TestEmbedLabelsClearOfControls: in a 640×480 embed no base's name lies
// under the collapsed "Legend" button or another control drawn over the
// map (zoom, layers, attribution, "Open in strikemap"). Before, the legend
// button, which is not one of Leaflet's controls, covered "US Embassy
// Baghdad and Union III". And a wrapped name takes at most two lines.
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
	// A name wrapped for want of room is on two lines of near equal width,
	// never three with a word alone: its box is as wide as its longer
	// line plus its padding and border (the box was given the lines' text
	// width alone, so "US Embassy / Baghdad and Union / III").
	lines := eval[[]string](tb, `(() => {
		const out = [];
		document.querySelectorAll('.map-label-base.map-label-wrap:not([hidden])').forEach((l) => {
			const r = document.createRange();
			r.selectNodeContents(l);
			const tops = new Set(Array.from(r.getClientRects()).map((b) => Math.round(b.top)));
			if (tops.size > 2) { out.push(JSON.stringify(l.textContent) + ' takes ' + tops.size + ' lines'); }
		});
		return out;
	})()`)
	for _, p := range lines {
		t.Error(p)
	}
	// The two-line form's size is measured too: this embed wraps one name.
	if n := checkLabelSizes(t, tb); n == 0 {
		t.Error("no base name is wrapped on two lines in a 640×480 embed, where one was: the two-line form's size goes unchecked")
	}
	tb.checkClean()
}
