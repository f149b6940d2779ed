package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"strikemap/internal/store"
)

// rowText is the text of a table row, its spaces collapsed.
func rowText(doc *goquery.Document, selector string) string {
	return strings.Join(strings.Fields(doc.Find(selector).Text()), " ")
}

// An admin manages users at /admin/users: the list with roles and last
// logins, a user added (each mistake beside its field), a role changed and
// an account disabled, each holding at once for that user's session; an
// admin cannot demote or disable themselves; nobody else may use the page.
func TestUsersAdmin(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		rs.addUser(t, "ada", store.Admin)
		ada, carol := rs.client(t), rs.client(t)
		ada.login("ada", testPassword)
		carol.login("carol", testPassword)

		res, doc := ada.page("/admin/users")
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("/admin/users: %s, Cache-Control %q", res.Status, res.Header.Get("Cache-Control"))
		}
		checkSecurityHeaders(t, "GET /admin/users", res.Header, "'self'")
		if got := doc.Find("#users tbody tr").Length(); got != 3 {
			t.Errorf("%d users listed, want ada, carol and eddie", got)
		}
		if v, _ := doc.Find("#user-carol select[name=role] option[selected]").Attr("value"); v != "contributor" {
			t.Errorf("carol's role shown as %q", v)
		}
		if got := rowText(doc, "#user-eddie td:nth-child(3)"); got != "never" {
			t.Errorf("eddie, who never logged in, last logged in %q", got)
		}
		if got := rowText(doc, "#user-carol td:nth-child(3)"); !strings.HasSuffix(got, " UTC") {
			t.Errorf("carol's last login %q", got)
		}
		if doc.Find("#user-ada form").Length() != 0 || rowText(doc, "#user-ada td:nth-child(4)") != "you" {
			t.Error("the admin's own row offers to change their role or disable them")
		}
		// The new user's password is marked new, so that a password manager
		// offers to make one rather than fill in the admin's own.
		if n := doc.Find(`input[type=password][autocomplete=new-password]`).Length(); n != 2 {
			t.Errorf("the add-user form has %d password inputs marked new-password, want 2", n)
		}

		// Adding a user: each mistake beside its field, the values kept.
		for _, c := range []struct {
			form  url.Values
			field string
		}{
			{url.Values{"name": {"Bad Name"}, "role": {"editor"}, "password": {testPassword}, "password2": {testPassword}}, "name"},
			{url.Values{"name": {"dora"}, "role": {"owner"}, "password": {testPassword}, "password2": {testPassword}}, "role"},
			{url.Values{"name": {"dora"}, "role": {"editor"}, "password": {"short"}, "password2": {"short"}}, "password"},
			{url.Values{"name": {"dora"}, "role": {"editor"}, "password": {testPassword}, "password2": {testPassword + "!"}}, "password2"},
			{url.Values{"name": {"carol"}, "role": {"editor"}, "password": {testPassword}, "password2": {testPassword}}, "name"},
		} {
			res, body := ada.post("/admin/users", c.form)
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			if res.StatusCode != http.StatusBadRequest || doc.Find("#err-f-"+c.field).Length() != 1 {
				t.Errorf("add %v: %s, error beside %s: %q", c.form, res.Status, c.field, doc.Find(".field-error").Text())
			}
			if v, _ := doc.Find("#f-name").Attr("value"); v != c.form.Get("name") {
				t.Errorf("add %v: the name typed became %q", c.form, v)
			}
			if doc.Find("#f-password[value]").AttrOr("value", "") != "" {
				t.Error("the password is sent back in the form")
			}
		}
		res, body := ada.post("/admin/users", url.Values{"name": {"dora"}, "role": {"editor"}, "password": {testPassword}, "password2": {testPassword}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "dora was added as editor") {
			t.Fatalf("add dora: %s %.300s", res.Status, body)
		}
		dora := rs.client(t)
		dora.login("dora", testPassword)
		if res, _ := dora.do(http.MethodPost, "/api/test/approve", nil, "X-CSRF-Token", dora.CSRF); res.StatusCode != http.StatusNoContent {
			t.Errorf("dora, added as an editor, approving: %s", res.Status)
		}

		// A role changed holds at once for the user's open session.
		if res, _ := carol.do(http.MethodPost, "/api/test/approve", nil, "X-CSRF-Token", carol.CSRF); res.StatusCode != http.StatusForbidden {
			t.Fatalf("carol approving as a contributor: %s", res.Status)
		}
		if res, body := ada.post("/admin/users/carol/role", url.Values{"role": {"editor"}}); res.StatusCode != http.StatusOK || !strings.Contains(body, "carol is now editor") {
			t.Errorf("carol made an editor: %s %.300s", res.Status, body)
		}
		if res, _ := carol.do(http.MethodPost, "/api/test/approve", nil, "X-CSRF-Token", carol.CSRF); res.StatusCode != http.StatusNoContent {
			t.Errorf("carol approving as an editor: %s", res.Status)
		}
		if res, _ := ada.post("/admin/users/carol/role", url.Values{"role": {"owner"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("an unknown role: %s", res.Status)
		}
		if res, _ := ada.post("/admin/users/nobody/role", url.Values{"role": {"editor"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown user: %s", res.Status)
		}
		// No name at all is no user either, and answered as such: not an
		// empty page with 200.
		for _, path := range []string{"/admin/users//role", "/admin/users//disable"} {
			if res, body := ada.post(path, url.Values{"role": {"editor"}}); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "no user") {
				t.Errorf("POST %s: %s %.300q", path, res.Status, body)
			}
		}

		// Disabled: the session stops at once.
		if res, body := ada.post("/admin/users/carol/disable", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, "carol is disabled") {
			t.Errorf("carol disabled: %s %.300s", res.Status, body)
		}
		if res, _ := carol.do(http.MethodPost, "/api/test/approve", nil, "X-CSRF-Token", carol.CSRF); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("disabled carol's session: %s, want 401", res.Status)
		}
		_, doc = ada.page("/admin/users")
		if !doc.Find("#user-carol").HasClass("user-disabled") || doc.Find("#user-carol form").Length() != 1 ||
			doc.Find(`#user-carol form[action="/admin/users/carol/enable"]`).Length() != 1 {
			t.Error("carol's row does not say she is disabled, or offers other forms than enabling her")
		}

		// Every form needs the session's CSRF token.
		for _, path := range []string{"/admin/users", "/admin/users/eddie/role", "/admin/users/eddie/disable", "/admin/users/eddie/link", "/admin/users/carol/enable"} {
			form := url.Values{"name": {"mallory"}, "role": {"admin"}, "password": {testPassword}, "password2": {testPassword}}
			if res, _ := ada.do(http.MethodPost, path, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s without the CSRF token: %s, want 403", path, res.Status)
			}
		}
		if list, _ := rs.Store.UserAccounts(context.Background()); len(list) != 4 || list[2].Name != "dora" || list[3].Role != store.Editor || list[3].Disabled || !list[1].Disabled {
			t.Errorf("after the forms without a CSRF token: %+v", list)
		}

		// An admin cannot demote or disable themselves.
		for _, path := range []string{"/admin/users/ada/role", "/admin/users/ada/disable"} {
			if res, body := ada.post(path, url.Values{"role": {"contributor"}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "cannot change your own role") {
				t.Errorf("POST %s by ada: %s", path, res.Status)
			}
		}
		if u, err := rs.Store.Authenticate(context.Background(), "ada", testPassword); err != nil || u.Role != store.Admin {
			t.Errorf("ada after trying on herself: %+v %v", u, err)
		}

		// Nobody else: an editor is 403, a reader goes to the login, and an
		// admin's API token is refused (a page for a browser).
		if res, _ := dora.do(http.MethodGet, "/admin/users", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("an editor GET /admin/users: %s", res.Status)
		}
		if res, _ := rs.client(t).do(http.MethodGet, "/admin/users", nil); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
			t.Errorf("a reader GET /admin/users: %s %s", res.Status, res.Header.Get("Location"))
		}
		_, token, err := rs.Store.AddToken(context.Background(), "ada", "a script")
		if err != nil {
			t.Fatal(err)
		}
		script := rs.client(t)
		script.Token = token
		for _, r := range [][2]string{{http.MethodGet, "/admin/users"}, {http.MethodPost, "/admin/users/eddie/disable"}, {http.MethodPost, "/account/tokens"}} {
			if res, _ := script.do(r[0], r[1], url.Values{"label": {"more"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("an admin's token %s %s: %s, want 403", r[0], r[1], res.Status)
			}
		}
	})
}

// Anyone logged in makes, lists and revokes their own API tokens at
// /account/tokens: a token is shown once and works at once; another user
// cannot revoke it; revoked, it stops.
func TestAccountTokens(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := securityServer(t, dbURL)
		carol, eddie := rs.client(t), rs.client(t)
		carol.login("carol", testPassword)
		eddie.login("eddie", testPassword)
		_, doc := carol.page("/")
		if href, _ := doc.Find(".account-bar a.account-name").Attr("href"); href != "/account/tokens" {
			t.Errorf("the header's account link %q", href)
		}
		res, doc := carol.page("/account/tokens")
		if res.StatusCode != http.StatusOK || doc.Find("#tokens-none").Length() != 1 || doc.Find(`a[href="/admin/users"]`).Length() != 0 {
			t.Fatalf("carol's tokens page: %s", res.Status)
		}
		checkSecurityHeaders(t, "GET /account/tokens", res.Header, "'self'")
		if res, body := carol.post("/account/tokens", url.Values{"label": {"  "}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-f-label"`) {
			t.Errorf("a token for nothing: %s", res.Status)
		}
		res, body := carol.post("/account/tokens", url.Values{"label": {"nightly <import>"}})
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
		token := doc.Find("#token-secret").Text()
		if res.StatusCode != http.StatusCreated || !strings.HasPrefix(token, store.TokenPrefix) || res.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("token made: %s %q, Cache-Control %q", res.Status, token, res.Header.Get("Cache-Control"))
		}
		if got := rowText(doc, "#tokens tbody th"); got != "nightly <import>" {
			t.Errorf("the token's label reads %q", got)
		}
		id := strings.TrimPrefix(doc.Find("#tokens tbody tr").AttrOr("id", ""), "token-")
		script := rs.client(t)
		script.Token = token
		if res, _ := script.do(http.MethodPost, "/test/propose", url.Values{}); res.StatusCode != http.StatusNoContent {
			t.Errorf("the new token: %s", res.Status)
		}
		if _, body := carol.do(http.MethodGet, "/account/tokens", nil); strings.Contains(body, token) {
			t.Error("the token is shown again")
		}

		// Eddie cannot see or revoke it: 404, as a token that does not exist.
		if _, body := eddie.do(http.MethodGet, "/account/tokens", nil); strings.Contains(body, "nightly") {
			t.Error("eddie's page lists carol's token")
		}
		for _, path := range []string{"/account/tokens/" + id + "/revoke", "/account/tokens/999/revoke", "/account/tokens/x/revoke"} {
			if res, _ := eddie.post(path, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("eddie POST %s: %s, want 404", path, res.Status)
			}
		}
		if res, _ := script.do(http.MethodPost, "/test/propose", url.Values{}); res.StatusCode != http.StatusNoContent {
			t.Errorf("carol's token after eddie's tries: %s", res.Status)
		}
		if res, _ := carol.do(http.MethodPost, "/account/tokens/"+id+"/revoke", url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("revoking without the CSRF token: %s, want 403", res.Status)
		}
		if res, body := carol.post("/account/tokens/"+id+"/revoke", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, "The token for nightly &lt;import&gt; is revoked.") {
			t.Errorf("carol revokes: %s", res.Status)
		}
		if res, _ := script.do(http.MethodPost, "/test/propose", url.Values{}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the revoked token: %s, want 401", res.Status)
		}
	})
}
