package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The timeline's browser tests: play pauses, resumes and gives the range
// back; the brush on the histogram chooses dates; its bins stay readable;
// the date shows on the map with the phone's drawer closed.

// pageDates reads the range as the date inputs, the URL, the download
// link and the embed code each say it.
func pageDates(tb *tab) map[string]string {
	tb.t.Helper()
	return eval[map[string]string](tb, `(function () {
		var u = new URLSearchParams(location.search);
		var d = new URLSearchParams(document.getElementById('download-incidents').getAttribute('href').split('?')[1] || '');
		document.getElementById('embed-open').click();
		var code = document.getElementById('embed-code').value;
		document.getElementById('embed-dialog').close();
		var e = new URLSearchParams((code.match(/src="([^"]*)"/) || ['', ''])[1].replace(/&amp;/g, '&').split('?')[1] || '');
		return {
			inputs: document.getElementById('filter-from').value + '..' + document.getElementById('filter-to').value,
			url: (u.get('from') || '') + '..' + (u.get('to') || ''),
			download: (d.get('from') || '') + '..' + (d.get('to') || ''),
			embed: (e.get('from') || '') + '..' + (e.get('to') || ''),
		};
	})()`)
}

func checkDates(t *testing.T, what string, got map[string]string, inputs, query string) {
	t.Helper()
	want := map[string]string{"inputs": inputs, "url": query, "download": query, "embed": query}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: the %s say %s, want %s", what, k, got[k], w)
		}
	}
}

// shownIDs reads the markers once the page has drawn what play-day names.
const shownIDs = `(document.getElementById('play-day').textContent === %q && document.body.dataset.busy === '0') ? Array.from(document.querySelectorAll('#map .incident-marker')).map(e => e.dataset.id).sort() : null`

// TestPlayPausesResumesAndRestoresTheRange is not parallel: it reads frames
// that play shows for a set time, which another test's tab, busy at once on
// a loaded machine, can make it miss.
func TestPlayPausesResumesAndRestoresTheRange(t *testing.T) {
	s := octoberServer(t)
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/?from=2023-10-18&to=2023-10-21")
	tb.run(chromedp.Click(chromedp.CSS(`#play`)))
	poll[[]string](tb, fmt.Sprintf(shownIDs, "2023-10-19"), 10*time.Second)
	tb.run(chromedp.Click(chromedp.CSS(`#play`)))
	paused := eval[string](tb, `document.getElementById('play-day').textContent`)
	tb.settle()
	// Paused: the map holds the frame, the range is still the range.
	equalIDs(t, "paused at "+paused, tb.markers(), apiIDs(t, b.server.URL, "from="+paused+"&to="+paused))
	checkDates(t, "paused", pageDates(tb), "2023-10-18..2023-10-21", "..2023-10-21")
	// A paused play does not move: asked after two steps of the page's own
	// clock, since a timer set now for twice play's delay fires after any
	// step play had scheduled before the pause (timers fire in the order
	// they fall due), however slow the machine is.
	now := value(tb, chromedp.Evaluate[string](`new Promise(done => setTimeout(() => done(document.getElementById('play-day').textContent), 2 * (Number(document.getElementById('play-speed').value) || 900)))`, chromedp.EvalAwaitPromise))
	if now != paused {
		t.Errorf("paused at %s, yet play moved on to %s", paused, now)
	}
	// Resume goes on from the paused day, not from the start.
	pd, _ := time.Parse(time.DateOnly, paused)
	next := pd.AddDate(0, 0, 1).Format(time.DateOnly)
	tb.run(chromedp.Click(chromedp.CSS(`#play`)))
	got := poll[string](tb, fmt.Sprintf(`document.getElementById('play-day').textContent !== %q && document.getElementById('play-day').textContent`, paused), 10*time.Second)
	if got != next {
		t.Fatalf("resumed at %s, want %s, the day after the pause", got, next)
	}
	// The end gives the range back: map, inputs, URL, downloads and embed.
	poll[bool](tb, `document.getElementById('play').getAttribute('aria-pressed') === 'false' && document.getElementById('play-day').textContent === '' && document.body.dataset.busy === '0'`, 15*time.Second)
	equalIDs(t, "after play", tb.markers(), apiIDs(t, b.server.URL, "to=2023-10-21"))
	checkDates(t, "after play", pageDates(tb), "2023-10-18..2023-10-21", "..2023-10-21")

	// Stop, in the middle, gives it back too; playing again starts afresh.
	tb.run(chromedp.Click(chromedp.CSS(`#play`)))
	poll[[]string](tb, fmt.Sprintf(shownIDs, "2023-10-19"), 10*time.Second)
	tb.run(chromedp.Click(chromedp.CSS(`#play-stop`)))
	tb.settle()
	equalIDs(t, "after stop", tb.markers(), apiIDs(t, b.server.URL, "to=2023-10-21"))
	checkDates(t, "after stop", pageDates(tb), "2023-10-18..2023-10-21", "..2023-10-21")

	// A week at a time with a rolling window of two weeks, then accumulating.
	tb.run(chromedp.Navigate(tb.base + "/?from=2023-10-18&to=2023-10-27"))
	tb.settle()
	tb.run(setField("play-step", "week"), setField("play-window", "2"), chromedp.Click(chromedp.CSS(`#play`)))
	ids := poll[[]string](tb, fmt.Sprintf(shownIDs, "2023-10-18 to 2023-10-22"), 10*time.Second)
	equalIDs(t, "first week", ids, apiIDs(t, b.server.URL, "from=2023-10-18&to=2023-10-22"))
	ids = poll[[]string](tb, fmt.Sprintf(shownIDs, "2023-10-23 to 2023-10-27"), 10*time.Second)
	equalIDs(t, "two weeks", ids, apiIDs(t, b.server.URL, "from=2023-10-18&to=2023-10-27"))
	if d := eval[string](tb, `document.getElementById('map-date').textContent`); d != "2023-10-18 to 2023-10-27" {
		t.Errorf("the map's date says %q for a two-week window", d)
	}
	tb.checkClean()
}

