package server

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"strikemap/internal/auth"
	"strikemap/internal/store"
)

// linkPath is the path and query of a password link shown on a page.
func linkPath(t *testing.T, rs *recordServer, link string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(link, rs.URL)
	if !ok || !strings.HasPrefix(rest, "/set-password?token=") {
		t.Fatalf("password link %q: want %s/set-password?token=...", link, rs.URL)
	}
	return rest
}

// setPasswordForm posts the set-password form of link from c, with the
// CSRF token of the page c last read.
func setPasswordForm(c *recordClient, path, password, again string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	u, _ := url.Parse(path)
	res, body := c.do(http.MethodPost, "/set-password", url.Values{"csrf": {c.CSRF}, "token": {u.Query().Get("token")}, "password": {password}, "password2": {again}})
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	return res, doc
}

// execDB runs a statement on the server's database directly, as an
// operator (or the clock) would.
func execDB(t *testing.T, dbURL, query string, args ...any) {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite3", "file:"+filepath.ToSlash(path)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// An admin makes a one-time link on /admin/users; its holder sets a
// password at /set-password (under the rules of every password, CSRF
// checked as on the login form) and is logged in; the link then sets
// nothing, and a used, an expired and a wrong link get the same page.
// The user's old sessions end. The token never reaches the request log,
// and a link made before a restart works after it.
func TestPasswordLink(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		var logs bytes.Buffer
		rs := securityServer(t, dbURL, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		rs.addUser(t, "ada", store.Admin)
		ada, carol := rs.client(t), rs.client(t)
		ada.login("ada", testPassword)
		carol.login("carol", testPassword) // a browser where carol was logged in before

		ada.page("/admin/users")
		res, body := ada.post("/admin/users/carol/link", nil)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if res.StatusCode != http.StatusCreated || res.Header.Get("Cache-Control") != "private, no-store" ||
			!strings.Contains(doc.Find("#accounts-done").Text(), "A one-time link for carol") {
			t.Fatalf("ada makes a link for carol: %s, Cache-Control %q: %.300s", res.Status, res.Header.Get("Cache-Control"), body)
		}
		first := linkPath(t, rs, strings.TrimSpace(doc.Find("#password-link").Text()))
		ada.page("/admin/users")
		_, body = ada.post("/admin/users/carol/link", nil)
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
		link := linkPath(t, rs, strings.TrimSpace(doc.Find("#password-link").Text()))

		visitor := rs.client(t)
		res, doc = visitor.page(link)
		if res.StatusCode != http.StatusOK || !strings.Contains(doc.Find("#setpw-intro").Text(), "carol") {
			t.Fatalf("GET the link: %s", res.Status)
		}
		if res.Header.Get("Referrer-Policy") != "no-referrer" || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the link's page: Referrer-Policy %q, Cache-Control %q", res.Header.Get("Referrer-Policy"), res.Header.Get("Cache-Control"))
		}
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("the link's page: CSP %q", res.Header.Get("Content-Security-Policy"))
		}
		if res, _ := rs.client(t).page(first); res.StatusCode != http.StatusNotFound {
			t.Errorf("the first link after a second was made: %s, want 404", res.Status)
		}

		// CSRF: the form's token of this browser's login cookie, or 403,
		// whatever the rest of the form holds.
		stranger := rs.client(t)
		stranger.page("/login")
		for name, c := range map[string]struct {
			client         *recordClient
			csrf, password string
		}{
			"no token": {visitor, "", "a new fine passphrase"}, "another browser's token": {visitor, stranger.CSRF, "a new fine passphrase"},
			"no login cookie": {rs.client(t), visitor.CSRF, "a new fine passphrase"}, "no token, a weak password": {visitor, "", "weak"},
		} {
			u, _ := url.Parse(link)
			form := url.Values{"token": {u.Query().Get("token")}, "password": {c.password}, "password2": {c.password}}
			if c.csrf != "" {
				form.Set("csrf", c.csrf)
			}
			if res, body := c.client.do(http.MethodPost, "/set-password", form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %s, want 403: %.200s", name, res.Status, body)
			}
		}

		// The rules of every password, each beside its field; the link
		// stays unused.
		for _, c := range []struct{ password, again, field string }{
			{"short", "short", "password"},
			{"carol's own passphrase", "carol's own passphrase", "password"},
			{"a new fine passphrase", "a new fine passphrase!", "password2"},
		} {
			res, doc := setPasswordForm(visitor, link, c.password, c.again)
			if res.StatusCode != http.StatusBadRequest || doc.Find("#err-f-"+c.field).Length() != 1 {
				t.Errorf("set %q/%q: %s, error beside %s: %q", c.password, c.again, res.Status, c.field, doc.Find(".field-error").Text())
			}
			if doc.Find("#f-password[value]").AttrOr("value", "") != "" {
				t.Error("the password is sent back in the form")
			}
		}
		res, _ = setPasswordForm(visitor, link, "a new fine passphrase", "a new fine passphrase")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" || visitor.cookie(auth.SessionCookie) == "" {
			t.Fatalf("set the password: %s to %q", res.Status, res.Header.Get("Location"))
		}
		visitor.page("/")
		if res, body := visitor.post("/test/propose", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("the link's holder, logged in as carol: %s %.200s", res.Status, body)
		}
		if res, _ := carol.post("/test/propose", nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("carol's session from before the link was used: %s, want 401", res.Status)
		}
		if _, err := rs.Store.Authenticate(context.Background(), "carol", "a new fine passphrase"); err != nil {
			t.Errorf("carol's new password: %v", err)
		}

		// Used, expired, wrong: one answer.
		other, _ := store.NewSecret()
		ada.page("/admin/users")
		_, body = ada.post("/admin/users/eddie/link", nil)
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
		expired := linkPath(t, rs, strings.TrimSpace(doc.Find("#password-link").Text()))
		execDB(t, dbURL, "UPDATE password_links SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL AND revoked_at IS NULL")
		var want string
		for i, path := range []string{link, expired, "/set-password?token=" + other, "/set-password", "/set-password?token=" + url.QueryEscape("<script>alert(1)</script>")} {
			c := rs.client(t)
			res, body := c.do(http.MethodGet, path, nil)
			if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "This link does not set a password") {
				t.Errorf("GET %s: %s, want 404 saying so", path, res.Status)
			}
			if i == 0 {
				want = body
			} else if body != want {
				t.Errorf("GET %s: not the page of a used link:\n%s\n---\n%s", path, body, want)
			}
			c.page("/login")
			res, doc := setPasswordForm(c, path, "yet another passphrase", "yet another passphrase")
			if res.StatusCode != http.StatusNotFound || doc.Find("#setpw-gone").Length() != 1 {
				t.Errorf("POST the form of %s: %s, want 404", path, res.Status)
			}
		}
		if strings.Contains(logs.String(), strings.TrimPrefix(link, "/set-password?token=")) || !strings.Contains(logs.String(), "token=REDACTED") {
			t.Errorf("the request log holds a link's token, or no redacted one:\n%.2000s", logs.String())
		}

		// A link made before a restart works after it: it is in the
		// database, not in a process's memory.
		ada.page("/admin/users")
		_, body = ada.post("/admin/users/eddie/link", nil)
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
		again := linkPath(t, rs, strings.TrimSpace(doc.Find("#password-link").Text()))
		rs2 := newRecordServer(t, dbURL) // another process on the same database

		c := rs2.client(t)
		if res, _ := c.page(again); res.StatusCode != http.StatusOK {
			t.Fatalf("the link after a restart: %s", res.Status)
		}
		if res, _ := setPasswordForm(c, again, "eddie's fresh passphrase!", "eddie's fresh passphrase!"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("a password holding the name, after a restart: %s", res.Status)
		}
		if res, _ := setPasswordForm(c, again, "the restart passphrase", "the restart passphrase"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("set by the link after a restart: %s", res.Status)
		}
	})
}

