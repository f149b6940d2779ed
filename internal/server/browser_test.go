package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/request"
	"strikemap/internal/testenv"
)

// The browser tests drive Debian's Chromium, headless, against the real
// router on a loopback port, with no tile server: the page must work with
// no network at all.

// browser is the site under test, served on a loopback port, and the one
// headless Chromium that every test of the package shares.
type browser struct {
	ctx    context.Context
	server *httptest.Server
}

// newBrowser serves s on a loopback port for the tabs of b. The Chromium
// behind it starts with the first test that needs it and stops in TestMain;
// each tab lives in a browser context of its own, so no cookie, storage or
// cache passes from one test to another.
// requireBrowser returns Chromium's path, or skips t where there is none
// (or STRIKEMAP_BROWSER_TESTS=off, as in .ci/run's race pass). A test that
// builds a large server first calls it before, so as not to build it for
// nothing.
func requireBrowser(t *testing.T) string {
	t.Helper()
	return testenv.Program(t, "STRIKEMAP_BROWSER_TESTS", "chromium", "chromium-browser", "google-chrome")
}

func newBrowser(t *testing.T, s http.Handler) *browser {
	t.Helper()
	exe := requireBrowser(t)
	ctx, err := chromium.start(exe)
	if err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &browser{ctx: ctx, server: ts}
}

// chromium is the package's one headless Chromium, started on first use.
var chromium sharedChromium

type sharedChromium struct {
	once    sync.Once
	ctx     context.Context
	err     error
	dir     string // its profile, removed by stop
	cancel  func()
	started bool
}

func (c *sharedChromium) start(exe string) (context.Context, error) {
	c.once.Do(func() {
		c.dir, c.err = os.MkdirTemp("", "strikemap-chromium-")
		if c.err != nil {
			return
		}
		opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
			chromedp.ExecPath(exe),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.UserDataDir(c.dir),
			chromedp.WindowSize(1280, 800),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		c.ctx, c.cancel, c.started = ctx, func() { cancel(); cancelAlloc() }, true
		c.err = chromedp.Do(ctx)
	})
	return c.ctx, c.err
}

// stop closes Chromium if a test started it.
func (c *sharedChromium) stop() {
	if c.started {
		c.cancel()
	}
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.stop()
	testenv.StopPostgres()
	os.Exit(code)
}

// tabSlots caps the tabs that load pages at once: more than the machine
// has cores only makes each slower, until the slowest times out. A test
// holds one slot from its first tab to its end, shared with its subtests,
// so that a test never waits for a slot that its own parent holds.
var tabSlots = struct {
	sync.Mutex
	free chan struct{}
	held map[string]bool // names of the tests holding a slot
}{free: make(chan struct{}, max(2, goruntime.GOMAXPROCS(0))), held: map[string]bool{}}

// takeSlot waits for a tab slot for t, unless t or a test above it holds one.
func takeSlot(t *testing.T) {
	t.Helper()
	tabSlots.Lock()
	name := t.Name()
	for {
		if tabSlots.held[name] {
			tabSlots.Unlock()
			return
		}
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			break
		}
		name = name[:i]
	}
	tabSlots.Unlock()
	tabSlots.free <- struct{}{}
	tabSlots.Lock()
	tabSlots.held[t.Name()] = true
	tabSlots.Unlock()
	t.Cleanup(func() {
		tabSlots.Lock()
		delete(tabSlots.held, t.Name())
		tabSlots.Unlock()
		<-tabSlots.free
	})
}

// tab is one page with everything it logged.
type tab struct {
	ctx      context.Context
	tabCtx   context.Context // ctx without its deadline, for the screenshot of a failure
	t        *testing.T
	base     string
	mu       sync.Mutex
	problems []string // console errors, exceptions, requests off loopback
	requests []string // every URL the page asked for, in order
}

// cspProbe records Content-Security-Policy violations before any page script runs.
const cspProbe = `window.__csp = []; document.addEventListener('securitypolicyviolation', function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });`

// sseProbe records, before any page script runs, each EventSource the page
// opens and the digests of the "version" events it has received, in
// window.__sse: what a test waits for instead of a while. Its listener is
// added first, so once it has run the page's own has too (one dispatch).
const sseProbe = `window.__sse = []; if (window.EventSource) { const ES = window.EventSource; window.EventSource = class extends ES { constructor(u, o) { super(u, o); const rec = { url: String(u), versions: [] }; window.__sse.push(rec); this.addEventListener('version', function (e) { try { rec.versions.push(JSON.parse(e.data).digest); } catch (err) { rec.versions.push('unreadable'); } }); } }; }`

