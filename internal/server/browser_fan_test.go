package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestStacksFanOutClickEachInBrowser: every incident of every stack in the
// default view, once fanned out, opens its popup when a real mouse clicks
// its symbol's centre, on a desktop and on a phone, and no base's symbol
// and stack's count hides the other. (One of Ain al-Asad's five opened no
// popup, every time; on a phone, Harir's symbol covered the count of
// Erbil's stack, which then could not be tapped.)
func TestStacksFanOutClickEachInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, layersServer(t, 0, ""))
	for _, size := range [][2]int64{{1280, 800}, {375, 740}} {
		tb := b.newTab(t, size[0], size[1])
		tb.open("/")
		// The stacks whose place is on the map.
		type stack struct {
			IDs []string
		}
		stacks := eval[[]stack](tb, `(function () {
			var m = document.getElementById('map').getBoundingClientRect();
			return Array.from(document.querySelectorAll('#map .stack-icon')).filter(function (e) {
				var r = e.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
				return x > m.left && x < m.right && y > m.top && y < m.bottom;
			}).map(function (e) {
				return {IDs: Array.from(e.querySelectorAll('.incident-marker')).map(function (s) { return s.dataset.id; })};
			});
		})()`)
		if len(stacks) == 0 {
			t.Fatalf("%dx%d: no stack in the default view", size[0], size[1])
		}
		// A click at the centre of each base's symbol and of each stack's
		// count reaches it: neither hides the other.
		for _, miss := range eval[[]string](tb, hiddenMarks) {
			t.Errorf("%dx%d: %s", size[0], size[1], miss)
		}
		for _, s := range stacks {
			// Each stack from the default view (a popup's autoPan moves it),
			// in a tab closed when it is done: the tabs left open made each
			// new one slower, to ten minutes for the test. The stacks share
			// nothing, so two run at once (go test's -parallel, GOMAXPROCS):
			// 161 s alone on a quiet machine, one after the other.
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], s.IDs[0]), func(t *testing.T) {
				t.Parallel()
				tb := b.newTab(t, size[0], size[1])
				tb.open("/")
				for _, id := range s.IDs {
					tb.clickFanned(s.IDs, id)
				}
				tb.checkClean()
			})
		}
	}
}

// hiddenMarks lists the bases' symbols and the stacks' counts in the map
// that a click at their centre does not reach, and what it reaches instead.
const hiddenMarks = `(function () {
  var m = document.getElementById('map').getBoundingClientRect(), out = [];
  var check = function (e, sel, name) {
    var r = e.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    if (x <= m.left || x >= m.right || y <= m.top || y >= m.bottom) { return; }
    var at = document.elementFromPoint(x, y), hit = at && at.closest(sel);
    if (hit !== e) {
      var k = at && at.closest('.base-marker, .stack-count, .incident-marker, .leaflet-marker-icon');
      out.push(name + ' at ' + Math.round(x) + ',' + Math.round(y) + ' is under ' + (k ? k.className + ' ' + (k.dataset.id || (k.querySelector('[data-id]') || {dataset: {}}).dataset.id || '') : at ? at.className : 'nothing'));
    }
  };
  document.querySelectorAll('#map .base-marker').forEach(function (e) { check(e, '.base-marker', 'the base ' + e.dataset.id + "'s symbol"); });
  document.querySelectorAll('#map .stack-count').forEach(function (e) {
    check(e, '.stack-count', 'the count of the stack of ' + e.parentNode.querySelector('.incident-marker').dataset.id);
  });
  return out;
})()`

// clickFanned fans out the stack holding ids (unless it is), clicks the
// symbol of id with the mouse and checks that its popup opens, then closes it.
func (tb *tab) clickFanned(ids []string, id string) {
	tb.t.Helper()
	sel := fmt.Sprintf(`#map .incident-icon:not(.stack-icon) .incident-marker[data-id="%s"]`, id)
	// centre is where the element is once the map stands still (a popup's
	// autoPan moves it).
	centre := func(q string) []float64 {
		if !tb.waitFor(mapStill) {
			tb.t.Fatal("the map still moves 10 s on")
		}
		return eval[[]float64](tb, `(function () { var e = document.querySelector('`+q+`'); if (!e) { return null; } var r = e.getBoundingClientRect(); return [(r.left + r.right) / 2, (r.top + r.bottom) / 2]; })()`)
	}
	if eval[bool](tb, `!document.querySelector('`+sel+`')`) {
		// A stack at a base's point sits under the base's symbol: its
		// count is what shows, and what a user clicks.
		at := centre(fmt.Sprintf(`#map .stack-icon:has(.incident-marker[data-id="%s"]) .stack-count`, ids[0]))
		if at == nil {
			tb.t.Fatalf("no stack holds %s", id)
		}
		what := tb.hitAt(at)
		tb.run(chromedp.MouseClickXY(at[0], at[1]))
		if !tb.waitFor(`!!document.querySelector('` + sel + `')`) {
			tb.t.Errorf("a click on the count of %s's stack, where the page has %s, did not fan it out", id, what)
			return
		}
	}
	at := centre(sel)
	hit := tb.hitAt(at)
	tb.run(chromedp.MouseClickXY(at[0], at[1]))
	q := fmt.Sprintf(`!!document.querySelector('.incident-popup[data-id="%s"]')`, id)
	if !tb.waitFor(q) {
		tb.t.Errorf("%s, fanned out and clicked at (%.0f, %.0f) where the page has %s, opened no popup", id, at[0], at[1], hit)
		return
	}
	tb.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('.leaflet-popup-close-button').click()`))
	if !tb.waitFor(`!document.querySelector('.leaflet-popup')`) {
		tb.t.Fatalf("%s's popup did not close", id)
	}
}

// waitFor says whether a JavaScript expression turns truthy within 10 s.
func (tb *tab) waitFor(expr string) bool {
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(20*time.Millisecond)))
	return err == nil
}

// hitAt names what a click at a point of the page reaches.
func (tb *tab) hitAt(at []float64) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(function () { var e = document.elementFromPoint(%f, %f); if (!e) { return 'nothing'; } var m = e.closest('.incident-marker, .stack-count, .base-marker, .leaflet-marker-icon, .leaflet-tooltip, .leaflet-popup'); return (m || e).className + ' ' + ((m || e).dataset.id || ''); })()`, at[0], at[1]))
}