// A user logged in changes their own password: the current one required
// (a wrong one counts as a failed login, under the login throttle), the
// new one typed twice under the rules of every password; their other
// sessions end, this one stays. An API token cannot.
func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		here, there := rs.client(t), rs.client(t)
		here.login("carol", testPassword)
		there.login("carol", testPassword)
		res, doc := here.page("/account/password")
		if res.StatusCode != http.StatusOK || doc.Find("#f-current").Length() != 1 || res.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("GET /account/password: %s, Cache-Control %q", res.Status, res.Header.Get("Cache-Control"))
		}
		if _, doc := here.page("/account/tokens"); doc.Find(`a[href="/account/password"]`).Length() != 1 {
			t.Error("the account page does not link to the password form")
		}
		if res, _ := here.do(http.MethodPost, "/account/password", url.Values{"current": {testPassword}, "password": {"a brand new passphrase"}, "password2": {"a brand new passphrase"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("without the CSRF token: %s, want 403", res.Status)
		}
		for _, c := range []struct{ current, password, again, field string }{
			{"", "a brand new passphrase", "a brand new passphrase", "current"},
			{"not the password", "a brand new passphrase", "a brand new passphrase", "current"},
			{testPassword, "short", "short", "password"},
			{testPassword, "a brand new passphrase", "a brand new passphrase?", "password2"},
		} {
			res, body := here.post("/account/password", url.Values{"current": {c.current}, "password": {c.password}, "password2": {c.again}})
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			if res.StatusCode != http.StatusBadRequest || doc.Find("#err-f-"+c.field).Length() != 1 {
				t.Errorf("change %+v: %s, error beside %s: %q", c, res.Status, c.field, doc.Find(".field-error").Text())
			}
		}
		res, body := here.post("/account/password", url.Values{"current": {testPassword}, "password": {"a brand new passphrase"}, "password2": {"a brand new passphrase"}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your password is changed") {
			t.Fatalf("change: %s %.300s", res.Status, body)
		}
		if res, _ := here.post("/test/propose", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("the session that changed it: %s", res.Status)
		}
		if res, _ := there.post("/test/propose", nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("carol's other session: %s, want 401", res.Status)
		}
		if res := rs.client(t).tryLogin("carol", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the old password: %s", res.Status)
		}
		rs.client(t).login("carol", "a brand new passphrase")

		// An API token cannot change it.
		_, token, err := rs.Store.AddToken(context.Background(), "carol", "a script")
		if err != nil {
			t.Fatal(err)
		}
		script := rs.client(t)
		script.Token = token
		if res, _ := script.do(http.MethodPost, "/account/password", url.Values{"current": {"a brand new passphrase"}, "password": {"the script's passphrase"}, "password2": {"the script's passphrase"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("a token changing the password: %s, want 403", res.Status)
		}

		// Wrong current passwords count as failed logins: the fifth locks
		// the account, the form and the login alike.
		for i := 0; i < auth.MaxAccountFailures; i++ {
			here.post("/account/password", url.Values{"current": {"guess " + string(rune('a'+i))}, "password": {"a guessed passphrase"}, "password2": {"a guessed passphrase"}})
		}
		res, body = here.post("/account/password", url.Values{"current": {"a brand new passphrase"}, "password": {"a later passphrase"}, "password2": {"a later passphrase"}})
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many failed logins") {
			t.Errorf("after %d wrong current passwords: %s, Retry-After %q", auth.MaxAccountFailures, res.Status, res.Header.Get("Retry-After"))
		}
		if res := rs.client(t).tryLogin("carol", "a brand new passphrase"); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("a login after them: %s, want 429", res.Status)
		}
	})
}