// mapStill is true while no pan or zoom animation moves the map: Leaflet
// marks its map pane while one runs (a popup's autopan is one, started as
// the popup opens).
const mapStill = `!document.querySelector('#map .leaflet-pan-anim, #map .leaflet-zoom-anim')`

// newTab opens a tab of width×height CSS pixels in a new browser context,
// closed with the test. On failure the test's log names a screenshot of it.
func (b *browser) newTab(t *testing.T, width, height int64) *tab {
	t.Helper()
	takeSlot(t)
	tabCtx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(tabCtx, 3*time.Minute)
	tb := &tab{ctx: ctx, tabCtx: tabCtx, t: t, base: b.server.URL}
	err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, fmt.Sprint(a.Value)+a.Description)
				}
				tb.problems = append(tb.problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			desc := d.Text
			if d.Exception != nil {
				desc += " " + d.Exception.Description
			}
			tb.problems = append(tb.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, desc))
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				tb.problems = append(tb.problems, fmt.Sprintf("log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			tb.requests = append(tb.requests, e.Request.URL)
			u, err := url.Parse(e.Request.URL)
			if err == nil && u.Scheme != "data" && !isLoopback(u.Hostname()) {
				tb.problems = append(tb.problems, "request off loopback: "+e.Request.URL)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe + "\n" + sseProbe})
			return err
		}),
		chromedp.EmulateViewport(width, height),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			tb.screenshot()
		}
		cancelTimeout()
		cancel()
	})
	return tb
}

// as returns tb reporting its failures to t, a subtest of the test that
// opened it, so that several subtests check one page load, each failing on
// its own. The page's problems (checkClean) stay with tb.
func (tb *tab) as(t *testing.T) *tab {
	return &tab{ctx: tb.ctx, tabCtx: tb.tabCtx, t: t, base: tb.base}
}

// isLoopback reports whether a request to host stays on this machine.
func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// screenshot saves the page as testdata/failures/TEST.png.
func (tb *tab) screenshot() {
	ctx, cancel := context.WithTimeout(tb.tabCtx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("no screenshot: %v", err)
		return
	}
	name := filepath.Join("testdata", "failures", strings.NewReplacer("/", "_", " ", "_").Replace(tb.t.Name())+".png")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err == nil && os.WriteFile(name, png, 0o644) == nil {
		tb.t.Logf("screenshot of the failure: %s", name)
	}
}

func (tb *tab) run(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatal(err)
	}
}

// value runs an action that returns a value.
func value[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, a)
	if err != nil {
		tb.t.Fatal(err)
	}
	return v
}

// poll waits until a JavaScript expression is truthy and returns its value.
// When it is not within timeout, the test fails naming what it waited for.
func poll[T any](tb *tab, expr string, timeout time.Duration) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Poll[T](expr, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		what := strings.Join(strings.Fields(expr), " ")
		if len(what) > 300 {
			what = what[:300] + "…"
		}
		tb.t.Fatalf("waited %s for %s: %v", timeout, what, err)
	}
	return v
}

// open loads a page of the site and waits until its first render is done.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.run(chromedp.Navigate(tb.base + path))
	tb.settle()
}

// settle waits until the page has rendered and has no request in flight.
func (tb *tab) settle() {
	tb.t.Helper()
	poll[bool](tb, `document.body.dataset.ready === '1' && document.body.dataset.busy === '0'`, 20*time.Second)
}

// requestsTo returns the URLs of the requests the page made so far, in
// order, that keep holds for.
func (tb *tab) requestsTo(keep func(*url.URL) bool) []*url.URL {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []*url.URL
	for _, r := range tb.requests {
		if u, err := url.Parse(r); err == nil && keep(u) {
			out = append(out, u)
		}
	}
	return out
}

// requested counts the requests the page made so far whose path is path.
func (tb *tab) requested(path string) int {
	return len(tb.requestsTo(func(u *url.URL) bool { return u.Path == path }))
}

// placed waits until the map's labels and counts stand where a reader sees
// them: the page has rendered, nothing is loading, the offline basemap
// (which loads apart from the data) has given its labels, and the map is
// not moving. maplabels.js places them in a microtask after every change,
// so once this holds they are current.
func (tb *tab) placed() {
	tb.t.Helper()
	poll[bool](tb, `document.body.dataset.ready === '1' && document.body.dataset.busy === '0' && !!document.querySelector('#map .pane-labels[data-basemap="1"]') && `+mapStill, 20*time.Second)
}

