package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"strikemap/internal/auth"
	"strikemap/internal/catalog"
	"strikemap/internal/htmlpage"
	"strikemap/internal/store"
	"strikemap/web/templates"
)

// Passwords in the browser (docs/editing.md, "Passwords"): /set-password,
// where the holder of a one-time link sets a password and is logged in;
// /account/password, where someone logged in changes their own; and the
// admin's buttons on /admin/users that make a new link for a user and
// enable a disabled one.

// installPasswords registers the password pages (with a database only).
func (s *Server) installPasswords() {
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		s.echo.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
	}
	get(store.PasswordLinkPath, s.setPasswordPage)
	s.write(http.MethodPost, store.PasswordLinkPath, s.setPassword)
	anyone := []echo.MiddlewareFunc{auth.Require(store.Contributor), browserOnly}
	get("/account/password", s.changePasswordPage, anyone...)
	s.write(http.MethodPost, "/account/password", s.changePassword, anyone...)
	admin := []echo.MiddlewareFunc{auth.Require(store.Admin), browserOnly}
	s.write(http.MethodPost, "/admin/users/:name/enable", s.enableUser, admin...)
	s.write(http.MethodPost, "/admin/users/:name/link", s.passwordLink, admin...)
}

// ---- /set-password ----

// setPasswordPage answers GET /set-password?token=...: the form, or, for a
// token that sets nothing, one page whatever the reason (404): a wrong
// token cannot be told from an expired or used one.
func (s *Server) setPasswordPage(c echo.Context) error {
	token := c.QueryParam("token")
	u, err := s.opts.Record.PasswordLinkUser(c.Request().Context(), token)
	if errors.Is(err, store.ErrNoLink) {
		return s.renderSetPassword(c, http.StatusNotFound, templates.SetPasswordForm{})
	}
	if err != nil {
		return err
	}
	return s.renderSetPassword(c, http.StatusOK, templates.SetPasswordForm{Token: token, User: u.Name})
}

// renderSetPassword writes the page. The link's token is in its URL and
// its form: no cache keeps it, and no Referer header carries it off.
func (s *Server) renderSetPassword(c echo.Context, status int, f templates.SetPasswordForm) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	if f.User == "" {
		f.Token = ""
	} else {
		f.CSRF = auth.CSRFToken(c)
	}
	m := htmlpage.Messages(c)
	return htmlpage.Write(c, status, templates.SetPasswordPage(s.page(m.T("setpw.title"), s.store.Dataset()), f))
}

