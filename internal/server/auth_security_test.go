package server

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/labstack/echo/v4"

	"strikemap/internal/auth"
	"strikemap/internal/request"
	"strikemap/internal/store"
)

// The security tests of issue 16, on SQLite and PostgreSQL: who may write,
// CSRF, sessions that end when they should, logins that reveal nothing.

// withTestWrites adds two write routes for the tests: one a contributor
// may use (POST /test/propose, a form) and one only an editor
// (POST /api/test/approve, the API), both answering 204.
func withTestWrites(rs *recordServer) *recordServer {
	ok := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
	rs.write(http.MethodPost, "/test/propose", ok, auth.Require(store.Contributor))
	rs.write(http.MethodPost, "/api/test/approve", ok, auth.Require(store.Editor))
	rs.echo.GET("/test/queue", ok, auth.Require(store.Editor))
	return rs
}

// securityServer is a record server with the test routes and three users:
// carol the contributor, eddie the editor, ada the admin.
func securityServer(t *testing.T, dbURL string, opts ...Options) *recordServer {
	rs := withTestWrites(newRecordServer(t, dbURL, opts...))
	rs.addUser(t, "carol", store.Contributor)
	rs.addUser(t, "eddie", store.Editor)
	return rs
}

func TestAnonymousWriteIs401(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		c := rs.client(t)
		for _, path := range []string{"/test/propose", "/api/test/approve"} {
			res, body := c.do(http.MethodPost, path, url.Values{"x": {"1"}})
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous POST %s: %s, want 401: %s", path, res.Status, body)
			}
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("anonymous POST %s: WWW-Authenticate %q", path, res.Header.Get("WWW-Authenticate"))
			}
		}
		res, body := c.do(http.MethodPost, "/api/test/approve", nil)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || !strings.Contains(body, `"error":"log in first`) {
			t.Errorf("the API's 401 is %s: %s", ct, body)
		}
	})
}

func TestWrongRoleIs403(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		carol := rs.client(t)
		carol.login("carol", testPassword)
		if res, body := carol.post("/test/propose", nil); res.StatusCode != http.StatusNoContent {
			t.Fatalf("carol proposes: %s %s", res.Status, body)
		}
		res, body := carol.post("/api/test/approve", nil)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "editor") {
			t.Errorf("carol approves: %s %s, want 403 naming the role", res.Status, body)
		}
		eddie := rs.client(t)
		eddie.login("eddie", testPassword)
		if res, body := eddie.post("/api/test/approve", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("eddie approves: %s %s", res.Status, body)
		}
	})
}

// Every request a session cookie authenticates, other than GET and HEAD,
// carries the session's CSRF token; a login form carries the login
// cookie's.
func TestCSRF(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		carol, eddie := rs.client(t), rs.client(t)
		carol.login("carol", testPassword)
		eddie.login("eddie", testPassword)
		// The right token with its first character changed (to "x", or
		// "y" when it is "x": one token in 64 begins with "x").
		wrong := "x" + carol.CSRF[1:]
		if wrong == carol.CSRF {
			wrong = "y" + carol.CSRF[1:]
		}
		for _, tc := range []struct {
			name, token, want string
		}{
			{"no token", "", "carries no CSRF token"},
			{"a wrong token", wrong, "wrong or out of date"},
			{"another session's token", eddie.CSRF, "wrong or out of date"},
		} {
			form := url.Values{}
			if tc.token != "" {
				form.Set("csrf", tc.token)
			}
			res, body := carol.do(http.MethodPost, "/test/propose", form)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, tc.want) {
				t.Errorf("%s: %s, want 403 saying %q: %.300s", tc.name, res.Status, tc.want, body)
			}
		}
		if res, body := carol.do(http.MethodPost, "/test/propose", nil, "X-CSRF-Token", carol.CSRF); res.StatusCode != http.StatusNoContent {
			t.Errorf("the token as X-CSRF-Token: %s %s", res.Status, body)
		}
		// The password forms too: one's own, and a link's (logged in, the
		// session's token is the one it needs).
		for _, path := range []string{"/account/password", "/set-password"} {
			form := url.Values{"current": {testPassword}, "password": {"a brand new passphrase"}, "password2": {"a brand new passphrase"}, "token": {"x"}}
			if res, body := carol.do(http.MethodPost, path, form); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "carries no CSRF token") {
				t.Errorf("POST %s without the token: %s, want 403: %.300s", path, res.Status, body)
			}
			form.Set("csrf", eddie.CSRF)
			if res, _ := carol.do(http.MethodPost, path, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with another session's token: %s, want 403", path, res.Status)
			}
		}
		// Logging out is a write too.
		if res, _ := carol.do(http.MethodPost, "/logout", url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("logout without the token: %s, want 403", res.Status)
		}
		if res, _ := carol.post("/test/propose", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("carol was logged out by a logout without the token: %s", res.Status)
		}
		// A login form not served to this browser is refused: no login
		// cookie, or the token of another browser's.
		stranger := rs.client(t)
		res, body := stranger.do(http.MethodPost, "/login", url.Values{"name": {"carol"}, "password": {testPassword}, "csrf": {carol.CSRF}})
		if res.StatusCode != http.StatusForbidden || stranger.cookie(auth.SessionCookie) != "" {
			t.Errorf("a login without the login cookie: %s, want 403: %.300s", res.Status, body)
		}
		other := rs.client(t)
		other.page("/login")
		stranger.page("/login")
		res, _ = stranger.do(http.MethodPost, "/login", url.Values{"name": {"carol"}, "password": {testPassword}, "csrf": {other.CSRF}})
		if res.StatusCode != http.StatusForbidden || stranger.cookie(auth.SessionCookie) != "" {
			t.Errorf("a login with another browser's form token: %s, want 403", res.Status)
		}
	})
}