func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	return value(tb, chromedp.Evaluate[T](js))
}

// markers returns the ids of the incident markers on the map, sorted.
func (tb *tab) markers() []string {
	tb.t.Helper()
	ids := eval[[]string](tb, `Array.from(document.querySelectorAll('#map .incident-marker')).map(e => e.dataset.id).sort()`)
	return ids
}

// checkClean fails the test on any console error, exception, CSP violation
// or request that left loopback.
func (tb *tab) checkClean() {
	tb.t.Helper()
	csp := eval[[]string](tb, `window.__csp`)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		tb.t.Errorf("browser: %s", p)
	}
	for _, v := range csp {
		tb.t.Errorf("CSP violation: %s", v)
	}
}

// apiIDs asks the API which incidents a query selects, sorted.
func apiIDs(t *testing.T, base, query string) []string {
	t.Helper()
	resp, err := http.Get(base + "/api/incidents.geojson?" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var fc struct{ Features []struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&fc); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(fc.Features))
	for _, f := range fc.Features {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	return ids
}

func equalIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: map shows %d incidents %v\nwant %d %v", what, len(got), got, len(want), want)
	}
}

func offlineServer(t *testing.T) *Server {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	return mustNew(t, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap})
}

// setField sets an input's value and fires change, as a person editing it would.
func setField(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(){ var e = document.getElementById(%q); e.value = %q; e.dispatchEvent(new Event('change', {bubbles: true})); })()`, id, value))
}

// playByDay chooses play's step "day" and its slow speed, as a reader does
// in the panel: slow, so that each day's map settles before the next on a
// busy machine.
const playByDay = `(function () {
	var s = document.getElementById('play-step'); s.value = 'day'; s.dispatchEvent(new Event('change', {bubbles: true}));
	var v = document.getElementById('play-speed'); v.value = '1800'; v.dispatchEvent(new Event('change', {bubbles: true}));
})()`

func TestMapPageInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	all := apiIDs(t, b.server.URL, "")
	if len(all) < 11 {
		t.Fatalf("API lists %d incidents", len(all))
	}

	t.Run("loads everything with no error and no outside request", func(t *testing.T) {
		t.Parallel()
		tb := b.newTab(t, 1280, 800)
		tb.open("/")
		equalIDs(t, "all", tb.markers(), all)
		bases := eval[[]string](tb, `Array.from(document.querySelectorAll('#map .base-marker')).map(e => e.dataset.id).sort()`)
		shippedBases := len(shippedData(t).Bases)
		if len(bases) != shippedBases {
			t.Errorf("%d base markers, want %d: %v", len(bases), shippedBases, bases)
		}
		var labels, rows, basemapPaths int
		labels = eval[int](tb, `document.querySelectorAll('.base-tooltip').length`)
		rows = eval[int](tb, `document.querySelectorAll('#incident-list tbody tr').length`)
		basemapPaths = eval[int](tb, `document.querySelectorAll('.bm-country').length`)
		if labels != shippedBases || rows != len(all) || basemapPaths < 6 {
			t.Errorf("%d base labels, %d list rows, %d basemap countries", labels, rows, basemapPaths)
		}
		count := eval[string](tb, `document.getElementById('incident-count').textContent`)
		if count != fmt.Sprintf("%d incidents", len(all)) {
			t.Errorf("count reads %q", count)
		}
		// No clusters drawn, so no cluster row in the legend.
		if eval[bool](tb, `!document.querySelector('.legend [data-clusters]').hidden`) {
			t.Error("the legend shows its cluster row where the map draws every incident")
		}
		// Every incident is reached by the keyboard: its own marker, or the
		// stack of the incidents at its place (Enter fans it out).
		reachable := eval[[]string](tb, `Array.from(new Set(Array.from(document.querySelectorAll('.incident-icon[tabindex="0"] .incident-marker')).map(e => e.dataset.id))).sort()`)
		equalIDs(t, "keyboard-reachable (a marker, or a stack that holds it)", reachable, all)
		tb.checkClean()
	})

	t.Run("filters change the map exactly as the API says", func(t *testing.T) {
		t.Parallel()
		tb := b.newTab(t, 1280, 800)
		tb.open("/")
		var others []string
		for _, base := range shippedData(t).Bases {
			if base.ID != "ain-al-asad" {
				others = append(others, base.ID)
			}
		}
		steps := []struct {
			what   string
			action chromedp.Action[chromedp.Void]
			query  string
		}{
			{"untick drone", chromedp.Click(chromedp.CSS(`input[name=weapon][value=drone]`)), "weapon=rocket,missile,unknown"},
			{"untick claimed", chromedp.Click(chromedp.CSS(`input[name=status][value=claimed]`)), "weapon=rocket,missile,unknown&status=confirmed,reported"},
			{"tick drone again", chromedp.Click(chromedp.CSS(`input[name=weapon][value=drone]`)), "status=confirmed,reported"},
			{"from 19 Oct", setField("filter-from", "2023-10-19"), "status=confirmed,reported&from=2023-10-19"},
			{"to 21 Oct", setField("filter-to", "2023-10-21"), "status=confirmed,reported&from=2023-10-19&to=2023-10-21"},
			{"untick Ain al-Asad", chromedp.Click(chromedp.CSS(`input[name=base][value=ain-al-asad]`)), "status=confirmed,reported&from=2023-10-19&to=2023-10-21&base=" + strings.Join(others, ",")},
			{"reset", chromedp.Click(chromedp.CSS(`#reset`)), ""},
			{"only Ain al-Asad, 18-22 Oct", chromedp.Steps(
				chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name=base]').forEach(function (i) { i.checked = i.value === 'ain-al-asad'; })`),
				setField("filter-from", "2023-10-18"), setField("filter-to", "2023-10-22"),
			), "base=ain-al-asad&to=2023-10-22"}, // 18 Oct is the first day: no bound
		}
		for _, st := range steps {
			tb.run(st.action)
			tb.settle()
			want := apiIDs(t, b.server.URL, st.query)
			equalIDs(t, st.what, tb.markers(), want)
			rows := eval[int](tb, `document.querySelectorAll('#incident-list tbody tr').length`)
			if rows != len(want) {
				t.Errorf("%s: list has %d rows, want %d", st.what, rows, len(want))
			}
			href := eval[string](tb, `document.getElementById('download-incidents').getAttribute('href')`)
			got, _ := url.ParseQuery(strings.TrimPrefix(href, "/api/incidents.geojson?"))
			wantQ, _ := url.ParseQuery(st.query + "&download=1")
			if got.Encode() != wantQ.Encode() {
				t.Errorf("%s: download link %s, want the query %s", st.what, href, wantQ.Encode())
			}
		}
		// Nothing ticked in a group selects nothing.
		tb.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name=weapon]').forEach(function (i) { i.checked = false; }); document.getElementById('filters').dispatchEvent(new Event('change'))`))
		tb.settle()
		if m := tb.markers(); len(m) != 0 {
			t.Errorf("no weapon ticked, yet %d markers", len(m))
		}
		tb.checkClean()
	})

	t.Run("play steps through the days", func(t *testing.T) {
		t.Parallel()
		tb := b.newTab(t, 1280, 800)
		tb.open("/?from=2023-10-18&to=2023-10-21")
		// The step follows the histogram's bins (weeks, for the campaign's
		// months): a reader who plays days picks "day".
		tb.run(chromedp.Evaluate[chromedp.Void](playByDay))
		tb.run(chromedp.Click(chromedp.CSS(`#play`)))
		for _, day := range []string{"2023-10-18", "2023-10-19", "2023-10-20", "2023-10-21"} {
			// Read the markers in the same breath as the day, before the next step.
			var ids []string
			ids = poll[[]string](tb, fmt.Sprintf(`(document.getElementById('play-day').textContent === %q && document.body.dataset.busy === '0') ? Array.from(document.querySelectorAll('#map .incident-marker')).map(e => e.dataset.id).sort() : null`, day), 10*time.Second)
			equalIDs(t, "play "+day, ids, apiIDs(t, b.server.URL, "from="+day+"&to="+day))
		}
		poll[bool](tb, `document.getElementById('play').getAttribute('aria-pressed') === 'false'`, 5*time.Second)

		// Accumulating keeps every day from the start of the window.
		tb.run(chromedp.Navigate(tb.base + "/?from=2023-10-18&to=2023-10-19"))
		tb.settle()
		tb.run(chromedp.Evaluate[chromedp.Void](playByDay))
		tb.run(chromedp.Click(chromedp.CSS(`#play-accumulate`)), chromedp.Click(chromedp.CSS(`#play`)))
		var ids []string
		ids = poll[[]string](tb, `(document.getElementById('play-day').textContent === '2023-10-19' && document.body.dataset.busy === '0') ? Array.from(document.querySelectorAll('#map .incident-marker')).map(e => e.dataset.id).sort() : null`, 10*time.Second)
		equalIDs(t, "accumulated to 19 Oct", ids, apiIDs(t, b.server.URL, "from=2023-10-18&to=2023-10-19"))
		tb.checkClean()
	})

	t.Run("a popup shows the sources", func(t *testing.T) {
		t.Parallel()
		tb := b.newTab(t, 1280, 800)
		tb.open("/")
		id := "2023-10-18-harir-drone"
		// Its place is a stack of two: a click fans them out, one opens it.
		tb.run(chromedp.Click(chromedp.CSS(`.incident-stack:has(.incident-marker[data-id="` + id + `"]) .stack-count`)))
		tb.run(chromedp.Click(chromedp.CSS(`#map .incident-icon:not(.stack-icon) .incident-marker[data-id="` + id + `"]`)))
		tb.run(chromedp.WaitVisible(chromedp.CSS(`.incident-popup[data-id="` + id + `"]`)))
		links := eval[[]map[string]string](tb, `Array.from(document.querySelectorAll('.incident-popup a.source-link')).map(a => ({href: a.href, target: a.target, rel: a.rel, text: a.textContent}))`)
		if want := len(shippedIncident(t, id).Sources); len(links) != want {
			t.Errorf("%d source links, want %d: %v", len(links), want, links)
		}
		for _, l := range links {
			if l["target"] != "_blank" || l["rel"] != "noopener noreferrer" || !strings.HasPrefix(l["href"], "http") {
				t.Errorf("source link %v", l)
			}
		}
		fields := eval[map[string]string](tb, `Object.fromEntries(Array.from(document.querySelectorAll('.incident-popup dt')).map(dt => [dt.textContent, dt.nextElementSibling.textContent]))`)
		for k, want := range map[string]string{"Killed": "unknown", "Injured": "0", "Disputed": "injured, who claimed it", "Status": "Confirmed", "Claimed by": "Islamic Resistance in Iraq; Tashkil al-Waritheen", "Confirmed by": "CENTCOM (statement quoted by Rudaw)"} {
			if fields[k] != want {
				t.Errorf("popup %s = %q, want %q (all: %v)", k, fields[k], want, fields)
			}
		}
		text := eval[string](tb, `document.querySelector('.incident-popup').textContent`)
		for _, want := range []string{"Drone attack on Harir Air Base", "Daily Beast", "Reuters' own text puts that explosion at al-Asad"} {
			if !strings.Contains(text, want) {
				t.Errorf("popup lacks %q:\n%s", want, text)
			}
		}
		loc := eval[string](tb, `location.search`)
		if !strings.Contains(loc, "sel="+id) {
			t.Errorf("URL %s does not name the open incident", loc)
		}
		tb.checkClean()
	})

	t.Run("the URL round-trips the state and history works", func(t *testing.T) {
		t.Parallel()
		tb := b.newTab(t, 1280, 800)
		tb.open("/")
		tb.run(
			chromedp.Click(chromedp.CSS(`input[name=status][value=claimed]`)),
		)
		tb.settle()
		tb.run(setField("filter-from", "2023-10-19"))
		tb.settle()
		tb.run(setField("filter-to", "2023-10-21"))
		tb.settle()
		tb.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('.leaflet-control-layers-overlays input[type=checkbox]:not(:checked)').click()`)) // range rings on
		tb.run(chromedp.Click(chromedp.CSS(`#incident-list tbody tr:first-child button.focus-incident`)))
		tb.run(chromedp.WaitVisible(chromedp.CSS(`.incident-popup`)))
		var href, sel string
		href = eval[string](tb, `location.href`)
		sel = eval[string](tb, `document.querySelector('.incident-popup').dataset.id`)
		before := tb.markers()

		other := b.newTab(t, 1280, 800)
		u, _ := url.Parse(href)
		other.open(u.RequestURI())
		equalIDs(t, "reopened", other.markers(), before)
		var state map[string]any
		state = eval[map[string]any](other, `({
			from: document.getElementById('filter-from').value,
			to: document.getElementById('filter-to').value,
			claimed: document.querySelector('input[name=status][value=claimed]').checked,
			rings: document.querySelectorAll('.range-ring').length,
			popup: (document.querySelector('.incident-popup') || {dataset: {}}).dataset.id || '',
		})`)
		if state["from"] != "2023-10-19" || state["to"] != "2023-10-21" || state["claimed"] != false || state["rings"].(float64) < 18 || state["popup"] != sel {
			t.Errorf("reopened state %v, want 19-21 Oct, claimed unticked, 18 rings, popup %s", state, sel)
		}

		// Back undoes the last step: the popup closes, the filters stay.
		// (history.back, not chromedp.NavigateBack: these entries come from
		// pushState and load no page, which NavigateBack would wait for.)
		tb.run(chromedp.Evaluate[chromedp.Void](`history.back()`))
		poll[bool](tb, `!document.querySelector('.incident-popup') && !location.search.includes('sel=') && document.querySelectorAll('.range-ring').length > 0`, 5*time.Second)
		tb.settle()
		// Back through rings, to, from and status to the start, then forward one step.
		tb.run(chromedp.Evaluate[chromedp.Void](`history.go(-4)`))
		poll[bool](tb, `document.querySelector('input[name=status][value=claimed]').checked && document.querySelectorAll('.range-ring').length === 0`, 5*time.Second)
		tb.settle()
		equalIDs(t, "back at the start", tb.markers(), all)
		tb.run(chromedp.Evaluate[chromedp.Void](`history.forward()`))
		poll[bool](tb, `!document.querySelector('input[name=status][value=claimed]').checked`, 5*time.Second)
		tb.settle()
		equalIDs(t, "forward one step", tb.markers(), apiIDs(t, b.server.URL, "status=confirmed,reported"))
		tb.checkClean()
		other.checkClean()
	})

	t.Run("a list row focuses its incident", func(t *testing.T) {
		t.Parallel()
		tb := b.newTab(t, 1280, 800)
		tb.open("/")
		id := "2023-10-23-al-tanf-drones"
		tb.run(chromedp.Click(chromedp.CSS(`#incident-list tr[data-id="` + id + `"] button.focus-incident`)))
		tb.run(chromedp.WaitVisible(chromedp.CSS(`.incident-popup[data-id="` + id + `"]`)))
		zoom := eval[float64](tb, `Number(new URLSearchParams(location.search).get('map').split('/')[0])`)
		if zoom < 9 {
			t.Errorf("zoom %v after focusing, want at least 9", zoom)
		}
		// Keyboard: Enter on a focused marker opens its popup.
		tb.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('.leaflet-popup-close-button').click()`))
		tb.run(chromedp.Focus(chromedp.CSS(`.incident-icon:not(.stack-icon):has(.incident-marker[data-id="`+id+`"])`)), chromedp.KeyEvent("\r"))
		tb.run(chromedp.WaitVisible(chromedp.CSS(`.incident-popup[data-id="` + id + `"]`)))
		tb.checkClean()
	})

	t.Run("the layout holds at phone width", func(t *testing.T) {
		t.Parallel()
		tb := b.newTab(t, 375, 740)
		tb.open("/")
		m := eval[map[string]float64](tb, `(function () {
			var p = document.getElementById('panel').getBoundingClientRect();
			var map = document.getElementById('map').getBoundingClientRect();
			return {scroll: document.documentElement.scrollWidth, panelRight: p.right, mapWidth: map.width, mapHeight: map.height,
				toggle: document.getElementById('filters-toggle').getBoundingClientRect().width};
		})()`)
		if m["scroll"] > 375 || m["panelRight"] > 0 || m["mapWidth"] != 375 || m["mapHeight"] < 500 || m["toggle"] == 0 {
			t.Errorf("phone layout: %v (want no horizontal scroll, the drawer closed, a full-width map, a visible toggle)", m)
		}
		tb.run(chromedp.Click(chromedp.CSS(`#filters-toggle`)))
		poll[bool](tb, `document.getElementById('panel').getBoundingClientRect().left >= 0`, 5*time.Second)
		tb.run(chromedp.Click(chromedp.CSS(`input[name=weapon][value=rocket]`)))
		tb.settle()
		equalIDs(t, "phone filter", tb.markers(), apiIDs(t, b.server.URL, "weapon=drone,missile,unknown"))
		tb.run(chromedp.Click(chromedp.CSS(`#incident-list tbody tr:first-child button.focus-incident`)))
		tb.run(chromedp.WaitVisible(chromedp.CSS(`.incident-popup`)))
		expanded := eval[string](tb, `document.getElementById('filters-toggle').getAttribute('aria-expanded')`)
		if expanded != "false" {
			t.Error("the drawer stays open over the map after choosing an incident")
		}
		tb.checkClean()
	})
}

func TestEmbedInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	drones := apiIDs(t, b.server.URL, "weapon=drone")

	// A host page on another origin (another loopback port) frames the embed,
	// and also tries to frame the map page, which only strikemap may frame.
	embedURL := b.server.URL + "/embed?weapon=drone&title=Drones&v=0123456789ab"
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><title>host</title>
<script>window.got = []; addEventListener('message', function (e) { if (e.origin === %q) { window.got.push(e.data); } });</script>
<iframe id="embed" src=%q width="800" height="500"></iframe>
<iframe id="page" src=%q width="400" height="300"></iframe>`, b.server.URL, embedURL, b.server.URL+"/")
	}))
	defer host.Close()

	tb := b.newTab(t, 1280, 900)
	tb.run(chromedp.Navigate(host.URL))
	got := poll[[]map[string]any](tb, `window.got.length ? window.got : null`, 15*time.Second)
	if len(got) == 0 || got[0]["type"] != "strikemap:rendered" || int(got[0]["incidents"].(float64)) != len(drones) {
		t.Errorf("embed reported %v, want %d drone incidents rendered", got, len(drones))
	}
	// The framed map page was refused; nothing else went wrong.
	refused := false
	tb.mu.Lock()
	var rest []string
	for _, p := range tb.problems {
		if strings.Contains(p, "frame-ancestors 'self'") && strings.Contains(p, "blocked") {
			refused = true
			continue
		}
		rest = append(rest, p)
	}
	tb.problems = rest
	tb.mu.Unlock()
	if !refused {
		t.Error("the map page was framed by another origin: frame-ancestors 'self' did not hold")
	}
	tb.checkClean()
}

func TestEmbedDialog(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/?weapon=rocket&layers=bases,incidents,rings")
	tb.run(chromedp.Click(chromedp.CSS(`#embed-open`)), chromedp.WaitVisible(chromedp.CSS(`#embed-dialog`)))
	tb.run(chromedp.Click(chromedp.CSS(`input[name=embed-size][value="600x400"]`)))
	code := eval[string](tb, `document.getElementById('embed-code').value`)
	m := regexp.MustCompile(`^<iframe src="([^"]+)" width="600" height="400" title="Attacks on US bases in Iraq and Syria" loading="lazy" style="border:0;max-width:100%" allowfullscreen></iframe>$`).FindStringSubmatch(code)
	if m == nil {
		t.Fatalf("snippet %q", code)
	}
	src, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	if err != nil || src.Path != "/embed" || src.Query().Get("weapon") != "rocket" || src.Query().Get("v") == "" || !strings.Contains(src.Query().Get("layers"), "rings") {
		t.Errorf("embed URL %v (%v)", src, err)
	}
	resp, err := http.Get(src.String())
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("the snippet's URL: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	img := eval[string](tb, `document.getElementById('embed-image').href`)
	resp, err = http.Get(img)
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("image link %s: %v %v", img, resp, err)
	} else {
		resp.Body.Close()
	}
	for _, f := range []string{"png", "svg", "pdf"} {
		href := eval[string](tb, `document.getElementById('export-`+f+`').href`)
		resp, err := http.Get(href)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("export %s: %v %v", f, resp, err)
			continue
		}
		resp.Body.Close()
	}
	tb.checkClean()
}

