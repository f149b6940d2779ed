package server

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOfficialCountInBrowser: a reader sees, for the range chosen, the
// Pentagon's count beside the map's ("counted N attacks by this date; this
// map holds M"), with its source, and the running count drawn under the
// timeline, each mark inside the histogram's width and in date order.
func TestOfficialCountInBrowser(t *testing.T) {
	t.Parallel()
	d := shippedData(t)
	if len(d.OfficialCounts) == 0 {
		t.Fatal("the shipped data has no official counts")
	}
	b := newBrowser(t, offlineServer(t))
	for _, size := range []struct {
		name          string
		width, height int64
		phone         bool
	}{{"desktop", 1280, 800, false}, {"phone", 375, 740, true}} {
		t.Run(size.name, func(t *testing.T) {
			tb := b.newTab(t, size.width, size.height)
			tb.open("/?to=2023-12-31")
			var want string
			for _, c := range d.OfficialCounts {
				if c.Date.String() <= "2023-12-31" {
					q := map[string]string{"exact": "", "at_least": "at least ", "more_than": "more than ", "about": "about ", "nearly": "nearly "}[c.Qualifier.String()]
					want = fmt.Sprintf("The Pentagon counted %s%d attacks on US forces in %s by %s; this map holds %d there by then.", q, c.Count, c.Scope, c.Date, d.MappedBy(c.Date, c.Countries))
				}
			}
			got := poll[map[string]any](tb, `(function () {
				var p = document.getElementById('official-count'), a = p.querySelector('a');
				return p.textContent && a ? {text: p.firstChild.textContent, href: a.href} : null;
			})()`, 10*time.Second)
			if got["text"] != want {
				t.Errorf("the sentence says %q, want %q", got["text"], want)
			}
			if href, _ := got["href"].(string); len(href) < 8 || (href[:7] != "http://" && href[:8] != "https://") {
				t.Errorf("the source link is %q", got["href"])
			}
			marks := eval[[]float64](tb, `(function () {
				var svg = document.querySelector('#official-strip svg'), r = svg.getBoundingClientRect(), h = document.getElementById('histogram').getBoundingClientRect();
				return Array.from(svg.querySelectorAll('.official-mark')).map(function (c) { var q = c.getBoundingClientRect(); return (q.left + q.right) / 2 - h.left; }).concat([h.width, r.right - h.right]);
			})()`)
			width, overhang := marks[len(marks)-2], marks[len(marks)-1]
			marks = marks[:len(marks)-2]
			if len(marks) != len(d.OfficialCounts) {
				t.Errorf("%d marks under the timeline, want one per count (%d)", len(marks), len(d.OfficialCounts))
			}
			for i, x := range marks {
				if x < 0 || x > width {
					t.Errorf("mark %d at %.0f px, outside the histogram's 0..%.0f", i, x, width)
				}
				if i > 0 && x < marks[i-1] {
					t.Errorf("mark %d at %.0f px is left of mark %d at %.0f px", i, x, i-1, marks[i-1])
				}
			}
			if overhang > 0.5 {
				t.Errorf("the strip runs %.1f px past the histogram", overhang)
			}
			if size.phone {
				tb.openPanelList(true)
				if w := eval[[]int](tb, `[document.getElementById('panel').scrollWidth, document.getElementById('panel').clientWidth]`); w[0] > w[1]+1 {
					t.Errorf("the panel scrolls sideways: %d px of content in %d", w[0], w[1])
				}
			}
			tb.checkClean()
		})
	}
}

// TestStrikesLayerInBrowser: the US strikes are a layer of their own, off
// at first; on, it draws the strikes whose days meet the range, and a
// strike's popup names what was struck and its sources.
func TestStrikesLayerInBrowser(t *testing.T) {
	t.Parallel()
	d := shippedData(t)
	b := newBrowser(t, offlineServer(t))
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	if n := eval[int](tb, `document.querySelectorAll('.strike-marker').length`); n != 0 {
		t.Errorf("%d strikes drawn with the layer off", n)
	}
	tb.open("/?layers=bases,incidents,strikes&from=2023-11-01&to=2023-11-30")
	var want []string
	for _, s := range d.Strikes {
		if s.Date.String() <= "2023-11-30" && s.DateEnd.String() >= "2023-11-01" {
			want = append(want, s.ID)
		}
	}
	slices.Sort(want)
	if len(want) == 0 {
		t.Fatal("no strike in November 2023 to test with")
	}
	got := poll[[]string](tb, `(function () { var m = Array.from(document.querySelectorAll('#map .strike-marker')).map(function (e) { return e.dataset.id; }).sort(); return m.length ? m : null; })()`, 10*time.Second)
	equalIDs(t, "strikes in November", got, want)
	tb.run(chromedp.Click(chromedp.CSS(`#map .strike-icon:has(.strike-marker[data-id="` + want[0] + `"])`)))
	popup := poll[map[string]any](tb, `(function () {
		var p = document.querySelector('.strike-popup[data-id="`+want[0]+`"]');
		return p ? {title: p.querySelector('h3').textContent, sources: p.querySelectorAll('.sources a.source-link').length} : null;
	})()`, 10*time.Second)
	if popup["title"] == "" || popup["sources"].(float64) < 1 {
		t.Errorf("the strike's popup: %v", popup)
	}
	tb.checkClean()
}
