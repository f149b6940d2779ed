package server

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"strikemap/internal/store"
)

// TestAccountPagesInBrowser uses the account pages in Chromium at phone
// width, the narrowest: an admin's /admin/users lists every user with its
// forms inside the window, no button breaking its line, no sideways
// scroll; on /account/tokens a token made for a hostile label shows the
// label as text and the token, shown once, inside the window; revoking it
// says so. No CSP violation or console error on the way.
func TestAccountPagesInBrowser(t *testing.T) {
	t.Parallel()
	rs := newRecordServer(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	rs.addUser(t, "ada", store.Admin)
	rs.addUser(t, "carol.longname-of-the-newsroom", store.Contributor)
	b := newBrowser(t, rs.Server)
	tb := b.newTab(t, 375, 740)
	tb.run(chromedp.Navigate(tb.base+"/login?next=%2Fadmin%2Fusers"), chromedp.WaitVisible(chromedp.CSS(`#login-name`)))
	tb.run(
		chromedp.SendKeys(chromedp.CSS(`#login-name`), "ada"),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), testPassword),
		chromedp.Click(chromedp.CSS(`.login-form button[type=submit]`)),
	)
	tb.run(chromedp.WaitVisible(chromedp.CSS(`#users`)))
	fits := func(where string) {
		t.Helper()
		for _, p := range eval[[]string](tb, `(function () {
			var out = [], w = window.innerWidth;
			document.querySelectorAll('main button, main select, main input, #users th, #tokens th, .token-secret').forEach(function (e) {
				var r = e.getBoundingClientRect();
				if (r.width > 0 && (r.left < 0 || r.right > w + 0.5)) out.push((e.id || e.tagName) + ' at ' + r.left + '..' + r.right);
				if (e.tagName === 'BUTTON' && r.height > 2.2 * parseFloat(getComputedStyle(e).lineHeight || '16')) out.push('button ' + e.textContent + ' breaks its line');
			});
			if (document.documentElement.scrollWidth > w) out.push('sideways scroll: ' + document.documentElement.scrollWidth + ' > ' + w);
			return out;
		})()`) {
			t.Errorf("%s: %s", where, p)
		}
	}
	if n := eval[int](tb, `document.querySelectorAll('#users tbody tr').length`); n != 2 {
		t.Errorf("%d users listed, want 2", n)
	}
	fits("/admin/users")

	const label = `<img src=x onerror="document.title='owned'"> nightly`
	tb.run(chromedp.Navigate(tb.base+"/account/tokens"), chromedp.WaitVisible(chromedp.CSS(`#f-label`)))
	tb.run(chromedp.SendKeys(chromedp.CSS(`#f-label`), label), chromedp.Click(chromedp.CSS(`#add-token-submit`)))
	tb.run(chromedp.WaitVisible(chromedp.CSS(`#token-secret`)))
	if tok := eval[string](tb, `document.getElementById('token-secret').textContent`); !strings.HasPrefix(tok, store.TokenPrefix) {
		t.Errorf("the token shown: %q", tok)
	}
	if got := eval[string](tb, `document.querySelector('#tokens tbody th').textContent`); got != label || eval[string](tb, `document.title`) == "owned" || eval[int](tb, `document.querySelectorAll('main img').length`) != 0 {
		t.Errorf("the label reads %q, title %q: want the label as text", got, eval[string](tb, `document.title`))
	}
	fits("/account/tokens")
	tb.run(chromedp.Click(chromedp.CSS(`#tokens form button`)), chromedp.WaitVisible(chromedp.CSS(`#accounts-done`)))
	if got := eval[string](tb, `document.querySelector('#tokens tbody td:last-child').textContent.trim()`); got != "revoked" {
		t.Errorf("after revoking, the token's state reads %q", got)
	}
	tb.checkClean()
}
