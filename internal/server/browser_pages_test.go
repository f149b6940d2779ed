package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
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
	t.Parallel()
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

// timelineProbe measures the report's visible timeline chart: its bars'
// rendered widths, its heading, and whether any two axis labels overlap.
const timelineProbe = `(function () {
	var svg = Array.from(document.querySelectorAll('svg.timeline-chart')).find(function (s) { return getComputedStyle(s).display !== 'none'; });
	if (!svg) { return null; }
	var widths = Array.from(svg.querySelectorAll('rect.bar')).map(function (r) { return r.getBoundingClientRect().width; });
	var labels = Array.from(svg.querySelectorAll('text.tick')).map(function (t) { return t.getBoundingClientRect(); });
	var overlaps = 0;
	for (var i = 0; i < labels.length; i++) {
		for (var j = i + 1; j < labels.length; j++) {
			var a = labels[i], b = labels[j];
			if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) { overlaps++; }
		}
	}
	var box = svg.getBoundingClientRect();
	return {bars: widths.length, narrowest: Math.min.apply(null, widths), heading: document.querySelector('h2.timeline-title, .report h2:nth-of-type(2)').innerText.trim(),
		bin: svg.dataset.bin || '', labels: labels.length, overlaps: overlaps, fontPx: Math.min.apply(null, labels.map(function (l) { return l.height; })),
		width: box.width};
})()`

// TestReportTimelineReadable opens the report of a base attacked over
// eleven years, and of one attacked over five days, at desktop and phone
// widths: every bar must be at least 3 px wide, the heading must name the
// bin the bars count, and the time axis must carry labels that do not
// overlap.
func TestReportTimelineReadable(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, octoberServer(t))
	busy := httptest.NewServer(syntheticServer(t, 8000))
	t.Cleanup(busy.Close)
	busiest := busiestBase(busy.Config.Handler.(*Server).store.Dataset())
	for _, tc := range []struct {
		url   string
		width int64
		bin   string
	}{
		{busy.URL + "/bases/" + busiest, 1280, "month"},
		{busy.URL + "/bases/" + busiest, 375, "quarter"},
		{busy.URL + "/bases/" + busiest, 320, "quarter"},
		{b.server.URL + "/bases/ain-al-asad", 1280, "day"},
		{b.server.URL + "/bases/ain-al-asad", 320, "day"},
	} {
		t.Run(fmt.Sprintf("%s at %d", tc.url[strings.LastIndex(tc.url, "/")+1:], tc.width), func(t *testing.T) {
			tb := b.newTab(t, tc.width, 800)
			tb.run(chromedp.Navigate(tc.url))
			poll[bool](tb, `document.readyState === 'complete'`, 20*time.Second)
			m := eval[*struct {
				Bars, Labels, Overlaps int
				Narrowest, FontPx      float64
				Heading, Bin           string
				Width                  float64
			}](tb, timelineProbe)
			if m == nil {
				t.Fatal("no timeline chart is shown")
			}
			if m.Narrowest < 3 {
				t.Errorf("%d bars, the narrowest %.2f px wide; want every bar at least 3 px", m.Bars, m.Narrowest)
			}
			if m.Bin != tc.bin || m.Heading != "Attacks per "+tc.bin {
				t.Errorf("the chart counts per %q under the heading %q; want per %s", m.Bin, m.Heading, tc.bin)
			}
			if m.Labels < 4 || m.Overlaps > 0 || m.FontPx < 9 {
				t.Errorf("%d axis labels, %d overlapping, %.1f px high; want at least 4 (two counts, two dates), none overlapping, at least 9 px", m.Labels, m.Overlaps, m.FontPx)
			}
			if m.Width > float64(tc.width) {
				t.Errorf("the chart is %.0f px wide in a %d px screen", m.Width, tc.width)
			}
			tb.checkClean()
		})
	}
}

// TestIncidentPageInBrowser opens an incident's page at desktop and phone
// widths: its own symbol must sit, ringed, at the centre of the map drawn
// round it, and Copy must put the absolute permalink on the clipboard.
func TestIncidentPageInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	const id = "2023-10-23-al-tanf-drones"
	for _, width := range []int64{1280, 375} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tb := b.newTab(t, width, 800)
			tb.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				for _, name := range []string{"clipboard-read", "clipboard-write"} {
					if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
						Permission: &cdpbrowser.PermissionDescriptor{Name: name}, Setting: cdpbrowser.PermissionSettingGranted, Origin: tb.base,
						// Each tab has a browser context of its own: the grant is for it.
						BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
					}); err != nil {
						return err
					}
				}
				return nil
			}))
			tb.run(chromedp.Navigate(tb.base + "/incidents/" + id))
			poll[bool](tb, `document.readyState === 'complete' && document.querySelector('.incident-map img').complete`, 20*time.Second)
			m := eval[map[string]float64](tb, `(function () {
				var img = document.querySelector('.incident-map img'), pin = document.querySelector('.incident-pin .sym');
				if (!img || !pin) { return {}; }
				var a = img.getBoundingClientRect(), p = pin.getBoundingClientRect();
				return {loaded: img.naturalWidth, dx: (p.left + p.right) / 2 - (a.left + a.right) / 2, dy: (p.top + p.bottom) / 2 - (a.top + a.bottom) / 2, size: p.width};
			})()`)
			if m["loaded"] == 0 || m["dx"] < -1 || m["dx"] > 1 || m["dy"] < -1 || m["dy"] > 1 || m["size"] < 16 {
				t.Errorf("the incident's symbol is %.1f px, %.1f, %.1f px from the centre of its map (image %v px wide); want it at the centre, at least 16 px", m["size"], m["dx"], m["dy"], m["loaded"])
			}
			tb.run(chromedp.Click(chromedp.CSS(`#permalink-copy`)))
			status := poll[string](tb, `document.getElementById('permalink-status').textContent`, 5*time.Second)
			copied := value(tb, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
			if want := tb.base + "/incidents/" + id; status != "Copied" || copied != want {
				t.Errorf("Copy says %q and put %q on the clipboard; want %q", status, copied, want)
			}
			tb.checkClean()
		})
	}
}