// Disabling a user ends their sessions and tokens at the next request, on
// every process: each request looks its caller up.
func TestDisabledUserStopsAtOnce(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		browser := rs.client(t)
		browser.login("carol", testPassword)
		script := rs.client(t)
		_, token, err := rs.Store.AddToken(context.Background(), "carol", "test script")
		if err != nil {
			t.Fatal(err)
		}
		script.Token = token
		for name, c := range map[string]*recordClient{"session": browser, "token": script} {
			if res, body := c.post("/test/propose", nil); res.StatusCode != http.StatusNoContent {
				t.Fatalf("carol's %s before: %s %s", name, res.Status, body)
			}
		}
		if err := rs.Store.DisableUser(context.Background(), "carol"); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]*recordClient{"session": browser, "token": script} {
			if res, body := c.post("/test/propose", nil); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("carol's %s after she was disabled: %s %s, want 401", name, res.Status, body)
			}
		}
		if res := browser.tryLogin("carol", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a disabled user logs in: %s", res.Status)
		}
	})
}

// API tokens act with their user's role, need no CSRF token, and stop
// when revoked; a bad token is 401 on any route.
func TestBearerTokens(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		ctx := context.Background()
		_, carolToken, _ := rs.Store.AddToken(ctx, "carol", "carol's script")
		eddieT, eddieToken, _ := rs.Store.AddToken(ctx, "eddie", "eddie's script")
		c := rs.client(t)
		c.Token = eddieToken
		if res, body := c.do(http.MethodPost, "/api/test/approve", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("eddie's token approves, without a CSRF token: %s %s", res.Status, body)
		}
		c.Token = carolToken
		if res, _ := c.do(http.MethodPost, "/api/test/approve", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("carol's token approves: %s, want 403", res.Status)
		}
		if _, err := rs.Store.RevokeToken(ctx, eddieT.ID); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ header, path string }{
			{"Bearer " + eddieToken, "/api/test/approve"},
			{"Bearer " + eddieToken, "/api/bases.geojson"},
			{"Bearer smt_not-a-token", "/"},
			{"Basic Y2Fyb2w6cGFzc3dvcmQ=", "/api/test/approve"},
		} {
			c.Token = ""
			res, body := c.do(http.MethodPost, tc.path, nil, "Authorization", tc.header)
			if tc.path != "/api/test/approve" {
				res, body = c.do(http.MethodGet, tc.path, nil, "Authorization", tc.header)
			}
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Header.Get("WWW-Authenticate"), "error=") {
				t.Errorf("%q on %s: %s (WWW-Authenticate %q), want 401: %.200s", tc.header, tc.path, res.Status, res.Header.Get("WWW-Authenticate"), body)
			}
		}
	})
}

