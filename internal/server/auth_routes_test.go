package server

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"strikemap/internal/store"
)

// writeRouteRoles lists every route that takes a method other than GET or
// HEAD, with who may use it: "anyone", or the least role. A new write route
// fails TestEveryWriteRouteGuarded until it is added here, so that nobody
// adds one without deciding who may call it.
var writeRouteRoles = map[string]string{
	"POST /login":  "anyone", // the login form (CSRF: the login cookie's token)
	"POST /logout": "anyone", // ends the caller's own session, if any
	// Editing (edit.go): a contributor proposes, an editor decides and
	// edits bases.
	"POST /incidents/new":             string(store.Contributor),
	"POST /incidents/:id/edit":        string(store.Contributor),
	"POST /incidents/:id/sources":     string(store.Contributor),
	"POST /incidents/:id/retract":     string(store.Contributor),
	"POST /bases/new":                 string(store.Editor),
	"POST /bases/:id/edit":            string(store.Editor),
	"POST /review/:id/approve":        string(store.Editor),
	"POST /review/:id/reject":         string(store.Editor),
	"POST /api/proposals":             string(store.Contributor),
	"POST /api/proposals/:id/approve": string(store.Editor),
	"POST /api/proposals/:id/reject":  string(store.Editor),
	// People (accounts.go): an admin manages users; anyone logged in, their
	// own API tokens.
	"POST /admin/users":               string(store.Admin),
	"POST /admin/users/:name/role":    string(store.Admin),
	"POST /admin/users/:name/disable": string(store.Admin),
	"POST /account/tokens":            string(store.Contributor),
	"POST /account/tokens/:id/revoke": string(store.Contributor),
	"POST /admin/users/:name/enable":  string(store.Admin),
	"POST /admin/users/:name/link":    string(store.Admin),
	"POST /account/password":          string(store.Contributor),
	// Passwords (passwords.go): a one-time link's holder, logged in or not
	// (CSRF: the login cookie's token, as the login form).
	"POST /set-password": "anyone",
	// The security tests' own routes (withTestWrites).
	"POST /test/propose":     string(store.Contributor),
	"POST /api/test/approve": string(store.Editor),
}

