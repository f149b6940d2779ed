package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"strikemap/internal/auth"
	"strikemap/internal/catalog"
	"strikemap/internal/htmlpage"
	"strikemap/internal/request"
	"strikemap/internal/store"
	"strikemap/web/templates"
)

// Managing people in the browser (docs/editing.md, "Users and tokens in
// the browser"): /admin/users, where an admin lists, adds, changes the role
// of, disables and enables users and makes password links for them
// (passwords.go), and /account/tokens, where anyone logged in makes,
// lists and revokes their own API tokens. Both are pages of forms, for a
// logged-in browser: an API token cannot use them, so that a token leaked
// from a script can neither make more tokens nor add users.

// installAccounts registers the account pages (with a database only).
func (s *Server) installAccounts() {
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		s.echo.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
	}
	admin := []echo.MiddlewareFunc{auth.Require(store.Admin), browserOnly}
	anyone := []echo.MiddlewareFunc{auth.Require(store.Contributor), browserOnly}
	get("/admin/users", s.usersPage, admin...)
	s.write(http.MethodPost, "/admin/users", s.addUser, admin...)
	s.write(http.MethodPost, "/admin/users/:name/role", s.setRole, admin...)
	s.write(http.MethodPost, "/admin/users/:name/disable", s.disableUser, admin...)
	get("/account/tokens", s.tokensPage, anyone...)
	s.write(http.MethodPost, "/account/tokens", s.addToken, anyone...)
	s.write(http.MethodPost, "/account/tokens/:id/revoke", s.revokeToken, anyone...)
}

// browserOnly refuses a caller authenticated by an API token (403).
func browserOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if auth.ByToken(c) {
			return &request.Error{Status: http.StatusForbidden, Message: htmlpage.Messages(c).T("accounts.browser-only")}
		}
		return next(c)
	}
}

// ---- /admin/users ----

func (s *Server) usersPage(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, templates.UsersPage{New: templates.NewUser{Role: string(store.Contributor)}})
}

