package server

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOGCMapShowsOnlyTheFeaturesInBrowser: the small map of an OGC items
// page draws the page's features over the offline basemap's lines and
// areas, and nothing else: the basemap's places were drawn as hundreds of
// Leaflet's default pins, which a reader took for features; and its areas
// were outlined, their clip edge a grey box.
func TestOGCMapShowsOnlyTheFeaturesInBrowser(t *testing.T) {
	t.Parallel()
	d := shippedData(t)
	b := newBrowser(t, offlineServer(t))
	tb := b.newTab(t, 1280, 800)
	// Not tb.open: an OGC page is not the map page, which says when it is
	// ready.
	tb.run(chromedp.Navigate(tb.base + "/ogc/collections/strikes/items?f=html"))
	// The basemap has loaded when paths beyond the features' circles are
	// drawn.
	n := poll[int](tb, `(function () {
		var p = document.querySelectorAll('#ogc-map path').length;
		return p > `+itoa(len(d.Strikes))+` ? p : null;
	})()`, 20*time.Second)
	if n == 0 {
		t.Fatal("the basemap was not drawn")
	}
	// The basemap's areas are filled, never outlined: they are clipped to
	// the basemap's region, and their outline drew that clip as a grey
	// box round the map. Only borders and rivers are lines.
	if outlined := eval[[]string](tb, `Array.from(document.querySelectorAll('#ogc-map path:not(.leaflet-interactive)')).filter(function (p) {
		var cs = getComputedStyle(p);
		return cs.stroke !== 'none' && parseFloat(cs.strokeWidth) > 0 && !p.classList.contains('bm-border') && !p.classList.contains('bm-river');
	}).map(function (p) { return (p.getAttribute('class') || '(no class)') + ' ' + p.getAttribute('stroke'); })`); len(outlined) != 0 {
		t.Errorf("%d basemap areas are outlined (their clip edge shows as a box): %v", len(outlined), outlined)
	}
	// And the land is under the borders and rivers, not over them.
	if hidden := eval[int](tb, `(function () {
		var lines = Array.from(document.querySelectorAll('#ogc-map path.bm-border, #ogc-map path.bm-river'));
		var areas = Array.from(document.querySelectorAll('#ogc-map path.bm-land, #ogc-map path.bm-country'));
		if (!lines.length || !areas.length) { return -1; }
		return lines.filter(function (l) { return areas.some(function (a) { return a.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_PRECEDING; }); }).length;
	})()`); hidden != 0 {
		t.Errorf("%d of the basemap's lines are under its land (-1: no lines or land drawn)", hidden)
	}
	if pins := eval[int](tb, `document.querySelectorAll('#ogc-map .leaflet-marker-icon').length`); pins != 0 {
		t.Errorf("%d pins on the map of %d strikes: the basemap's places are drawn as features", pins, len(d.Strikes))
	}
	if circles := eval[int](tb, `document.querySelectorAll('#ogc-map path.leaflet-interactive').length`); circles != len(d.Strikes) {
		t.Errorf("%d feature circles, want the %d strikes", circles, len(d.Strikes))
	}
	tb.checkClean()
}

// TestLeafletAttributionSharedInBrowser: every Leaflet map credits Leaflet
// the same way (one setup, js/leaflet-setup.js): the OGC page's small map
// showed Leaflet's default prefix, a flag and a link, unlike the map page;
// and it drew the offline basemap without crediting it.
func TestLeafletAttributionSharedInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	prefix := func(tb *tab, sel string) string {
		return poll[string](tb, `(function () {
			var a = document.querySelector('`+sel+` .leaflet-control-attribution');
			if (!a || !a.textContent) { return null; }
			var links = Array.from(a.querySelectorAll('a[href="https://leafletjs.com"]'));
			return (a.querySelector('svg') ? 'svg ' : '') + links.map(function (l) { return l.outerHTML; }).join(' ');
		})()`, 20*time.Second)
	}
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	main := prefix(tb, "#map")
	if main != `<a href="https://leafletjs.com">Leaflet</a>` {
		t.Errorf("the map page credits Leaflet as %q", main)
	}
	ogc := b.newTab(t, 375, 740)
	ogc.run(chromedp.Navigate(ogc.base + "/ogc/collections/incidents/items?f=html"))
	if got := prefix(ogc, "#ogc-map"); got != main {
		t.Errorf("the OGC map credits Leaflet as %q, the map page as %q", got, main)
	}
	credit := poll[string](ogc, `(function () {
		var a = document.querySelector('#ogc-map .leaflet-control-attribution');
		return a && a.textContent.indexOf('Natural Earth') >= 0 ? a.textContent : null;
	})()`, 20*time.Second)
	if credit == "" {
		t.Error("the OGC map does not credit its basemap")
	}
	ogc.checkClean()
}