// TestOGCPagesInBrowser opens the OGC API's HTML items and item pages: the
// small map must draw one marker per feature over the offline basemap, with
// no console error, CSP violation or request off loopback.
func TestOGCPagesInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	for _, tc := range []struct {
		path  string
		count int
	}{
		{"/ogc/collections/incidents/items?f=html&weapon=rocket", len(apiIDs(t, b.server.URL, "weapon=rocket"))},
		{"/ogc/collections/incidents/items/2023-10-18-ain-al-asad-drones?f=html", 1},
		{"/ogc/collections/bases/items?f=html&limit=2", 2},
		{"/ogc/collections/bases/items/al-tanf?f=html", 1},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			tb := b.newTab(t, 1024, 768)
			tb.run(chromedp.Navigate(tb.base + tc.path))
			poll[bool](tb, `document.querySelectorAll('#ogc-map path').length > document.querySelectorAll('#ogc-map path.leaflet-interactive').length`, 20*time.Second)
			if n := eval[int](tb, `document.querySelectorAll('#ogc-map path.leaflet-interactive').length`); n != tc.count {
				t.Errorf("%d markers, want %d", n, tc.count)
			}
			tb.checkClean()
		})
	}
}

// tileServer serves the map page with tiles from tileURL.
func tileServer(t *testing.T, tileURL string) *Server {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	return mustNew(t, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap, Site: request.Site{TileURL: tileURL, TileAttribution: "test tiles"}})
}

