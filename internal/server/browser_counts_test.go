package server

import (
	"regexp"
	"testing"
	"time"
)

// discCount is how a cluster's disc writes its count: grouped digits
// (7,380), thousands (184k) or millions to a tenth (1.2M).
var discCount = regexp.MustCompile(`^([1-9][0-9]{0,2}|[1-9],[0-9]{3}|[1-9][0-9]{1,2}k|[1-9][0-9]*(\.[0-9])?M)$`)

// countBoxes returns, for each cluster drawn whose count lies wholly in the
// map and clear of its controls, the box its count is written in (the
// page's data-count-box, or, where the page gives none, the middle of its
// disc, where the count used to be), its text, and what the page has at
// its centre and inset corners: elementFromPoint, which is what a click
// reaches, and the base and place names drawn over it (they let clicks
// through, so elementFromPoint does not see them).
const countBoxes = `(function () {
  var m = document.getElementById('map').getBoundingClientRect();
  var ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '700 11px system-ui, sans-serif';
  var controls = Array.from(document.querySelectorAll('#map .leaflet-control, #map .map-date')).map(function (e) { return e.getBoundingClientRect(); });
  var labels = Array.from(document.querySelectorAll('#map .map-label:not([hidden])')).map(function (e) { return {r: e.getBoundingClientRect(), text: e.textContent}; });
  var hit = function (a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; };
  return Array.from(document.querySelectorAll('#cluster-keys .cluster-key[data-count]')).map(function (b) {
    var text = b.dataset.countText, r;
    if (b.dataset.countBox) {
      var v = b.dataset.countBox.split(',').map(Number);
      r = {left: m.left + v[0], top: m.top + v[1], right: m.left + v[2], bottom: m.top + v[3]};
    } else {
      var w = Math.ceil(ctx.measureText(text).width) + 10, x = m.left + Number(b.dataset.x), y = m.top + Number(b.dataset.y);
      r = {left: x - w / 2, top: y - 8, right: x + w / 2, bottom: y + 8};
    }
    return {text: text, r: r};
  }).filter(function (c) {
    return c.r.left >= m.left && c.r.right <= m.right && c.r.top >= m.top && c.r.bottom <= m.bottom && !controls.some(function (k) { return hit(k, c.r); });
  }).map(function (c) {
    var r = c.r, cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
    var pts = [[cx, cy], [r.left + 4, r.top + 4], [r.right - 4, r.top + 4], [r.left + 4, r.bottom - 4], [r.right - 4, r.bottom - 4]];
    var covers = pts.map(function (p) {
      var e = document.elementFromPoint(p[0], p[1]);
      if (e && e.closest('.pane-clusters')) { return ''; }
      var k = e && e.closest('.base-marker, .base-icon, .incident-icon, .leaflet-marker-icon, .leaflet-control');
      k = k || e;
      return k ? (k.className.baseVal !== undefined ? k.className.baseVal : k.className) + ' ' + (k.dataset.id || (k.querySelector('[data-id]') || {dataset: {}}).dataset.id || '') : 'nothing';
    }).filter(Boolean);
    labels.forEach(function (l) { if (hit(l.r, r)) { covers.push('the label ' + l.text); } });
    return {Text: c.text, Box: [r.left, r.top, r.right, r.bottom], Covers: covers};
  });
})()`

// checkCountsReadable checks the map page with 200,000 incidents
// (TestFirstView200kInBrowser): every cluster's count must be readable, so
// nothing may be drawn over it, the bases' symbols above all (issue 12: at
// 200k, the bases' symbols sat on the biggest clusters' counts), and no two
// counts may overlap.
func checkCountsReadable(t *testing.T, tb *tab) {
	t.Helper()
	poll[bool](tb, `document.querySelectorAll('#cluster-keys .cluster-key[data-count]').length > 0`, 90*time.Second)
	type count struct {
		Text   string
		Box    [4]float64
		Covers []string
	}
	counts := eval[[]count](tb, countBoxes)
	if len(counts) < 10 {
		t.Fatalf("%d cluster counts to read", len(counts))
	}
	hidden := 0
	for _, c := range counts {
		if !discCount.MatchString(c.Text) {
			t.Errorf("a disc writes its count as %q, not grouped (7,380), in thousands (184k) or millions (1.2M)", c.Text)
		}
		if len(c.Covers) > 0 {
			hidden++
			if hidden <= 5 {
				t.Errorf("the count %q at %.0f,%.0f–%.0f,%.0f is under %q", c.Text, c.Box[0], c.Box[1], c.Box[2], c.Box[3], c.Covers)
			}
		}
	}
	for i, a := range counts {
		for _, c := range counts[:i] {
			if a.Box[0] < c.Box[2] && c.Box[0] < a.Box[2] && a.Box[1] < c.Box[3] && c.Box[1] < a.Box[3] {
				t.Errorf("the counts %q and %q overlap", a.Text, c.Text)
			}
		}
	}
	if hidden > 0 {
		t.Errorf("%d of %d counts are covered", hidden, len(counts))
	}
}
