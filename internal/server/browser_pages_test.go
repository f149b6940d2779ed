package server

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"strikemap/internal/geo"
)

// overflowProbe measures what a reader of a narrow screen notices: the page
// scrolling sideways, any element whose visible right edge is past the
// viewport (clipped by no scrolling or hidden ancestor), and any box that
// scrolls sideways inside the page.
const overflowProbe = `(function () {
	var W = document.documentElement.clientWidth, bad = [];
	function name(e) {
		var s = e.tagName.toLowerCase();
		if (e.id) { s += '#' + e.id; }
		if (typeof e.className === 'string' && e.className) { s += '.' + e.className.trim().split(/\s+/).join('.'); }
		var text = (e.textContent || '').trim().slice(0, 40);
		return text ? s + ' "' + text + '"' : s;
	}
	document.body.querySelectorAll('*').forEach(function (e) {
		var r = e.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) { return; }
		var right = r.right;
		for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
			if (getComputedStyle(a).overflowX !== 'visible') { right = Math.min(right, a.getBoundingClientRect().right); }
		}
		if (right > W + 0.5) { bad.push(name(e) + ' ends at ' + Math.round(r.right) + ' px'); }
		var cs = getComputedStyle(e);
		if ((cs.overflowX === 'auto' || cs.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1 && !e.closest('.leaflet-container')) {
			bad.push(name(e) + ' scrolls sideways: ' + e.scrollWidth + ' px in ' + e.clientWidth);
		}
	});
	return {scroll: document.documentElement.scrollWidth, width: W, bad: bad.slice(0, 8), count: bad.length};
})()`

// TestServerPagesFitAPhone opens every kind of server-rendered page (a base
// report, a busy base's report, an incident, the OGC API's landing,
// collections, collection, queryables, items and item pages, conformance,
// API definition, an error page) at 320 and 375 px: nothing may scroll
// sideways, and no element may end past the screen's right edge.
func TestServerPagesFitAPhone(t *testing.T) {
	b := newBrowser(t, offlineServer(t))
	busy := httptest.NewServer(syntheticServer(t, 8000))
	t.Cleanup(busy.Close)
	busiest := busiestBase(busy.Config.Handler.(*Server).store.Dataset())

	pages := []struct{ server, path string }{
		{b.server.URL, "/bases/ain-al-asad"},
		{busy.URL, "/bases/" + busiest},
		{busy.URL, "/bases/" + busiest + "?page=2"},
		{b.server.URL, "/incidents/2023-10-18-harir-drone"},
		{b.server.URL, "/incidents/2023-10-18-ain-al-asad-drones"},
		{b.server.URL, "/ogc?f=html"},
		{b.server.URL, "/ogc/conformance?f=html"},
		{b.server.URL, "/ogc/api?f=html"},
		{b.server.URL, "/ogc/collections?f=html"},
		{b.server.URL, "/ogc/collections/incidents?f=html"},
		{b.server.URL, "/ogc/collections/incidents/queryables?f=html"},
		{b.server.URL, "/ogc/collections/incidents/items?f=html"},
		{b.server.URL, "/ogc/collections/incidents/items/2023-10-18-ain-al-asad-drones?f=html"},
		{b.server.URL, "/ogc/collections/bases/items?f=html"},
		{b.server.URL, "/ogc/collections/bases/items/baghdad-dsc?f=html"},
		{b.server.URL, "/bases/nowhere"},
	}
	for _, width := range []int64{320, 375} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tb := b.newTab(t, width, 740)
			for _, p := range pages {
				tb.run(chromedp.Navigate(p.server + p.path))
				poll[bool](tb, `document.readyState === 'complete'`, 20*time.Second)
				m := eval[struct {
					Scroll, Width, Count int
					Bad                  []string
				}](tb, overflowProbe)
				if m.Scroll > m.Width || m.Count > 0 {
					t.Errorf("%s at %d px: the page is %d px wide in a %d px screen; %d elements overflow: %s",
						p.path, width, m.Scroll, m.Width, m.Count, strings.Join(m.Bad, "; "))
				}
			}
		})
	}
}

// busiestBase is the id of the base with the most incidents.
func busiestBase(d *geo.Dataset) string {
	var id string
	most := -1
	for _, b := range d.Bases {
		if n := d.Count(geo.Filter{Bases: []string{b.ID}}); n > most {
			id, most = b.ID, n
		}
	}
	return id
}
