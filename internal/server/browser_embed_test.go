package server

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The embed as a report page gets it, and the map page on a phone: what a
// reader notices (a page that scrolls sideways, a popup past the screen's
// edge, a header that eats the map, a base outside the first view).

// box is an element's place on the screen, in CSS pixels.
type box struct{ Left, Top, Right, Bottom, Width, Height float64 }

// rectJS is a JavaScript function returning an element's box, or null.
const rectJS = `function (e) { if (!e) { return null; } var r = e.getBoundingClientRect(); return {Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom, Width: r.width, Height: r.height}; }`

func rectOf(tb *tab, selector string) *box {
	tb.t.Helper()
	return eval[*box](tb, fmt.Sprintf(`(%s)(document.querySelector(%q))`, rectJS, selector))
}

// checkNoSideways fails when the page scrolls sideways. (The drawer's
// incident list is browser_list_test.go's.)
func checkNoSideways(tb *tab, what string) {
	tb.t.Helper()
	w := eval[map[string]float64](tb, `({doc: document.scrollingElement.scrollWidth, view: window.innerWidth})`)
	if w["doc"] > w["view"] {
		tb.t.Errorf("%s: scrolls sideways: the page is %v px wide in a %v px window", what, w["doc"], w["view"])
	}
}

// checkPopupOnScreen waits for the open popup to settle (autopan) and
// fails unless it lies inside the window.
func checkPopupOnScreen(tb *tab, what string) {
	tb.t.Helper()
	poll[bool](tb, `!!document.querySelector('.leaflet-popup') && `+mapStill, 10*time.Second)
	r := rectOf(tb, `.leaflet-popup-content-wrapper`)
	vw := eval[float64](tb, `window.innerWidth`)
	if r.Width > vw || r.Left < 0 || r.Right > vw {
		tb.t.Errorf("%s: the popup is %.0f px wide, from x=%.0f to %.0f, in a %.0f px window", what, r.Width, r.Left, r.Right, vw)
	}
}

// TestPhoneInBrowser opens the map page and the embed at phone widths:
// nothing scrolls sideways, popups fit the screen, the header leaves the
// map its height, and the drawer closes by its button or a tap on the map.
func TestPhoneInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	const incident = "2023-10-18-ain-al-asad-drones" // the longest popup: five sources
	for _, w := range []int64{320, 375} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			tb := b.newTab(t, w, 740)
			tb.open("/?sel=" + incident)
			checkPopupOnScreen(tb, "map page popup")
			checkNoSideways(tb, "map page")
			if h := rectOf(tb, `.topbar`).Height; h > 0.12*740 {
				t.Errorf("the header is %.0f px high, %.0f %% of a 740 px screen; want at most 12 %%", h, 100*h/740)
			}

			// The closed drawer is not drawn, and its list is neither asked
			// for nor made: a redraw of the map costs a phone nothing for
			// them (checkVisibility is false only for what is not rendered:
			// visibility: hidden alone would still be laid out).
			if eval[bool](tb, `document.getElementById('filters').checkVisibility()`) {
				t.Error("the closed drawer's filters are rendered")
			}
			if n := len(tb.listRequests()); n != 0 || eval[int](tb, `document.querySelectorAll('#incident-list tbody tr').length`) != 0 ||
				eval[string](tb, `document.getElementById('incident-list').dataset.pending || ''`) != "1" {
				t.Errorf("with the drawer closed the list was asked for %d times, or drawn, or not marked as waiting", n)
			}
			if eval[bool](tb, `!!document.querySelector('#histogram svg')`) {
				t.Error("the closed drawer's histogram was drawn")
			}
			if d := eval[string](tb, `document.getElementById('map-date').textContent`); d == "" {
				t.Error("with the drawer closed the map shows no date")
			}

			open := `document.getElementById('panel').classList.contains('open')`
			// Open, and slid in: the drawer moves for a fifth of a second.
			opened := open + ` && document.getElementById('panel').getBoundingClientRect().left === 0`
			tb.run(chromedp.Click(chromedp.CSS(`#filters-toggle`)))
			poll[bool](tb, opened, 5*time.Second)
			checkNoSideways(tb, "open drawer")
			if !eval[bool](tb, `document.getElementById('filters').checkVisibility()`) {
				t.Error("the open drawer's filters are not rendered")
			}
			if n := eval[int](tb, `document.querySelectorAll('#histogram svg rect.bar').length`); n == 0 {
				t.Error("the opened drawer's histogram has no bars")
			}
			// Opened, the drawer draws its list: the page it asks for.
			poll[bool](tb, listDrawn, 10*time.Second)
			asked := tb.listRequests()
			if len(asked) == 0 {
				t.Fatal("the opened drawer did not ask for its list")
			}
			q := asked[len(asked)-1].RawQuery
			if got, want := slices.Sorted(slices.Values(tb.listIDs())), apiIDs(t, tb.base, q); len(got) == 0 || !slices.Equal(got, want) {
				t.Errorf("the opened drawer's list holds %v, want what it asked for (%s): %v", got, q, want)
			}
			if r := rectOf(tb, `#drawer-close`); r == nil || r.Width == 0 || r.Right > float64(w) || r.Top < 0 {
				t.Fatalf("the drawer has no close button in sight: %+v", r)
			}
			tb.run(chromedp.Click(chromedp.CSS(`#drawer-close`)))
			if eval[bool](tb, open) || eval[string](tb, `document.getElementById('filters-toggle').getAttribute('aria-expanded')`) != "false" {
				t.Error("the close button left the drawer open")
			}
			if id := eval[string](tb, `document.activeElement.id`); id != "filters-toggle" {
				t.Errorf("after closing the drawer, focus is on %q, not its toggle", id)
			}
			tb.run(chromedp.Click(chromedp.CSS(`#filters-toggle`)))
			poll[bool](tb, opened, 5*time.Second)
			// A tap on the map beside the drawer (a few pixels from the
			// right edge, halfway down) closes it.
			tb.run(chromedp.MouseClickXY(float64(w)-8, 400))
			if eval[bool](tb, open) {
				t.Error("a tap on the map beside the drawer left it open")
			}

			tb.open("/embed?sel=" + incident)
			checkPopupOnScreen(tb, "embed popup")
			checkNoSideways(tb, "embed")
			tb.checkClean()
		})
	}
}