// refusedPort returns a loopback address on which nothing listens, so a
// connection to it is refused at once: the tile server of an air-gapped
// network, without a packet leaving the machine.
func refusedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestTileFallbackInBrowser opens the map with a tile server that cannot be
// reached: the map must switch to the offline basemap by itself, say so in
// a notice that can be dismissed, and keep its URL saying offline.
func TestTileFallbackInBrowser(t *testing.T) {
	t.Parallel()
	dead := refusedPort(t)
	s := tileServer(t, "http://"+dead+"/{z}/{x}/{y}.png")
	b := newBrowser(t, s)

	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	text := poll[string](tb, `(document.querySelector('.tile-notice [role=status]') || {}).textContent || ''`, 20*time.Second)
	if text != "Map tiles could not be loaded; showing the offline basemap." {
		t.Errorf("notice %q", text)
	}
	got := eval[map[string]any](tb, `({
		basemap: new URLSearchParams(location.search).get('basemap'),
		tiles: document.querySelectorAll('#map .leaflet-tile').length,
		countries: document.querySelectorAll('#map .bm-country').length,
		chosen: (document.querySelector('.leaflet-control-layers-base input:checked') || {parentNode: {textContent: ''}}).parentNode.textContent.trim(),
		notices: document.querySelectorAll('.tile-notice').length,
	})`)
	if got["basemap"] != "offline" || got["tiles"].(float64) != 0 || got["countries"].(float64) < 6 || got["chosen"] != "Offline basemap (Natural Earth)" || got["notices"].(float64) != 1 {
		t.Errorf("after the tiles failed: %v; want basemap=offline in the URL, no tiles, the basemap's countries drawn and chosen in the layer control, one notice", got)
	}
	// The notice goes away with its button, and the map keeps the focus.
	tb.run(chromedp.Click(chromedp.CSS(`.tile-notice-close`)))
	poll[bool](tb, `!document.querySelector('.tile-notice') && document.activeElement === document.getElementById('map')`, 5*time.Second)

	// The URL reopens the offline map: no tile is asked for, no notice.
	u, _ := url.Parse(eval[string](tb, `location.href`))
	again := b.newTab(t, 1280, 800)
	again.open(u.RequestURI())
	if n := eval[int](again, `document.querySelectorAll('.tile-notice, #map .leaflet-tile').length`); n != 0 {
		t.Errorf("reopening %s shows %d tiles or notices", u.RequestURI(), n)
	}

	// The failed tiles are the only problems: each is logged as a failed
	// load, and nothing went off this machine.
	for _, tab := range []*tab{tb, again} {
		tab.mu.Lock()
		var rest []string
		for _, p := range tab.problems {
			if !strings.Contains(p, dead) {
				rest = append(rest, p)
			}
		}
		if tab == again && len(rest) != len(tab.problems) {
			t.Errorf("the reopened offline map asked for tiles: %v", tab.problems)
		}
		tab.problems = rest
		tab.mu.Unlock()
		tab.checkClean()
	}
}

// TestTilesInBrowser checks the other side: tiles that load are kept, with
// no notice, and the URL keeps the default basemap.
func TestTilesInBrowser(t *testing.T) {
	t.Parallel()
	tile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(onePixelPNG)
	}))
	defer tile.Close()
	s := tileServer(t, tile.URL+"/{z}/{x}/{y}.png")
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	poll[bool](tb, `document.querySelectorAll('#map .leaflet-tile-loaded').length > 0`, 20*time.Second)
	got := eval[map[string]any](tb, `({basemap: new URLSearchParams(location.search).get('basemap'), notices: document.querySelectorAll('.tile-notice').length})`)
	if got["basemap"] != nil || got["notices"].(float64) != 0 {
		t.Errorf("with working tiles: %v; want the default basemap and no notice", got)
	}
	tb.checkClean()
}

// onePixelPNG is a transparent 1×1 PNG, the tile of TestTilesInBrowser.
var onePixelPNG = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
	0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
	0x42, 0x60, 0x82,
}
