package server

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"strikemap/internal/store"
)

// TestLoginInBrowser logs in through the form in Chromium at desktop and
// phone widths: the map's header then names the user, inside the window,
// clear of the brand, tagline and filters button, with no sideways scroll;
// logging out (a form with its CSRF token) leaves a reader's page. No CSP
// violation or console error on the way.
func TestLoginInBrowser(t *testing.T) {
	t.Parallel()
	rs := newRecordServer(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	rs.addUser(t, "carol.longname-of-the-newsroom", store.Contributor)
	b := newBrowser(t, rs.Server)
	for _, size := range []struct {
		name          string
		width, height int64
	}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			tb := b.newTab(t, size.width, size.height)
			tb.run(chromedp.Navigate(tb.base+"/login?next=%2F%3Fbase%3Dalpha"), chromedp.WaitVisible(chromedp.CSS(`#login-name`)))
			tb.run(
				chromedp.SendKeys(chromedp.CSS(`#login-name`), "carol.longname-of-the-newsroom"),
				chromedp.SendKeys(chromedp.CSS(`#login-password`), testPassword),
				chromedp.Click(chromedp.CSS(`.login-form button[type=submit]`)),
			)
			tb.run(chromedp.WaitVisible(chromedp.CSS(`.account-bar`)))
			tb.settle()
			if u := eval[string](tb, `location.pathname + location.search`); !strings.HasPrefix(u, "/?base=alpha") {
				t.Errorf("after the login, at %s: want where the login was asked for", u)
			}
			if name := eval[string](tb, `document.querySelector('.account-name').textContent`); name != "carol.longname-of-the-newsroom (contributor)" {
				t.Errorf("the header names %q", name)
			}
			headerProblems(tb, ".topbar", ".topbar .brand", ".topbar .tagline", "#filters-toggle")
			// A text page's header too.
			tb.run(chromedp.Navigate(tb.base+"/incidents/"+firstIncidentID(t, rs)), chromedp.WaitVisible(chromedp.CSS(`.account-bar`)))
			headerProblems(tb, ".site-header", ".site-header .brand")
			tb.run(chromedp.Navigate(tb.base+"/"), chromedp.WaitVisible(chromedp.CSS(`.account-bar`)))
			tb.settle()
			tb.run(chromedp.Click(chromedp.CSS(`.logout-form button`)), chromedp.WaitNotPresent(chromedp.CSS(`.account-bar`)))
			tb.settle()
			tb.checkClean()
		})
	}
}

// headerProblems fails the test on what a reader would notice of the
// account bar in a header: a line broken in a button, the bar or one of
// others outside the window or on top of the bar, a header wider than the
// window, a page scrolling sideways.
func headerProblems(tb *tab, header string, others ...string) {
	tb.t.Helper()
	sels, _ := json.Marshal(others)
	problems := eval[[]string](tb, fmt.Sprintf(`(function (header, others) {
		var out = [], w = window.innerWidth;
		var bar = document.querySelector('.account-bar').getBoundingClientRect();
		if (bar.left < 0 || bar.right > w + 0.5 || bar.width === 0) out.push('bar at ' + bar.left + '..' + bar.right + ' of ' + w);
		var b = document.querySelector('.logout-form button'), button = b.getBoundingClientRect();
		if (button.right > w + 0.5 || button.width === 0) out.push('logout button at ' + button.left + '..' + button.right);
		if (button.height > 2.2 * parseFloat(getComputedStyle(b).lineHeight || '16')) out.push('the logout button breaks its line: ' + button.height + ' px high');
		var h = document.querySelector(header);
		if (h.scrollWidth > h.clientWidth) out.push(header + ' is wider than the window: ' + h.scrollWidth + ' > ' + h.clientWidth);
		others.forEach(function (sel) {
			var e = document.querySelector(sel);
			if (!e || getComputedStyle(e).display === 'none') return;
			var r = e.getBoundingClientRect();
			if (r.width > 0 && (r.left < 0 || r.right > w + 0.5)) out.push(sel + ' at ' + r.left + '..' + r.right + ', outside the window of ' + w);
			if (r.width > 0 && r.left < bar.right - 0.5 && bar.left < r.right - 0.5 && r.top < bar.bottom - 0.5 && bar.top < r.bottom - 0.5) out.push(sel + ' overlaps the account bar');
		});
		if (document.documentElement.scrollWidth > w) out.push('sideways scroll: ' + document.documentElement.scrollWidth + ' > ' + w);
		return out;
	})(%q, %s)`, header, sels))
	for _, p := range problems {
		tb.t.Errorf("%s: %s", header, p)
	}
}