// checkBasesInView fails unless every base is inside the map as first
// shown (TestFirstViewInBrowser).
func checkBasesInView(t *testing.T, tb *tab) {
	t.Helper()
	m := rectOf(tb, `#map`)
	bases := eval[map[string]*box](tb, `(function () { var out = {}; document.querySelectorAll('#map .base-marker').forEach(function (e) {
		out[e.dataset.id] = (`+rectJS+`)(e.closest('.base-icon')); }); return out; })()`)
	if len(bases) == 0 {
		t.Fatal("no base markers")
	}
	for id, r := range bases {
		if r.Left < m.Left || r.Right > m.Right || r.Top < m.Top || r.Bottom > m.Bottom {
			t.Errorf("base %s is at x %.0f–%.0f, y %.0f–%.0f, outside the map's x %.0f–%.0f, y %.0f–%.0f", id, r.Left, r.Right, r.Top, r.Bottom, m.Left, m.Right, m.Top, m.Bottom)
		}
	}
}

// TestDisputedInWordsInBrowser opens an incident whose sources disagree:
// the popup names what they disagree on in words, not the data's fields.
func TestDisputedInWordsInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/?sel=2023-10-18-harir-drone") // disputed: injured, claimed_by
	poll[bool](tb, `!!document.querySelector('.leaflet-popup .disputed-fields')`, 10*time.Second)
	if got := eval[string](tb, `document.querySelector('.leaflet-popup .disputed-fields').textContent`); got != "injured, who claimed it" {
		t.Errorf("Disputed: %q, want %q", got, "injured, who claimed it")
	}
	tb.checkClean()
}

// TestEmbedHostInBrowser puts the embed dialog's default snippet in a
// phone-wide column of a host page on another loopback origin: the iframe
// takes the embed's height from its messages, ignores the same messages
// from any other origin, and fits the column. The embed itself shows a
// closed legend of only what it shows and a caption of its dates, filters
// and dataset version.
func TestEmbedHostInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	origin := b.server.URL
	const view = "/?weapon=drone,rocket&status=confirmed,reported&from=2023-10-18&to=2023-10-25"

	// The snippet, as the dialog offers it by default.
	tb := b.newTab(t, 1280, 800)
	tb.open(view)
	tb.run(chromedp.Click(chromedp.CSS(`#embed-open`)), chromedp.WaitVisible(chromedp.CSS(`#embed-dialog`)))
	snippet := eval[string](tb, `document.getElementById('embed-code').value`)
	if !strings.Contains(snippet, `width="100%"`) || !strings.Contains(snippet, `data-strikemap-height="auto"`) ||
		!strings.HasSuffix(snippet, `<script src="`+origin+`/static/js/embed-host.js" async></script>`) {
		t.Fatalf("the default snippet is not responsive with the host script: %s", snippet)
	}
	src := strings.ReplaceAll(snippet[strings.Index(snippet, `src="`)+5:strings.Index(snippet, `" width`)], "&amp;", "&")
	tb.checkClean()

	// Another origin posts the same message to its parent, as a hostile
	// or unrelated frame could.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><title>other</title><p>other</p>