// A session id set before the login is not the one after, and is dead:
// someone who planted a cookie in a victim's browser gains nothing.
func TestSessionFixation(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		attacker := rs.client(t)
		attacker.login("eddie", testPassword)
		planted := attacker.cookie(auth.SessionCookie)
		victim := rs.client(t)
		u, _ := url.Parse(rs.URL)
		victim.http.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: planted, Path: "/"}})
		victim.login("carol", testPassword)
		after := victim.cookie(auth.SessionCookie)
		if after == "" || after == planted {
			t.Fatalf("the session cookie after the login is the planted one")
		}
		replay := rs.client(t)
		replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: planted, Path: "/"}})
		replay.CSRF = attacker.CSRF
		if res, _ := replay.post("/test/propose", nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the planted session after the victim's login: %s, want 401", res.Status)
		}
		// A made-up id too.
		fresh := rs.client(t)
		fresh.http.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: "chosen-by-the-attacker", Path: "/"}})
		fresh.login("carol", testPassword)
		if got := fresh.cookie(auth.SessionCookie); got == "chosen-by-the-attacker" || got == after {
			t.Errorf("the session after a login is %q", got)
		}
		// Logging out ends the session on the server: a copy of the
		// cookie is worth nothing.
		copyCookie, copyCSRF := fresh.cookie(auth.SessionCookie), fresh.CSRF
		if res, _ := fresh.post("/logout", nil); res.StatusCode != http.StatusSeeOther || fresh.cookie(auth.SessionCookie) != "" {
			t.Errorf("logout: %s, cookie left %q", res.Status, fresh.cookie(auth.SessionCookie))
		}
		stolen := rs.client(t)
		stolen.http.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookie, Value: copyCookie, Path: "/"}})
		stolen.CSRF = copyCSRF
		if res, _ := stolen.post("/test/propose", nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a copy of a logged-out session: %s, want 401", res.Status)
		}
	})
}

// loginAnswer posts a login from a fresh browser and returns the status
// and the page with what differs by request alone (the name typed, the
// CSRF token) taken out, and the bytes the server allocated meanwhile.
func loginAnswer(t *testing.T, rs *recordServer, name, password string) (status int, page string, allocated uint64) {
	t.Helper()
	c := rs.client(t)
	c.page("/login")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, body := c.do(http.MethodPost, "/login", url.Values{"name": {name}, "password": {password}, "csrf": {c.CSRF}, "next": {"/"}})
	runtime.ReadMemStats(&after)
	body = strings.ReplaceAll(body, c.CSRF, "CSRF")
	body = strings.ReplaceAll(body, `value="`+name+`"`, `value="NAME"`)
	return res.StatusCode, body, after.TotalAlloc - before.TotalAlloc
}

// An unknown user, a wrong password and a disabled user get the same
// answer, after the same work: the password is hashed for an unknown user
// too (argon2id's 19 MiB, counted as bytes allocated, not timed).
func TestLoginRevealsNoUser(t *testing.T) {
	rs := securityServer(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	rs.addUser(t, "dora", store.Editor)
	if err := rs.Store.DisableUser(context.Background(), "dora"); err != nil {
		t.Fatal(err)
	}
	// nina has a password link and no password yet.
	if _, err := rs.Store.AddUserWithoutPassword(context.Background(), "nina", store.Editor); err != nil {
		t.Fatal(err)
	}
	loginAnswer(t, rs, "nobody", "warm up the dummy hash") // made once, on first use
	wrongStatus, wrongPage, wrongWork := loginAnswer(t, rs, "carol", "not carol's password")
	if wrongStatus != http.StatusUnauthorized || !strings.Contains(wrongPage, "Wrong user name or password.") {
		t.Fatalf("a wrong password: %d\n%s", wrongStatus, wrongPage)
	}
	const argonBytes = 19 << 20
	for _, name := range []string{"nobody", "dora", "nina"} {
		status, page, work := loginAnswer(t, rs, name, testPassword)
		if status != wrongStatus || page != wrongPage {
			t.Errorf("login as %s: %d, want the answer to a wrong password (%d), the same page:\n%s", name, status, wrongStatus, page)
		}
		if work < argonBytes || wrongWork < argonBytes || work > 2*wrongWork || wrongWork > 2*work {
			t.Errorf("login as %s allocated %d bytes, a wrong password %d: want both at least argon2id's %d and within a factor 2", name, work, wrongWork, argonBytes)
		}
		t.Logf("login as %s: %d bytes allocated; a wrong password: %d", name, work, wrongWork)
	}
}

// Five failed logins to an account in a quarter of an hour lock it (known
// or not, the same), twenty from one client address lock that client;
// each answers 429 with Retry-After, even to the right password.
func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		for _, name := range []string{"carol", "nobody"} {
			c := rs.client(t)
			for i := 0; i < auth.MaxAccountFailures; i++ {
				if res := c.tryLogin(name, "guess number "+string(rune('a'+i))); res.StatusCode != http.StatusUnauthorized {
					t.Fatalf("%s: guess %d: %s, want 401", name, i+1, res.Status)
				}
			}
			c.page("/login")
			res, body := c.do(http.MethodPost, "/login", url.Values{"name": {name}, "password": {testPassword}, "csrf": {c.CSRF}},
				"X-Forwarded-For", "203.0.113.9") // not trusted: changes nothing
			ra, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if res.StatusCode != http.StatusTooManyRequests || err != nil || ra < 1 || ra > int(auth.Window/time.Second) ||
				!strings.Contains(body, "Too many failed logins: try again in 15 min.") {
				t.Errorf("%s after %d failures: %s, Retry-After %q, want 429 and at most %v: %.300s", name, auth.MaxAccountFailures, res.Status, res.Header.Get("Retry-After"), auth.Window, body)
			}
			if c.cookie(auth.SessionCookie) != "" {
				t.Errorf("%s: a throttled login set a session", name)
			}
		}
		// Another account from the same client is not locked yet (10
		// failures), until the client's own limit.
		c := rs.client(t)
		c.login("eddie", testPassword)
		for i := 2 * auth.MaxAccountFailures; i < auth.MaxClientFailures; i++ {
			if res := c.tryLogin("user"+strconv.Itoa(i), "a wrong password"); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d from the client: %s, want 401", i+1, res.Status)
			}
		}
		if res := rs.client(t).tryLogin("eddie", testPassword); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("eddie after %d failures from his address: %s, want 429", auth.MaxClientFailures, res.Status)
		}
	})
}

