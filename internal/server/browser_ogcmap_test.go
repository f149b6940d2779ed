package server

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOGCMapShowsOnlyTheFeaturesInBrowser: the small map of an OGC items
// page draws the page's features over the offline basemap's lines and
// areas, and nothing else: the basemap's places were drawn as hundreds of
// Leaflet's default pins, which a reader took for features.
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
		var p = document.querySelectorAll('#ogc-map .leaflet-overlay-pane path').length;
		return p > `+itoa(len(d.Strikes))+` ? p : null;
	})()`, 20*time.Second)
	if n == 0 {
		t.Fatal("the basemap was not drawn")
	}
	if pins := eval[int](tb, `document.querySelectorAll('#ogc-map .leaflet-marker-icon').length`); pins != 0 {
		t.Errorf("%d pins on the map of %d strikes: the basemap's places are drawn as features", pins, len(d.Strikes))
	}
	if circles := eval[int](tb, `document.querySelectorAll('#ogc-map path.leaflet-interactive').length`); circles != len(d.Strikes) {
		t.Errorf("%d feature circles, want the %d strikes", circles, len(d.Strikes))
	}
	tb.checkClean()
}
