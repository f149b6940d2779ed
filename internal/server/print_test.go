package server

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"strikemap/internal/geo"
)

// TestReportPrintHidesPaging prints a paged report, as Chromium lays it out
// for paper: the paging links and download links, which mean nothing on
// paper, and the site's header and footer take no room, while the report
// itself is still there, each source link followed by its address and the
// incident table's head repeated on every page (every rule of the print
// style that the report page has an element for).
// The same page on screen shows them, so the test sees the print rules, not
// a page without paging.
func TestReportPrintHidesPaging(t *testing.T) {
	t.Parallel()
	s := syntheticServer(t, 8000)
	d := s.store.Dataset()
	base, most := "", 0
	for _, b := range d.Bases {
		if n := d.Count(geo.Filter{Bases: []string{b.ID}}); n > most {
			base, most = b.ID, n
		}
	}
	if most <= 200 {
		t.Fatal("no base has more than one page of incidents")
	}
	b := newBrowser(t, s)
	tb := b.newTab(t, 1024, 768)
	tb.run(chromedp.Navigate(tb.base + "/bases/" + base))
	poll[bool](tb, `document.readyState === 'complete'`, 20*time.Second)

	// The box each part takes, 0×0 when it is not shown.
	const boxes = `(function () {
		var out = {};
		for (const sel of ['.report-paging', '.site-header', '.site-footer', '.downloads', '.list-downloads', 'table.incident-table']) {
			var els = document.querySelectorAll(sel), area = 0;
			els.forEach(function (e) { var r = e.getBoundingClientRect(); area += r.width * r.height; });
			out[sel] = els.length ? area : -1;
		}
		return out;
	})()`
	screen := eval[map[string]float64](tb, boxes)
	for sel, area := range screen {
		if area <= 0 {
			t.Fatalf("on screen %s takes %v px² (-1: absent); the test needs it shown: %v", sel, area, screen)
		}
	}
	tb.run(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	paper := eval[map[string]float64](tb, boxes)
	for _, sel := range []string{".report-paging", ".site-header", ".site-footer", ".downloads", ".list-downloads"} {
		if paper[sel] != 0 {
			t.Errorf("printed, %s takes %v px²; want it left out", sel, paper[sel])
		}
	}
	if paper["table.incident-table"] <= 0 {
		t.Errorf("printed, the table of incidents is gone: %v", paper)
	}
	// On paper a link cannot be followed: each source link prints its
	// address after it; and a table longer than a page repeats its head.
	type printed struct {
		Links, WithAddress int
		Example            string
		Heads              []string
	}
	const onPaper = `(function () {
		var links = Array.from(document.querySelectorAll('.report .source-link'));
		var withAddress = links.filter(function (a) { return getComputedStyle(a, '::after').content.indexOf(a.getAttribute('href')) >= 0; });
		return {
			Links: links.length, WithAddress: withAddress.length,
			Example: links.length ? getComputedStyle(links[0], '::after').content : '',
			Heads: Array.from(document.querySelectorAll('table.incident-table thead')).map(function (h) { return getComputedStyle(h).display; })
		};
	})()`
	p := eval[printed](tb, onPaper)
	if p.Links == 0 || p.WithAddress != p.Links {
		t.Errorf("printed, %d of %d source links show their address after them (e.g. %q)", p.WithAddress, p.Links, p.Example)
	}
	if len(p.Heads) == 0 || slices.ContainsFunc(p.Heads, func(d string) bool { return d != "table-header-group" }) {
		t.Errorf("printed, the incident tables' heads display as %v; want table-header-group, repeated on each page", p.Heads)
	}
	tb.checkClean()
}
