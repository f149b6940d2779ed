package server

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"strikemap/data"
	"strikemap/internal/geo"
)

// A map page learns of a new version from /api/events and offers to
// refresh, on screen and clear of the panel's controls; the refresh shows
// the new data. The embed dialog pins its snippet to the version shown.
func TestLiveRefreshInBrowser(t *testing.T) {
	t.Parallel()
	f := newVersionedServer(t)
	b := newBrowser(t, f.s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	// The stream opens once a reader uses the page (TestEventStreamInBrowser).
	tb.run(chromedp.Click(chromedp.CSS(`.topbar .brand`)))
	// The stream's first event, the version shown, has come and been read.
	first := poll[string](tb, `window.__sse.length === 1 && window.__sse[0].versions.length > 0 && window.__sse[0].versions[0]`, 20*time.Second)
	if first != f.gs.Dataset().Version {
		t.Errorf("the stream's first event names version %q, want the one shown, %s", first, f.gs.Dataset().Version)
	}
	if eval[bool](tb, `!!document.getElementById('live-refresh')`) {
		t.Fatal("a refresh is offered before the data changed")
	}
	tb.run(chromedp.Click(chromedp.CSS(`#embed-open`)), chromedp.WaitVisible(chromedp.CSS(`#embed-dialog`)))
	src := eval[string](tb, `document.getElementById('embed-preview').href`)
	u, err := url.Parse(src)
	if err != nil || u.Query().Get("as_of") != "3" || u.Query().Has("v") {
		t.Errorf("the embed snippet's URL %s: want it pinned, as_of=3", src)
	}
	tb.run(chromedp.Evaluate[chromedp.Void](`document.getElementById('embed-dialog').close()`))

	// A new dataset is served, as the follower or a -data reload does.
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	f.gs.Replace(d, time.Now())
	poll[bool](tb, `!!document.getElementById('live-refresh')`, 20*time.Second)
	if got := eval[string](tb, `document.getElementById('live-refresh').textContent`); got != "New data: refresh" {
		t.Errorf("the button says %q", got)
	}
	r := rectOf(tb, `#live-refresh`)
	vw, vh := eval[float64](tb, `window.innerWidth`), eval[float64](tb, `window.innerHeight`)
	if r.Left < 0 || r.Top < 0 || r.Right > vw || r.Bottom > vh || r.Width < 40 {
		t.Errorf("the button is at %+v in a %.0f×%.0f window", *r, vw, vh)
	}
	// It covers none of the controls a reader uses (the panel's, the
	// zoom, the layers) nor the header's text and the attribution.
	covered := eval[[]string](tb, `(function () {
		var b = document.getElementById('live-refresh').getBoundingClientRect(), out = [];
		document.querySelectorAll('#panel button, #panel input, #panel select, .leaflet-control a, .leaflet-control-layers, .leaflet-control-attribution, .leaflet-control-scale, #filters-toggle, #embed-open, .topbar h1, .topbar .tagline, .topbar a, .topbar button').forEach(function (e) {
			var r = e.getBoundingClientRect();
			if (r.width && r.height && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top) { out.push(e.id || e.className || e.tagName); }
		});
		return out;
	})()`)
	if len(covered) > 0 {
		t.Errorf("the refresh button covers %v", covered)
	}

	tb.run(chromedp.Click(chromedp.CSS(`#live-refresh`)))
	// The page reloads: ask until the new page answers (a question put
	// while the old one goes fails, and is put again).
	shown := ""
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && shown != d.Version; time.Sleep(100 * time.Millisecond) {
		shown, _ = chromedp.Run(tb.ctx, chromedp.Evaluate[string](`(function () { var c = document.getElementById('map-config'); return c ? JSON.parse(c.textContent).version : ''; })()`))
	}
	if shown != d.Version {
		t.Fatalf("after the refresh the page shows version %q, want %s", shown, d.Version)
	}
	tb.settle()
	tb.checkClean()
}

// A page at an old version asks every request for that version, offers no
// refresh, and an embed there says when its data was published.
func TestPinnedVersionInBrowser(t *testing.T) {
	t.Parallel()
	f := newVersionedServer(t)
	b := newBrowser(t, f.s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/?as_of=1")
	urls := eval[[]string](tb, `performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/api/'))`)
	if len(urls) < 3 {
		t.Fatalf("the page made %d API requests: %v", len(urls), urls)
	}
	for _, u := range urls {
		if !strings.Contains(u, "as_of=1") {
			t.Errorf("a request at another version than the page's: %s", u)
		}
	}
	if got := eval[int](tb, `document.querySelectorAll('#map .incident-marker').length`); got != len(apiIDs(t, b.server.URL, "as_of=1")) {
		t.Errorf("the map shows %d incidents, version 1 has %d", got, len(apiIDs(t, b.server.URL, "as_of=1")))
	}
	// A pinned page opens no event stream, so no new version can reach
	// it; should it open one, wait until the new version has come by it.
	// (A reader has used the page: a live one would have opened it now.)
	tb.run(chromedp.Click(chromedp.CSS(`.topbar .brand`)))
	d, _ := geo.Load(data.FS)
	f.gs.Replace(d, time.Now())
	poll[bool](tb, fmt.Sprintf(`window.__sse.length === 0 || window.__sse.every(function (s) { return s.versions.includes(%q); })`, d.Version), 20*time.Second)
	if eval[bool](tb, `!!document.getElementById('live-refresh')`) {
		t.Error("a page pinned to a version offers to refresh")
	}
	if !strings.Contains(eval[string](tb, `location.search`), "as_of=1") {
		t.Errorf("the page's URL lost its version: %s", eval[string](tb, `location.search`))
	}
	// It says which version it shows, in the window, and links to the same
	// view (the page's own query) without the version.
	if note := rectOf(tb, `.asof-note`); note == nil || note.Top < 0 || note.Right > 1280 || note.Height < 10 {
		t.Errorf("the page's notice is at %+v", note)
	}
	if link, search := eval[string](tb, `document.getElementById('asof-current').search`), eval[string](tb, `location.search`); link != strings.Replace(strings.Replace(search, "as_of=1&", "", 1), "&as_of=1", "", 1) || !strings.Contains(link, "map=") {
		t.Errorf("the notice links to %q; the page is at %q", link, search)
	}
	tb.checkClean()

	em := b.newTab(t, 600, 400)
	em.open("/embed?as_of=1&legend=0")
	note := rectOf(em, `.embed-asof`)
	if note == nil || note.Top < 0 || note.Right > 600 || note.Height < 10 {
		t.Errorf("the embed's notice is at %+v", note)
	}
	href := eval[string](em, `document.querySelector('.embed-asof a').href`)
	if href != b.server.URL+"/" {
		t.Errorf("the notice links to %s", href)
	}
	em.checkClean()
}
