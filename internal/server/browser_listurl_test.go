package server

import (
	"fmt"
	"net/url"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// listPage is what a reader sees of the list: its rows, the range it says
// and the order its header says.
type listPage struct {
	IDs   []string
	Range string
	Sort  string
}

func (tb *tab) listPage() listPage {
	tb.t.Helper()
	return listPage{
		IDs:   tb.listIDs(),
		Range: eval[string](tb, `document.getElementById('list-range').textContent`),
		Sort:  eval[string](tb, `(document.querySelector('#incident-list th[aria-sort]') || {id: 'none'}).textContent.trim() + ' ' + ((document.querySelector('#incident-list th[aria-sort]') || {getAttribute: function () { return ''; }}).getAttribute('aria-sort'))`),
	}
}

func samePage(t *testing.T, what string, got, want listPage) {
	t.Helper()
	if !slices.Equal(got.IDs, want.IDs) || got.Range != want.Range || got.Sort != want.Sort {
		first := func(p listPage) []string { return p.IDs[:min(3, len(p.IDs))] }
		t.Errorf("%s: the list shows %q sorted %q, %d rows from %v; want %q sorted %q, %d rows from %v", what, got.Range, got.Sort, len(got.IDs), first(got), want.Range, want.Sort, len(want.IDs), first(want))
	}
}

// TestListPageInURLInBrowser: the list's order and page are in the URL, so
// a shared link reopens the same page in the same order, and back and
// forward step through the pages a reader turned.
func TestListPageInURLInBrowser(t *testing.T) {
	t.Parallel()
	// More than a page of them in the first view, few enough to be drawn as points.
	s := syntheticServer(t, 1500)
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	first := tb.listPage()
	tb.run(chromedp.Click(chromedp.CSS(`#sort-date`)))
	tb.settle()
	newestFirst := tb.listPage()
	if eval[bool](tb, `document.getElementById('list-next').disabled`) {
		t.Fatalf("the list has one page (%q): nothing to turn", newestFirst.Range)
	}
	tb.run(chromedp.Click(chromedp.CSS(`#list-next`)))
	tb.settle()
	second := tb.listPage()
	if slices.Equal(second.IDs, newestFirst.IDs) {
		t.Fatal("the next page shows the same rows")
	}
	u, err := url.Parse(eval[string](tb, `location.href`))
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); q.Get("sort") != "-date" || q.Get("page") != "2" {
		t.Errorf("on the second page newest first, the URL says sort=%q page=%q", q.Get("sort"), q.Get("page"))
	}

	// The link, opened elsewhere, shows the same page in the same order.
	other := b.newTab(t, 1280, 800)
	other.open(u.RequestURI())
	samePage(t, "the shared link", other.listPage(), second)
	other.checkClean()

	// Back and forward step through the pages and orders.
	step := func(what, js string, want listPage) {
		t.Helper()
		tb.run(chromedp.Evaluate[chromedp.Void](js))
		// The list is redrawn once the page has read the entry's URL.
		tb.waitFor(fmt.Sprintf(`(function () { var r = document.querySelector('#incident-list tbody tr[data-id]'); return document.body.dataset.busy === '0' && !!r && r.dataset.id === %q; })()`, want.IDs[0]))
		tb.settle()
		samePage(t, what, tb.listPage(), want)
	}
	step("back once", `history.back()`, newestFirst)
	step("back twice", `history.back()`, first)
	step("forward once", `history.forward()`, newestFirst)
	step("forward twice", `history.forward()`, second)

	// A new choice of filters starts the list again from its first page,
	// in the order chosen.
	tb.run(chromedp.Click(chromedp.CSS(`#filters input[name=weapon][value=drone]`)))
	tb.settle()
	q := eval[string](tb, `location.search`)
	v, _ := url.ParseQuery(q[1:])
	if v.Has("page") || v.Get("sort") != "-date" {
		t.Errorf("after a filter change the URL says page=%q sort=%q, want no page and sort=-date", v.Get("page"), v.Get("sort"))
	}
	if r := numbers(tb.listPage().Range); len(r) == 0 || r[0] != 1 {
		t.Errorf("after a filter change the list says %q, want its first page", tb.listPage().Range)
	}
	tb.checkClean()
}