// bars reads the histogram's bars as drawn: left edge and width in CSS
// pixels, their dates, and the histogram's own box.
type barBox struct {
	Left, Width float64
	From, To    string
}

func histogramBars(tb *tab) ([]barBox, map[string]float64) {
	tb.t.Helper()
	bars := eval[[]barBox](tb, `Array.from(document.querySelectorAll('#histogram rect.in-range, #histogram rect.out-of-range')).map(function (r) { var b = r.getBoundingClientRect(); return {Left: b.left, Width: b.width, From: r.dataset.from, To: r.dataset.to}; })`)
	box := eval[map[string]float64](tb, `(function () { var b = document.getElementById('histogram').getBoundingClientRect(), p = document.getElementById('panel').getBoundingClientRect(); return {left: b.left, right: b.right, width: b.width, panelRight: p.right, scroll: document.getElementById('histogram').scrollWidth - document.getElementById('histogram').clientWidth}; })()`)
	return bars, box
}

func TestHistogramBinsStayReadable(t *testing.T) {
	t.Parallel()
	// Skip before building the servers where there is no browser (the
	// race pass): the 20,000-incident one took 136 s under -race.
	requireBrowser(t)
	for _, c := range []struct {
		name string
		srv  *Server
	}{{"october 2023", octoberServer(t)}, {"synthetic 2016-2026", syntheticServer(t, 20000)}} {
		t.Run(c.name, func(t *testing.T) {
			b := newBrowser(t, c.srv)
			for _, w := range [][2]int64{{1280, 800}, {375, 740}} {
				tb := b.newTab(t, w[0], w[1])
				tb.open("/")
				if w[0] < 700 {
					tb.run(chromedp.Click(chromedp.CSS(`#filters-toggle`)))
					poll[bool](tb, `document.getElementById('panel').getBoundingClientRect().left >= 0`, 5*time.Second)
				}
				bars, box := histogramBars(tb)
				if len(bars) < 2 {
					t.Fatalf("%dpx: %d bars", w[0], len(bars))
				}
				for i := 1; i < len(bars); i++ {
					if pitch := bars[i].Left - bars[i-1].Left; pitch < 3-1e-6 {
						t.Fatalf("%dpx: bars %s and %s are %.2f px apart, want at least 3 (%d bars in %.0f px)", w[0], bars[i-1].From, bars[i].From, pitch, len(bars), box["width"])
					}
				}
				last := bars[len(bars)-1]
				if bars[0].Left < box["left"]-0.5 || last.Left+last.Width > box["right"]+0.5 || box["right"] > box["panelRight"] || box["scroll"] > 0 {
					t.Errorf("%dpx: bars from %.1f to %.1f outside the histogram %v", w[0], bars[0].Left, last.Left+last.Width, box)
				}
				if c.name == "shipped" {
					// October 2023 is busy, then nothing until late January:
					// the busy days must have most of the width, not 10 %.
					var oct float64
					for _, bar := range bars {
						if strings.HasPrefix(bar.From, "2023-10") {
							oct += bar.Width
						}
					}
					if share := oct / box["width"]; share < 0.6 {
						t.Errorf("%dpx: October's bars take %.0f%% of the histogram", w[0], share*100)
					}
					if n := eval[int](tb, `document.querySelectorAll('#histogram .histogram-break').length`); n != 1 {
						t.Errorf("%dpx: %d breaks in the axis, want 1 for November-January", w[0], n)
					}
				}
				tb.checkClean()
			}
		})
	}
}