// The cookies are HttpOnly, SameSite=Lax, Path=/, and Secure when the
// request came over TLS (here: the site's https BaseURL, or a trusted
// proxy's X-Forwarded-Proto); the session lasts until its absolute expiry.
func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		opts   Options
		header []string
		secure bool
	}{
		{"http", Options{}, nil, false},
		{"https BaseURL", Options{Site: request.Site{BaseURL: "https://strikemap.example.org"}}, nil, true},
		{"trusted proxy", Options{Site: request.Site{TrustForwarded: true}}, []string{"X-Forwarded-Proto", "https"}, true},
		{"untrusted X-Forwarded-Proto", Options{}, []string{"X-Forwarded-Proto", "https"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := securityServer(t, "sqlite:"+filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".db"), tc.opts)
			c := rs.client(t)
			res, _ := c.do(http.MethodGet, "/login", nil, tc.header...)
			var login, session *http.Cookie
			for _, ck := range res.Cookies() {
				if ck.Name == auth.LoginCookie {
					login = ck
				}
			}
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(mustBody(t, c, "/login", tc.header)))
			csrf, _ := doc.Find(`input[name="csrf"]`).Attr("value")
			res, _ = c.do(http.MethodPost, "/login", url.Values{"name": {"carol"}, "password": {testPassword}, "csrf": {csrf}}, tc.header...)
			for _, ck := range res.Cookies() {
				if ck.Name == auth.SessionCookie {
					session = ck
				}
			}
			if res.StatusCode != http.StatusSeeOther || login == nil || session == nil {
				t.Fatalf("login: %s; cookies %v", res.Status, res.Cookies())
			}
			for _, ck := range []*http.Cookie{login, session} {
				if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure != tc.secure || ck.Domain != "" {
					t.Errorf("%s: %s, want HttpOnly; SameSite=Lax; Path=/; Secure %v", ck.Name, ck.String(), tc.secure)
				}
			}
			if session.MaxAge != int(auth.DefaultLimits.Max/time.Second) || len(session.Value) != 43 {
				t.Errorf("session cookie %s: want Max-Age %d and a 256-bit value", session.String(), int(auth.DefaultLimits.Max/time.Second))
			}
		})
	}
}

func mustBody(t *testing.T, c *recordClient, path string, header []string) string {
	t.Helper()
	_, body := c.do(http.MethodGet, path, nil, header...)
	return body
}

