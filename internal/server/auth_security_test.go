package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"strikemap/internal/auth"
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