<script>setInterval(function () { parent.postMessage({type: 'strikemap:height', height: 3000}, '*'); }, 50);</script>`)
	}))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) // a third origin
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>a report</title></head>
<body style="margin:0; font: 16px serif">
<script>window.heights = []; window.rendered = 0; addEventListener('message', function (e) {
  if (e.data && e.data.type === 'strikemap:rendered') { window.rendered++; }
  if (e.data && e.data.type === 'strikemap:height') { window.heights.push({origin: e.origin, height: e.data.height}); } });
setInterval(function () { window.postMessage({type: 'strikemap:height', height: 3000}, '*'); }, 50);</script>
<article id="column" style="padding: 0 16px"><h1>A report</h1><p>Text before the map.</p>
%s
<iframe id="other" src=%q height="150" style="border:0" data-strikemap-height="auto"></iframe>
<p>Text after the map.</p></article></body></html>`, snippet, otherURL)
	}))
	defer host.Close()

	phone := b.newTab(t, 375, 740)
	phone.run(chromedp.Navigate(host.URL))
	frame := `document.querySelector('#column iframe[data-strikemap-height]')`
	// Once the embed has drawn its data (and the messages of the other
	// origins have come), the iframe has the height the embed last asked for.
	last := `(function () { var mine = window.heights.filter(function (m) { return m.origin === ` + fmt.Sprintf("%q", origin) + `; });
		return mine.length ? mine[mine.length - 1].height : 0; })()`
	// The host resizes the iframe as each message comes: wait until it has
	// the last height asked for (the other origins' messages have come by
	// then too), and say both if it never does.
	if !phone.waitFor(`window.rendered > 0 && window.heights.some(function (m) { return m.origin === ` + fmt.Sprintf("%q", otherURL) + `; }) && ` + last + ` > 0 && ` + frame + `.offsetHeight === ` + last) {
		t.Errorf("the embed's iframe is %v px high; the embed last asked for %v px", eval[float64](phone, frame+`.offsetHeight`), eval[float64](phone, last))
	}
	h := eval[float64](phone, last)
	if got := eval[float64](phone, `document.getElementById('other').offsetHeight`); got != 150 {
		t.Errorf("a frame of another origin was resized to %v px by its own message", got)
	}
	// It fits the phone's column.
	col := rectOf(phone, `#column`)
	fr := eval[*box](phone, `(`+rectJS+`)(`+frame+`)`)
	if fr.Left < col.Left || fr.Right > col.Right-16 {
		t.Errorf("the iframe runs from x=%.0f to %.0f, past the column's text (%.0f to %.0f)", fr.Left, fr.Right, col.Left+16, col.Right-16)
	}
	checkNoSideways(phone, "host page")

	// The embed at the iframe's size is as tall as the height it asked for.
	u, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	direct := b.newTab(t, int64(fr.Width), 740)
	direct.open(u.RequestURI())
	if content := eval[float64](direct, `document.body.getBoundingClientRect().height`); math.Abs(content-h) > 1 {
		t.Errorf("the iframe is %v px high; the embed's content is %v px", h, content)
	}
	if eval[bool](direct, `document.getElementById('embed-legend').open`) {
		t.Error("the legend is open at first")
	}
	shown := func(attr string) []string {
		return eval[[]string](direct, fmt.Sprintf(`Array.from(document.querySelectorAll('#embed-legend [data-%s]')).filter(function (li) { return !li.hidden; }).map(function (li) { return li.dataset[%q]; }).sort()`, attr, attr))
	}
	if got := shown("weapon"); !slices.Equal(got, []string{"drone", "rocket"}) {
		t.Errorf("the legend lists weapons %v, want the embed's drone and rocket", got)
	}
	if got := shown("status"); !slices.Equal(got, []string{"confirmed", "reported"}) {
		t.Errorf("the legend lists statuses %v, want the embed's confirmed and reported", got)
	}
	if got := shown("layer"); !slices.Equal(got, []string{"bases"}) {
		t.Errorf("the legend lists layers %v, want only the bases shown", got)
	}
	direct.run(chromedp.Click(chromedp.CSS(`#embed-legend summary`)))
	if vis := eval[[]string](direct, `Array.from(document.querySelectorAll('#embed-legend li')).filter(function (li) { return li.offsetHeight > 0; }).map(function (li) { return li.textContent.trim(); })`); len(vis) == 0 || slices.ContainsFunc(vis, func(s string) bool {
		return strings.Contains(s, "Missile") || strings.Contains(s, "Hollow") || strings.Contains(s, "Range rings")
	}) {
		t.Errorf("the open legend shows %q", vis)
	}
	n := len(apiIDs(t, origin, "weapon=drone,rocket&status=confirmed,reported&to=2023-10-25"))
	version := s.store.Dataset().Version
	caption := eval[string](direct, `document.getElementById('embed-caption').textContent`)
	for _, want := range []string{"Oct 18", "25, 2023", "weapon: Drone, Rocket", "status: Confirmed, Reported", fmt.Sprintf("%d incidents", n), "data version " + version} {
		if !strings.Contains(caption, want) {
			t.Errorf("the caption %q does not say %q", caption, want)
		}
	}
	if r, m := rectOf(direct, `#embed-caption`), rectOf(direct, `#map`); r.Top < m.Bottom || r.Right > fr.Width {
		t.Errorf("the caption (%+v) is not below the map (%+v) and inside the embed", r, m)
	}
	checkNoSideways(direct, "embed")
	direct.checkClean()
}