// setPassword answers POST /set-password (the form's CSRF token, as the
// login form's): the password set, the link used up, and the browser
// logged in as its user and sent to the map; a weak or mistyped password
// is the form again (400), the link still unused.
func (s *Server) setPassword(c echo.Context) error {
	if err := s.auth.CheckFormCSRF(c); err != nil {
		return err
	}
	m := htmlpage.Messages(c)
	token, password, again := c.FormValue("token"), c.FormValue("password"), c.FormValue("password2")
	u, err := s.opts.Record.PasswordLinkUser(c.Request().Context(), token)
	if errors.Is(err, store.ErrNoLink) {
		return s.renderSetPassword(c, http.StatusNotFound, templates.SetPasswordForm{})
	}
	if err != nil {
		return err
	}
	errs := passwordProblems(m, u.Name, password, again)
	if len(errs) == 0 {
		_, err = s.auth.SetPasswordByLink(c, token, password)
		switch {
		case errors.Is(err, store.ErrNoLink): // used by another request meanwhile
			return s.renderSetPassword(c, http.StatusNotFound, templates.SetPasswordForm{})
		case err != nil:
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return s.renderSetPassword(c, http.StatusBadRequest, templates.SetPasswordForm{Token: token, User: u.Name, Errors: errs})
}

// passwordProblems are a new password's problems by field: too weak
// (store.CheckPassword's rules, as everywhere), or typed differently twice.
func passwordProblems(m *catalog.Catalog, name, password, again string) map[string]string {
	errs := map[string]string{}
	if err := store.CheckPassword(name, password); err != nil {
		errs["password"] = m.T("admin.weak", catalog.Args{"reason": err.Error()})
	}
	if password != again {
		errs["password2"] = m.T("admin.mismatch")
	}
	return errs
}

// ---- /account/password ----

func (s *Server) changePasswordPage(c echo.Context) error {
	return s.renderChangePassword(c, http.StatusOK, templates.ChangePasswordForm{})
}

func (s *Server) renderChangePassword(c echo.Context, status int, f templates.ChangePasswordForm) error {
	f.CSRF, f.User = auth.CSRFToken(c), caller(c).Name
	c.Response().Header().Set("Cache-Control", "no-store")
	m := htmlpage.Messages(c)
	return htmlpage.Write(c, status, templates.ChangePasswordPage(s.page(m.T("chpw.title"), s.store.Dataset()), f))
}

// changePassword answers POST /account/password: the current password
// (checked under the login throttles: a wrong one counts as a failed
// login) and the new one twice. The caller's other sessions end.
func (s *Server) changePassword(c echo.Context) error {
	m := htmlpage.Messages(c)
	current, password, again := c.FormValue("current"), c.FormValue("password"), c.FormValue("password2")
	errs := passwordProblems(m, caller(c).Name, password, again)
	if current == "" {
		errs["current"] = m.T("chpw.wrong")
	}
	if len(errs) > 0 {
		return s.renderChangePassword(c, http.StatusBadRequest, templates.ChangePasswordForm{Errors: errs})
	}
	err := s.auth.ChangePassword(c, current, password)
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
		return s.renderChangePassword(c, http.StatusOK, templates.ChangePasswordForm{Done: m.T("chpw.done")})
	case errors.Is(err, auth.ErrBadLogin):
		return s.renderChangePassword(c, http.StatusBadRequest, templates.ChangePasswordForm{Errors: map[string]string{"current": m.T("chpw.wrong")}})
	case errors.As(err, &throttled):
		return s.renderChangePassword(c, http.StatusTooManyRequests, templates.ChangePasswordForm{
			Errors: map[string]string{"current": throttledMessage(m, throttled)}})
	}
	return err
}

// ---- /admin/users: enable, new password link ----

// enableUser answers POST /admin/users/{name}/enable.
func (s *Server) enableUser(c echo.Context) error {
	m := htmlpage.Messages(c)
	name := c.Param("name")
	if err := s.opts.Record.EnableUser(c.Request().Context(), name); err != nil {
		return s.userActionError(c, name, err)
	}
	return s.renderUsers(c, http.StatusOK, templates.UsersPage{Done: m.T("admin.enabled-done", catalog.Args{"name": name})})
}

// passwordLink answers POST /admin/users/{name}/link: a new one-time
// link to set the user's password (a reset, or the first password of an
// account made with `dataset user add -link`), shown this once (201); the
// links made before for them stop working.
func (s *Server) passwordLink(c echo.Context) error {
	m := htmlpage.Messages(c)
	name := c.Param("name")
	l, err := s.opts.Record.NewPasswordLink(c.Request().Context(), name, caller(c).Name)
	if errors.Is(err, store.ErrUserDisabled) {
		return s.renderUsers(c, http.StatusBadRequest, templates.UsersPage{Problem: m.T("admin.link-disabled", catalog.Args{"name": name})})
	}
	if err != nil {
		return s.userActionError(c, name, err)
	}
	return s.renderUsers(c, http.StatusCreated, templates.UsersPage{
		Done: m.T("admin.link-made", catalog.Args{"name": name, "until": l.ExpiresAt.Format("2006-01-02 15:04 UTC")}),
		Link: store.PasswordLinkURL(s.opts.PublicURL(c.Request()), l.Token)})
}