// Every route with a method other than GET or HEAD is one registered as a
// write and listed in writeRouteRoles; anonymous callers get 401 and a
// role too low 403 from each that needs one; and none of them, called by an
// admin with a valid CSRF token and hostile fields, by a token, or by
// nobody, changes a row of the audit trail (revisions decided, their
// changes, the versions) that existed before. The database refuses such
// changes too (triggers, TestImportRecordsHistory); this is the HTTP side.
func TestEveryWriteRouteGuarded(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		ctx := context.Background()
		if _, err := rs.Store.Import(ctx, os.DirFS("../geo/testdata/valid"), store.ImportAuthor, "the fixture"); err != nil {
			t.Fatal(err)
		}
		rs.addUser(t, "ada", store.Admin)
		before := auditTrail(t, dbURL)
		if len(before) == 0 {
			t.Fatal("the audit trail is empty after an import")
		}

		var writes []string
		for _, r := range rs.Routes() {
			method, _, _ := strings.Cut(r, " ")
			if method == http.MethodGet || method == http.MethodHead {
				continue
			}
			writes = append(writes, r)
			if _, ok := writeRouteRoles[r]; !ok {
				t.Errorf("%s is not in writeRouteRoles: add it with the role it requires", r)
			}
		}
		registered := rs.WriteRoutes()
		slices.Sort(writes)
		slices.Sort(registered)
		if !slices.Equal(writes, registered) {
			t.Errorf("routes taking writes %v, registered by s.write %v: register every write with s.write", writes, registered)
		}
		for r := range writeRouteRoles {
			if !slices.Contains(writes, r) {
				t.Errorf("writeRouteRoles lists %s, which is not a route", r)
			}
		}

		ada, carol, eddie := rs.client(t), rs.client(t), rs.client(t)
		ada.login("ada", testPassword)
		carol.login("carol", testPassword)
		eddie.login("eddie", testPassword)
		byRole := map[store.Role]*recordClient{store.Contributor: carol, store.Editor: eddie}
		_, token, err := rs.Store.AddToken(ctx, "ada", "the audit test")
		if err != nil {
			t.Fatal(err)
		}
		script := rs.client(t)
		script.Token = token
		id := firstIncidentID(t, rs)
		for _, r := range writes {
			method, pattern, _ := strings.Cut(r, " ")
			path := routePath(pattern, id)
			role := writeRouteRoles[r]
			if role != "anyone" {
				if res, body := rs.client(t).do(method, path, url.Values{"reason": {"x"}}); res.StatusCode != http.StatusUnauthorized {
					t.Errorf("anonymous %s %s: %s, want 401: %.200s", method, path, res.Status, body)
				}
				if below := roleBelow(store.Role(role)); below != "" {
					c := byRole[below]
					if c == nil {
						t.Fatalf("no test user has role %s", below)
					}
					form := url.Values{"csrf": {c.CSRF}}
					if res, body := c.do(method, path, form); res.StatusCode != http.StatusForbidden {
						t.Errorf("%s %s %s: %s, want 403: %.200s", below, method, path, res.Status, body)
					}
				}
			}
			hostile := url.Values{
				"csrf": {ada.CSRF}, "reason": {"rewrite history"}, "id": {id, "1"}, "revision": {"1"}, "revision_id": {"1"},
				"before": {"{}"}, "after": {"{}"}, "state": {"rejected"}, "author": {"someone else"}, "number": {"1"},
				"digest": {"forged"}, "created_at": {"2000-01-01T00:00:00.000Z"}, "_method": {"DELETE"}, "name": {"ada"}, "password": {testPassword},
			}
			ada.do(method, path, hostile)
			script.do(method, path, hostile)
			ada.do(method, path, nil, "Content-Type", "application/json", "X-CSRF-Token", ada.CSRF)
			if r == "POST /logout" || r == "POST /login" {
				ada.login("ada", testPassword) // logged out (or in again): a new session and token
			}
		}
		after := auditTrail(t, dbURL)
		for key, row := range before {
			if after[key] != row {
				t.Errorf("the audit trail's %s was %q, is %q", key, row, after[key])
			}
		}
	})
}

// routePath fills a route's parameters: :id and the like with an incident's
// id, * with a name.
func routePath(pattern, id string) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, ":"):
			parts[i] = url.PathEscape(id)
		case p == "*":
			parts[i] = "x"
		}
	}
	return strings.Join(parts, "/")
}

// roleBelow is the role just below r, or "" for the lowest.
func roleBelow(r store.Role) store.Role {
	i := slices.Index(store.Roles(), r)
	if i <= 0 {
		return ""
	}
	return store.Roles()[i-1]
}

// auditTrail reads the rows that history keeps as they are: every change,
// every version, and every revision decided (a proposal may still be
// decided), keyed by table and id.
func auditTrail(t *testing.T, dbURL string) map[string]string {
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
	out := map[string]string{}
	for _, q := range []struct{ table, query string }{
		{"revision", "SELECT id, author, COALESCE(user_id, 0), created_at, reason, state, COALESCE(decided_by, 0), COALESCE(decided_at, ''), COALESCE(decision_reason, '') FROM revisions WHERE state <> 'proposed'"},
		{"change", "SELECT revision_id || ' ' || file || ' ' || feature_id, file, COALESCE(before, 'NULL'), COALESCE(after, 'NULL'), '', '', '', '', '' FROM changes"},
		{"version", "SELECT number, revision_id, created_at, digest, '', '', '', '', '' FROM versions"},
	} {
		rows, err := db.Query(q.query)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			v := make([]string, 9)
			ptrs := make([]any, 9)
			for i := range v {
				ptrs[i] = &v[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[q.table+" "+v[0]] = fmt.Sprint(v[1:])
		}
		rows.Close()
	}
	return out
}