func (s *Server) renderUsers(c echo.Context, status int, u templates.UsersPage) error {
	accounts, err := s.opts.Record.UserAccounts(c.Request().Context())
	if err != nil {
		return err
	}
	u.CSRF, u.Self = auth.CSRFToken(c), caller(c).Name
	for _, r := range store.Roles() {
		u.Roles = append(u.Roles, string(r))
	}
	for _, a := range accounts {
		u.Users = append(u.Users, templates.UserRow{Name: a.Name, Role: string(a.Role), CreatedAt: a.CreatedAt, LastLogin: minuteOf(a.LastLogin), Disabled: a.Disabled, NoPassword: a.NoPassword})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	m := htmlpage.Messages(c)
	return htmlpage.Write(c, status, templates.UsersAdminPage(s.page(m.T("admin.users-title"), s.store.Dataset()), u))
}

// minuteOf shows a stored timestamp (2006-01-02T15:04:05.000Z) to the
// minute, in UTC.
func minuteOf(ts string) string {
	if len(ts) < 16 {
		return ts
	}
	return ts[:10] + " " + ts[11:16] + " UTC"
}

// addUser answers POST /admin/users: the user added, or the form again with
// each problem beside its field (400).
func (s *Server) addUser(c echo.Context) error {
	m := htmlpage.Messages(c)
	name, role := strings.TrimSpace(c.FormValue("name")), c.FormValue("role")
	password, again := c.FormValue("password"), c.FormValue("password2")
	errs := passwordProblems(m, name, password, again)
	r, err := store.ParseRole(role)
	if err != nil {
		errs["role"] = m.T("admin.bad-role")
	}
	if !store.ValidUserName(name) {
		errs["name"] = m.T("admin.bad-name")
	}
	if len(errs) == 0 {
		_, err = s.opts.Record.AddUser(c.Request().Context(), name, r, password)
		switch {
		case errors.Is(err, store.ErrUserExists):
			errs["name"] = m.T("admin.exists")
		case err != nil:
			return err
		default:
			return s.renderUsers(c, http.StatusOK, templates.UsersPage{New: templates.NewUser{Role: string(store.Contributor)},
				Done: m.T("admin.added", catalog.Args{"name": name, "role": m.T("role." + string(r))})})
		}
	}
	return s.renderUsers(c, http.StatusBadRequest, templates.UsersPage{Errors: errs, New: templates.NewUser{Name: name, Role: role}})
}

// targetUser is the user a row's form acts on. It is not ok, the page
// having answered already (err is the answer's), for no name at all and
// for the admin's own account (an admin who demoted or disabled themselves
// could leave the record with none).
func (s *Server) targetUser(c echo.Context) (name string, ok bool, err error) {
	m := htmlpage.Messages(c)
	name = c.Param("name")
	switch name {
	case "":
		return "", false, s.userActionError(c, name, store.ErrNoUser)
	case caller(c).Name:
		return "", false, s.renderUsers(c, http.StatusBadRequest, templates.UsersPage{Problem: m.T("admin.not-self")})
	}
	return name, true, nil
}

// setRole answers POST /admin/users/{name}/role.
func (s *Server) setRole(c echo.Context) error {
	m := htmlpage.Messages(c)
	name, ok, err := s.targetUser(c)
	if !ok {
		return err
	}
	r, err := store.ParseRole(c.FormValue("role"))
	if err != nil {
		return s.renderUsers(c, http.StatusBadRequest, templates.UsersPage{Problem: m.T("admin.bad-role")})
	}
	if err := s.opts.Record.SetRole(c.Request().Context(), name, r); err != nil {
		return s.userActionError(c, name, err)
	}
	return s.renderUsers(c, http.StatusOK, templates.UsersPage{Done: m.T("admin.role-set", catalog.Args{"name": name, "role": m.T("role." + string(r))})})
}

// disableUser answers POST /admin/users/{name}/disable: the user can no
// longer log in, and their sessions and tokens stop at once.
func (s *Server) disableUser(c echo.Context) error {
	m := htmlpage.Messages(c)
	name, ok, err := s.targetUser(c)
	if !ok {
		return err
	}
	if err := s.opts.Record.DisableUser(c.Request().Context(), name); err != nil {
		return s.userActionError(c, name, err)
	}
	return s.renderUsers(c, http.StatusOK, templates.UsersPage{Done: m.T("admin.disabled-done", catalog.Args{"name": name})})
}

// userActionError shows a refusal of a row's action: an unknown user is a
// 404 on the page.
func (s *Server) userActionError(c echo.Context, name string, err error) error {
	if errors.Is(err, store.ErrNoUser) {
		return s.renderUsers(c, http.StatusNotFound, templates.UsersPage{Problem: htmlpage.Messages(c).T("admin.no-user", catalog.Args{"name": request.Truncate(name)})})
	}
	return err
}

// ---- /account/tokens ----

func (s *Server) tokensPage(c echo.Context) error {
	return s.renderTokens(c, http.StatusOK, templates.TokensPage{})
}

func (s *Server) renderTokens(c echo.Context, status int, t templates.TokensPage) error {
	u := caller(c)
	tokens, err := s.opts.Record.Tokens(c.Request().Context(), u.Name)
	if err != nil {
		return err
	}
	t.CSRF, t.User, t.Admin = auth.CSRFToken(c), u.Name, u.Role.AtLeast(store.Admin)
	for _, tok := range tokens {
		t.Tokens = append(t.Tokens, templates.TokenRow{ID: tok.ID, Name: tok.Name, CreatedAt: minuteOf(tok.CreatedAt), LastUsedAt: minuteOf(tok.LastUsedAt), Revoked: tok.Revoked})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	m := htmlpage.Messages(c)
	return htmlpage.Write(c, status, templates.AccountTokensPage(s.page(m.T("tokens.title"), s.store.Dataset()), t))
}

// addToken answers POST /account/tokens: the page with the new token,
// shown this once (the page is never cached: it names who is logged in).
func (s *Server) addToken(c echo.Context) error {
	m := htmlpage.Messages(c)
	label := strings.TrimSpace(c.FormValue("label"))
	if label == "" {
		return s.renderTokens(c, http.StatusBadRequest, templates.TokensPage{Errors: map[string]string{"label": m.T("tokens.label-required")}})
	}
	_, token, err := s.opts.Record.AddToken(c.Request().Context(), caller(c).Name, label)
	if err != nil {
		return err
	}
	return s.renderTokens(c, http.StatusCreated, templates.TokensPage{Made: token})
}

// revokeToken answers POST /account/tokens/{id}/revoke, for the caller's
// own tokens only: another's is a 404, as one that does not exist.
func (s *Server) revokeToken(c echo.Context) error {
	m := htmlpage.Messages(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	var tok store.Token
	if err == nil {
		if tok, err = s.opts.Record.RevokeUserToken(c.Request().Context(), caller(c).Name, id); err != nil && !errors.Is(err, store.ErrNoToken) {
			return err
		}
	}
	if err != nil {
		return s.renderTokens(c, http.StatusNotFound, templates.TokensPage{Problem: m.T("tokens.no-token", catalog.Args{"id": request.Truncate(c.Param("id"))})})
	}
	return s.renderTokens(c, http.StatusOK, templates.TokensPage{Done: m.T("tokens.revoked-done", catalog.Args{"name": tok.Name})})
}