// An admin enables a disabled user again on /admin/users: they may log in
// anew, and what disabling revoked (sessions, tokens) stays revoked; a
// disabled user gets no password link.
func TestEnableUser(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		rs.addUser(t, "ada", store.Admin)
		ada, carol := rs.client(t), rs.client(t)
		ada.login("ada", testPassword)
		carol.login("carol", testPassword)
		_, token, err := rs.Store.AddToken(context.Background(), "carol", "a script")
		if err != nil {
			t.Fatal(err)
		}
		script := rs.client(t)
		script.Token = token
		ada.page("/admin/users")
		if res, _ := ada.post("/admin/users/carol/disable", nil); res.StatusCode != http.StatusOK {
			t.Fatalf("disable carol: %s", res.Status)
		}
		if res, body := ada.post("/admin/users/carol/link", nil); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "enable them before") {
			t.Errorf("a link for disabled carol: %s", res.Status)
		}
		if res, _ := ada.do(http.MethodPost, "/admin/users/carol/enable", url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("enable without the CSRF token: %s, want 403", res.Status)
		}
		res, body := ada.post("/admin/users/carol/enable", nil)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "carol is enabled again") || doc.Find("#user-carol").HasClass("user-disabled") ||
			doc.Find(`#user-carol form[action="/admin/users/carol/disable"]`).Length() != 1 {
			t.Errorf("enable carol: %s %.300s", res.Status, body)
		}
		if res, _ := ada.post("/admin/users/nobody/enable", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("enable nobody: %s, want 404", res.Status)
		}
		for name, c := range map[string]*recordClient{"session": carol, "token": script} {
			if res, _ := c.post("/test/propose", nil); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("carol's %s revoked when she was disabled, after enabling: %s, want 401", name, res.Status)
			}
		}
		again := rs.client(t)
		again.login("carol", testPassword)
		if res, _ := again.post("/test/propose", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("carol logged in anew: %s", res.Status)
		}
		// Only an admin.
		eddie := rs.client(t)
		eddie.login("eddie", testPassword)
		for _, path := range []string{"/admin/users/carol/enable", "/admin/users/carol/link"} {
			if res, _ := eddie.post(path, nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("an editor POST %s: %s, want 403", path, res.Status)
			}
		}
	})
}
