package server

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTimelineBreakInBrowser: on the October 2023 fixture (busy days in
// October 2023, then nothing until late January 2024, drawn as a break;
// the shipped campaign data has no such gap any more), a brush
// dragged across the break selects the days on either side of it, and
// play jumps over it instead of playing three quiet months day by day.
func TestTimelineBreakInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, octoberServer(t))
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	if n := eval[int](tb, `document.querySelectorAll('#histogram .histogram-break').length`); n != 1 {
		t.Fatalf("%d breaks in the histogram, want 1", n)
	}

	// The brush maps across the break.
	x0, y := barCentre(tb, "2023-10-22")
	x1, _ := barCentre(tb, "2024-01-28")
	tb.run(mouseDrag(x0, y, x1, y))
	tb.settle()
	q, _ := url.ParseQuery(strings.TrimPrefix(eval[string](tb, `location.search`), "?"))
	if q.Get("from") != "2023-10-22" || q.Has("to") {
		t.Errorf("after dragging from 22 Oct across the break to 28 Jan the URL says from=%q to=%q", q.Get("from"), q.Get("to"))
	}
	equalIDs(t, "brushed across the break", tb.markers(), apiIDs(t, b.server.URL, "from=2023-10-22"))

	// Play, by day, from 18 October: every frame it shows is a day with
	// incidents or next to them, none inside the break.
	tb.run(setField("filter-from", "2023-10-18"))
	tb.settle()
	eval[any](tb, `(function () {
		var s = document.getElementById('play-step'); s.value = 'day'; s.dispatchEvent(new Event('change', {bubbles: true}));
		var v = document.getElementById('play-speed'); v.value = '350'; v.dispatchEvent(new Event('change', {bubbles: true}));
		window.__frames = [];
		var out = document.getElementById('map-date');
		new MutationObserver(function () { if (out.classList.contains('playing')) { window.__frames.push(out.textContent); } }).observe(out, {childList: true, characterData: true, subtree: true});
		document.getElementById('play').click();
		return 0;
	})()`)
	// Wait until play ends by itself (the map's date is the range again) or
	// shows a day inside the break.
	inBreak := func(f string) bool { return f >= "2023-10-24" && f <= "2024-01-27" }
	poll[bool](tb, `window.__frames.length > 0 && (!document.getElementById('map-date').classList.contains('playing') ||
		window.__frames.some(function (f) { return f >= '2023-10-24' && f <= '2024-01-27'; }))`, 90*time.Second)
	frames := eval[[]string](tb, `window.__frames`)
	for _, f := range frames {
		if inBreak(f) {
			t.Errorf("play showed %q, inside the break (24 Oct 2023 to 27 Jan 2024); frames: %v", f, frames)
			break
		}
	}
	if len(frames) == 0 || frames[len(frames)-1] != "2024-01-28" {
		t.Errorf("play's frames %v do not end with 28 January", frames)
	}
	tb.checkClean()
}