// barCentre is the page position of the middle of the bar holding day.
func barCentre(tb *tab, day string) (float64, float64) {
	tb.t.Helper()
	p := eval[[]float64](tb, fmt.Sprintf(`(function () { var r = Array.from(document.querySelectorAll('#histogram rect.bar')).find(function (r) { return r.dataset.from <= %[1]q && %[1]q <= r.dataset.to; }).getBoundingClientRect(); var s = document.querySelector('#histogram svg').getBoundingClientRect(); return [r.left + r.width / 2, s.top + s.height / 3]; })()`, day))
	return p[0], p[1]
}

func mouseDrag(x0, y0, x1, y1 float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		steps := []*input.DispatchMouseEventParams{
			{Type: input.DispatchMouseEventTypeMouseMoved, X: x0, Y: y0},
			{Type: input.DispatchMouseEventTypeMousePressed, X: x0, Y: y0, Button: input.MouseButtonLeft, Buttons: 1, ClickCount: 1},
		}
		for i := 1; i <= 5; i++ {
			f := float64(i) / 5
			steps = append(steps, &input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x0 + f*(x1-x0), Y: y0 + f*(y1-y0), Button: input.MouseButtonLeft, Buttons: 1})
		}
		steps = append(steps, &input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseReleased, X: x1, Y: y1, Button: input.MouseButtonLeft, Buttons: 0, ClickCount: 1})
		for _, s := range steps {
			if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, *s); err != nil {
				return err
			}
		}
		return nil
	})
}

func touchDrag(x0, y0, x1, y1 float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		pt := func(x, y float64) []*input.TouchPoint {
			id := 1.0
			return []*input.TouchPoint{{X: x, Y: y, ID: &id}}
		}
		steps := []input.DispatchTouchEventParams{{Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: pt(x0, y0)}}
		for i := 1; i <= 8; i++ {
			f := float64(i) / 8
			steps = append(steps, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchMove, TouchPoints: pt(x0+f*(x1-x0), y0+f*(y1-y0))})
		}
		steps = append(steps, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}})
		for _, s := range steps {
			if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, s); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestHistogramBrush(t *testing.T) {
	t.Parallel()
	s := octoberServer(t)
	b := newBrowser(t, s)

	t.Run("mouse", func(t *testing.T) {
		tb := b.newTab(t, 1280, 800)
		tb.open("/")
		x0, y := barCentre(tb, "2023-10-19")
		x1, _ := barCentre(tb, "2023-10-21")
		tb.run(mouseDrag(x0, y, x1, y))
		tb.settle()
		q, _ := url.ParseQuery(strings.TrimPrefix(eval[string](tb, `location.search`), "?"))
		if q.Get("from") != "2023-10-19" || q.Get("to") != "2023-10-21" {
			t.Errorf("after dragging 19-21 Oct the URL says from=%s to=%s", q.Get("from"), q.Get("to"))
		}
		equalIDs(t, "brushed 19-21 Oct", tb.markers(), apiIDs(t, b.server.URL, "from=2023-10-19&to=2023-10-21"))
		checkDates(t, "brushed", pageDates(tb), "2023-10-19..2023-10-21", "2023-10-19..2023-10-21")
		// Dragging the right edge moves only that edge.
		x2, _ := barCentre(tb, "2023-10-23")
		edge := eval[float64](tb, `document.querySelectorAll('#histogram .brush-handle')[1].getBoundingClientRect().left + 2`)
		tb.run(mouseDrag(edge, y, x2, y))
		tb.settle()
		checkDates(t, "right edge dragged", pageDates(tb), "2023-10-19..2023-10-23", "2023-10-19..2023-10-23")
		// A click picks one bar; the date inputs move the brush.
		tb.run(mouseDrag(x1, y, x1, y))
		tb.settle()
		equalIDs(t, "clicked 21 Oct", tb.markers(), apiIDs(t, b.server.URL, "from=2023-10-21&to=2023-10-21"))
		tb.run(setField("filter-from", "2023-10-20"))
		tb.settle()
		in := eval[[]string](tb, `Array.from(document.querySelectorAll('#histogram rect.in-range')).map(r => r.dataset.from)`)
		if strings.Join(in, ",") != "2023-10-20,2023-10-21" {
			t.Errorf("after typing 20 Oct the brush holds %v", in)
		}
		tb.checkClean()
	})

	t.Run("touch on a phone", func(t *testing.T) {
		tb := b.newTab(t, 375, 740)
		tb.open("/")
		tb.run(chromedp.Click(chromedp.CSS(`#filters-toggle`)))
		poll[bool](tb, `document.getElementById('panel').getBoundingClientRect().left >= 0`, 5*time.Second)
		x0, y := barCentre(tb, "2023-10-18")
		x1, _ := barCentre(tb, "2023-10-20")
		tb.run(touchDrag(x0, y, x1, y))
		tb.settle()
		q, _ := url.ParseQuery(strings.TrimPrefix(eval[string](tb, `location.search`), "?"))
		if q.Has("from") || q.Get("to") != "2023-10-20" {
			t.Errorf("after a touch drag over 18-20 Oct the URL says from=%s to=%s", q.Get("from"), q.Get("to"))
		}
		equalIDs(t, "touch-brushed 18-20 Oct", tb.markers(), apiIDs(t, b.server.URL, "to=2023-10-20"))
		tb.checkClean()
	})
}