// A page asked for by GET without a login goes to the login form, and
// comes back after; the login's next never leaves the site.
func TestLoginRedirects(t *testing.T) {
	t.Parallel()
	rs := securityServer(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	c := rs.client(t)
	res, _ := c.do(http.MethodGet, "/test/queue?page=2", nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login?next=%2Ftest%2Fqueue%3Fpage%3D2" {
		t.Fatalf("GET /test/queue anonymous: %s to %q", res.Status, loc)
	}
	_, doc := c.page("/login?next=%2Ftest%2Fqueue%3Fpage%3D2")
	next, _ := doc.Find(`input[name="next"]`).Attr("value")
	res, _ = c.do(http.MethodPost, "/login", url.Values{"name": {"eddie"}, "password": {testPassword}, "csrf": {c.CSRF}, "next": {next}})
	if loc := res.Header.Get("Location"); loc != "/test/queue?page=2" {
		t.Errorf("after the login: to %q", loc)
	}
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		c := rs.client(t)
		c.page("/login")
		res, _ := c.do(http.MethodPost, "/login", url.Values{"name": {"eddie"}, "password": {testPassword}, "csrf": {c.CSRF}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("next %q: to %q, want /", next, loc)
		}
	}
}

// With a database, every page's header names who is logged in, with a
// logout form; such a page is kept by no cache. Readers and file mode see
// no trace of accounts.
func TestAccountBar(t *testing.T) {
	t.Parallel()
	rs := securityServer(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	c := rs.client(t)
	c.login("carol", testPassword)
	for _, path := range []string{"/", "/login", "/nowhere", "/incidents/" + firstIncidentID(t, rs)} {
		res, doc := c.page(path)
		bar := doc.Find(".account-bar")
		if bar.Length() != 1 || strings.TrimSpace(bar.Find(".account-name").Text()) != "carol (contributor)" {
			t.Errorf("%s: account bar %q", path, bar.Text())
		}
		form := bar.Find(`form[method="post"][action="/logout"]`)
		if tok, _ := form.Find(`input[name="csrf"]`).Attr("value"); tok == "" || form.Find("button").Text() != "Log out" {
			t.Errorf("%s: no logout form with a CSRF token", path)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" || res.Header.Get("ETag") != "" {
			t.Errorf("%s: Cache-Control %q, ETag %q for a page naming its reader", path, cc, res.Header.Get("ETag"))
		}
	}
	res, doc := rs.client(t).page("/")
	if doc.Find(".account-bar").Length() != 0 || !slices.Contains(res.Header.Values("Vary"), "Cookie") {
		t.Errorf("a reader's map: account bar %d, Vary %q", doc.Find(".account-bar").Length(), res.Header.Values("Vary"))
	}
	if res, _ := c.do(http.MethodGet, "/api/bases.geojson", nil); slices.Contains(res.Header.Values("Vary"), "Cookie") || res.Header.Get("ETag") == "" {
		t.Errorf("the API varies by cookie, or lost its ETag, for someone logged in: Vary %q", res.Header.Values("Vary"))
	}
	// File mode: no /login, no writes, no header.
	files := fixtureServer(t)
	if rec := get(t, files, "/login"); rec.Code != http.StatusNotFound {
		t.Errorf("file mode GET /login: %d", rec.Code)
	}
	for _, path := range []string{"/login", "/logout"} {
		if rec := do(t, files, http.MethodPost, path); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("file mode POST %s: %d, want 405", path, rec.Code)
		}
	}
	if rec := get(t, files, "/"); strings.Contains(rec.Body.String(), "account-bar") || slices.Contains(rec.Header().Values("Vary"), "Cookie") {
		t.Error("file mode's map has an account bar, or varies by cookie")
	}
}

func firstIncidentID(t *testing.T, rs *recordServer) string {
	t.Helper()
	d := rs.store.Dataset()
	if len(d.Incidents) == 0 {
		t.Fatal("no incidents")
	}
	return d.Incidents[0].ID
}

// The login page and the refusals of writes carry the site's security
// headers (CSP and the rest), as every other answer.
func TestAuthAnswersSecurityHeaders(t *testing.T) {
	t.Parallel()
	rs := securityServer(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	c := rs.client(t)
	res, _ := c.page("/login")
	checkSecurityHeaders(t, "GET /login", res.Header, "'self'")
	res, _ = c.do(http.MethodPost, "/login", url.Values{"name": {"x"}, "password": {"y"}, "csrf": {c.CSRF}})
	checkSecurityHeaders(t, "POST /login (401)", res.Header, "'self'")
	res, _ = c.do(http.MethodPost, "/api/test/approve", nil)
	checkSecurityHeaders(t, "POST /api/test/approve (401)", res.Header, "'self'")
	c.login("carol", testPassword)
	res, _ = c.do(http.MethodPost, "/test/propose", nil)
	checkSecurityHeaders(t, "POST /test/propose without CSRF (403)", res.Header, "'self'")
	res, _ = c.do(http.MethodPut, "/login", nil)
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("PUT /login: %s, want 405", res.Status)
	}
	checkSecurityHeaders(t, "PUT /login (405)", res.Header, "'self'")
}
