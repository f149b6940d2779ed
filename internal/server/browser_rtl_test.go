package server

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"strikemap/internal/catalog"
	"strikemap/web/messages"
)

// rtlLocale is a pseudo-locale reachable only in tests: English words laid
// out right to left (as Chromium's own "ar-XB" pseudo-bidi locale), which
// shows what an Arabic or Kurdish catalog will get before one exists.
const rtlLocale = "ar-XB"

// withRTLCatalog serves, for the rest of the test, the embedded catalogs
// and rtlLocale, which a request for it in Accept-Language gets. The test
// must not be parallel: the catalogs are the package's.
func withRTLCatalog(t *testing.T) {
	t.Helper()
	en, err := messages.FS.ReadFile("en.json")
	if err != nil {
		t.Fatal(err)
	}
	set, err := catalog.LoadSet(fstest.MapFS{
		"en.json":           {Data: en},
		rtlLocale + ".json": {Data: []byte(`{"locale":"` + rtlLocale + `","dir":"rtl","messages":{}}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	before := catalog.Default
	catalog.Default = set
	t.Cleanup(func() { catalog.Default = before })
}

// acceptLanguage makes the tab ask for lang on every request.
func acceptLanguage(lang string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}})
		return err
	})
}

// rtlLayoutJS measures the page as a reader of a right-to-left language
// sees it: what scrolls sideways, which side the panel is on, and any
// element of the panel or of a popup that sticks out of it.
const rtlLayoutJS = `(() => {
  const out = [];
  const de = document.documentElement, vw = de.clientWidth;
  if (de.dir !== 'rtl') { out.push('html dir=' + JSON.stringify(de.dir)); }
  if (de.scrollWidth > vw + 1) { out.push('the page scrolls sideways: ' + de.scrollWidth + ' px wide in ' + vw); }
  const panel = document.getElementById('panel').getBoundingClientRect();
  if (Math.abs(panel.right - vw) > 1) { out.push('the panel is not on the inline-start (right) side: ' + Math.round(panel.left) + '-' + Math.round(panel.right) + ' of ' + vw); }
  const inside = (sel, box, what) => document.querySelectorAll(sel).forEach((e) => {
    if (e.closest('.visually-hidden, [hidden], .cluster-keys')) { return; }
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height) { return; }
    if (r.left < box.left - 1 || r.right > box.right + 1) {
      out.push(what + ': ' + e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + (e.getAttribute('class') || '') + ' ' + JSON.stringify((e.textContent || '').trim().slice(0, 30)) + ' spans ' + Math.round(r.left) + '-' + Math.round(r.right) + ', outside ' + Math.round(box.left) + '-' + Math.round(box.right));
    }
  });
  inside('#panel *', panel, 'panel');
  const popup = document.querySelector('.leaflet-popup-content-wrapper');
  if (popup) {
    const map = document.getElementById('map').getBoundingClientRect();
    inside('.leaflet-popup-content-wrapper', map, 'popup');
    inside('.leaflet-popup-content *', popup.getBoundingClientRect(), 'popup text');
  }
  return out;
})()`

// TestRightToLeftInBrowser serves the map page in a right-to-left catalog
// at a desktop's and a phone's width: <html dir> is the catalog's, nothing
// scrolls sideways, the panel (the phone's drawer) sits on the inline-start
// side, a popup and the panel's content stay inside their boxes, and the
// timeline's brush still selects the days dragged over. Time runs left to
// right, as the map's east-west does: the histogram is a map of time
// beside a map of space, and Arabic charts of dates commonly keep it so.
// Before, the stylesheet's physical left and right put the phone's drawer
// off screen on the wrong side, and the desktop's panel border and list
// cells on the wrong sides.
func TestRightToLeftInBrowser(t *testing.T) {
	withRTLCatalog(t)
	b := newBrowser(t, offlineServer(t))
	const sel = "2023-10-23-al-tanf-drones"
	for _, size := range [][2]int64{{1280, 800}, {375, 740}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tb := b.newTab(t, size[0], size[1])
			tb.run(acceptLanguage(rtlLocale))
			phone := size[0] < 700
			// A popup open, as a shared link to an incident opens it.
			tb.open("/?sel=" + sel)
			tb.run(chromedp.WaitVisible(chromedp.CSS(`.incident-popup`)))
			if phone {
				tb.run(chromedp.Click(chromedp.CSS(`#filters-toggle`)))
				poll[bool](tb, `(() => { const p = document.getElementById('panel'); return p.classList.contains('open') && Math.abs(p.getBoundingClientRect().right - document.documentElement.clientWidth) < 1; })()`, 5*time.Second)
			}
			for _, p := range eval[[]string](tb, rtlLayoutJS) {
				t.Error(p)
			}
			// STRIKEMAP_RTL_SHOTS=DIR keeps a screenshot of each width, to look at.
			if dir := os.Getenv("STRIKEMAP_RTL_SHOTS"); dir != "" {
				png := value(tb, chromedp.CaptureScreenshot())
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("rtl-%d.png", size[0])), png, 0o644); err != nil {
					t.Error(err)
				}
			}
			// The brush: dragging from the bar of 1 November to that of 20
			// December, left to right, selects from the first bar's first
			// day to the second's last.
			bar := func(day string) (float64, float64, string, string) {
				v := eval[[]any](tb, fmt.Sprintf(`(function () { var r = Array.from(document.querySelectorAll('#histogram rect.bar')).find(function (r) { return r.dataset.from <= %[1]q && %[1]q <= r.dataset.to; }); r.scrollIntoView({block: 'center'}); var b = r.getBoundingClientRect(), s = document.querySelector('#histogram svg').getBoundingClientRect(); return [b.left + b.width / 2, s.top + s.height / 3, r.dataset.from, r.dataset.to]; })()`, day))
				return v[0].(float64), v[1].(float64), v[2].(string), v[3].(string)
			}
			x0, y, from, _ := bar("2023-11-01")
			x1, _, _, to := bar("2023-12-20")
			if x1 <= x0 {
				t.Errorf("the timeline runs right to left: 1 Nov at x=%.0f, 20 Dec at x=%.0f", x0, x1)
			}
			tb.run(mouseDrag(x0, y, x1, y))
			tb.settle()
			q, _ := url.ParseQuery(strings.TrimPrefix(eval[string](tb, `location.search`), "?"))
			if q.Get("from") != from || q.Get("to") != to {
				t.Errorf("after dragging from the bar of 1 Nov to that of 20 Dec the URL says from=%s to=%s, want %s to %s", q.Get("from"), q.Get("to"), from, to)
			}
			tb.checkClean()
		})
	}
}