// TestDateOnTheMapWithTheDrawerClosed is not parallel, for the reason
// TestPlayPausesResumesAndRestoresTheRange is not: it waits for one frame of play.
func TestDateOnTheMapWithTheDrawerClosed(t *testing.T) {
	s := octoberServer(t)
	b := newBrowser(t, s)
	tb := b.newTab(t, 375, 740)
	tb.open("/?from=2023-10-19&to=2023-10-21")
	// visible says where the date is, and whether a reader can see it: inside
	// the map and the screen, and under no control or the drawer.
	const visible = `(function () {
		var d = document.getElementById('map-date'), r = d.getBoundingClientRect(), m = document.getElementById('map').getBoundingClientRect();
		var p = document.getElementById('panel').getBoundingClientRect();
		var hit = Array.from(document.querySelectorAll('.leaflet-control')).filter(function (c) { var b = c.getBoundingClientRect(); return b.width && b.left < r.right && b.right > r.left && b.top < r.bottom && b.bottom > r.top; });
		var st = getComputedStyle(d);
		return {text: d.textContent, inMap: r.width > 20 && r.left >= m.left && r.right <= m.right && r.top >= m.top && r.bottom <= m.bottom && r.right <= innerWidth,
			covered: hit.length > 0 || (p.right > r.left && getComputedStyle(document.getElementById('panel')).visibility === 'visible'), shown: st.visibility === 'visible' && st.display !== 'none' && Number(st.opacity) > 0.9};
	})()`
	v := eval[map[string]any](tb, visible)
	if v["text"] != "2023-10-19 to 2023-10-21" || v["inMap"] != true || v["covered"] != false || v["shown"] != true {
		t.Errorf("the date on the map: %v", v)
	}
	// Play from the drawer, close it: the frame's day shows on the map.
	tb.run(chromedp.Click(chromedp.CSS(`#filters-toggle`)))
	poll[bool](tb, `document.getElementById('panel').getBoundingClientRect().left >= 0`, 5*time.Second)
	// (Escape: the open drawer covers its own toggle on a phone.)
	tb.run(chromedp.Click(chromedp.CSS(`#play`)), chromedp.KeyEvent(kb.Escape))
	poll[bool](tb, `document.getElementById('panel').getBoundingClientRect().right <= 0`, 5*time.Second)
	poll[bool](tb, `document.getElementById('map-date').textContent === '2023-10-20'`, 10*time.Second)
	v = eval[map[string]any](tb, visible)
	if v["inMap"] != true || v["covered"] != false || v["shown"] != true {
		t.Errorf("the date on the map during play: %v", v)
	}
	tb.checkClean()
}
