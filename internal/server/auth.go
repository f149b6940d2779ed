package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"strikemap/internal/auth"
	"strikemap/internal/catalog"
	"strikemap/internal/htmlpage"
	"strikemap/web/templates"
)

// writeRoutes are the routes that may take a method other than GET and
// HEAD, registered by s.write: the only ones readOnly lets through, and only
// when the record is a database.
type writeRoutes struct {
	router *echo.Echo      // the write routes alone, to match a request before routing
	routes map[string]bool // "POST /login"
}

// write registers a route that changes something (POST, PUT, PATCH,
// DELETE). It exists only when the record is a database (Options.Record):
// in file mode nothing is registered and every such method is 405. Guard it
// with auth.Require unless anyone may call it (as /login).
func (s *Server) write(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	if s.opts.Record == nil {
		return
	}
	if s.writes.router == nil {
		s.writes = writeRoutes{router: echo.New(), routes: map[string]bool{}}
	}
	s.echo.Add(method, path, h, m...)
	s.writes.router.Add(method, path, func(echo.Context) error { return nil })
	s.writes.routes[method+" "+path] = true
}

// WriteRoutes lists the method and path of every route s.write registered
// (e.g. "POST /login"), for the tests that check each refuses who may not
// use it.
func (s *Server) WriteRoutes() []string {
	var out []string
	for r := range s.writes.routes {
		out = append(out, r)
	}
	return out
}

// isWrite says whether r is for a route s.write registered.
func (s *Server) isWrite(r *http.Request) bool {
	if s.writes.router == nil {
		return false
	}
	c := s.writes.router.NewContext(r, nil)
	s.writes.router.Router().Find(r.Method, echo.GetPath(r), c)
	return s.writes.routes[r.Method+" "+c.Path()]
}

// readOnly refuses every method but GET and HEAD before routing, except on
// the routes registered as writes (s.write, only with a database): file
// mode changes nothing, so no route takes anything else (OPTIONS included,
// which echo would otherwise answer itself).
func (s *Server) readOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if m := r.Method; m != http.MethodGet && m != http.MethodHead {
			if !s.isWrite(r) {
				return echo.ErrMethodNotAllowed
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, maxWriteBody)
		}
		return next(c)
	}
}

// maxWriteBody caps the body of a write: a form or a JSON edit of one
// incident is a few kilobytes.
const maxWriteBody = 1 << 20

// installAuth sets up logins when the record is a database: the caller of
// every request resolved (auth.Middleware), the pages told who is logged
// in, /login and /logout.
func (s *Server) installAuth() {
	s.auth = auth.New(auth.Options{Store: s.opts.Record, Logger: s.log, Secure: s.secureRequest})
	s.echo.Use(s.auth.Middleware(), s.accountOnPages)
	s.echo.Match([]string{http.MethodGet, http.MethodHead}, "/login", s.loginPage)
	s.write(http.MethodPost, "/login", s.login)
	s.write(http.MethodPost, "/logout", s.logout)
}

// secureRequest says whether r came over TLS: directly, by the site's
// https BaseURL, or as a trusted proxy says. Its cookies are then Secure.
func (s *Server) secureRequest(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.opts.BaseURL, "https://") ||
		(s.opts.TrustForwarded && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

// accountOnPages gives the pages the logged-in account for their header.
// Pages vary by the session cookie (Vary: Cookie), and one that names who
// is logged in is kept by no cache but is sent afresh each time.
func (s *Server) accountOnPages(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		res := c.Response()
		u, named := auth.User(c)
		named = named && !auth.ByToken(c)
		if named {
			r := c.Request()
			c.SetRequest(r.WithContext(templates.WithAccount(r.Context(), templates.Account{Name: u.Name, Role: string(u.Role), CSRF: auth.CSRFToken(c)})))
		}
		res.Before(func() {
			if !strings.HasPrefix(res.Header().Get(echo.HeaderContentType), echo.MIMETextHTML) {
				return
			}
			res.Header().Add("Vary", "Cookie")
			if named {
				res.Header().Set("Cache-Control", "private, no-store")
				res.Header().Del("ETag")
			}
		})
		return next(c)
	}
}

// loginPage answers GET /login: the form (also for someone logged in, who
// may log in as someone else; the header says who they are now).
func (s *Server) loginPage(c echo.Context) error {
	return s.renderLogin(c, http.StatusOK, templates.LoginForm{Next: auth.LocalPath(c.QueryParam("next"))})
}

func (s *Server) renderLogin(c echo.Context, status int, f templates.LoginForm) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	f.CSRF = auth.CSRFToken(c)
	m := htmlpage.Messages(c)
	return htmlpage.Write(c, status, templates.LoginPage(s.page(m.T("login.title"), s.store.Dataset()), f))
}

// login answers POST /login: to where the user was going, or the form again
// with why not. A wrong password, an unknown user and a disabled one get
// the same answer (401, the same words).
func (s *Server) login(c echo.Context) error {
	name, next := c.FormValue("name"), auth.LocalPath(c.FormValue("next"))
	_, err := s.auth.LogIn(c, name, c.FormValue("password"))
	m := htmlpage.Messages(c)
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, next)
	case errors.Is(err, auth.ErrBadLogin):
		return s.renderLogin(c, http.StatusUnauthorized, templates.LoginForm{Next: next, Name: name, Error: m.T("login.wrong")})
	case errors.As(err, &throttled):
		return s.renderLogin(c, http.StatusTooManyRequests, templates.LoginForm{Next: next, Name: name,
			Error: throttledMessage(m, throttled)})
	}
	return err
}

// throttledMessage says how many minutes, rounded up, until a throttled
// login (or password check) may be tried again.
func throttledMessage(m *catalog.Catalog, t *auth.ThrottledError) string {
	minutes := int((t.RetryAfter + time.Minute - 1) / time.Minute)
	return m.T("login.throttled", catalog.Args{"minutes": strconv.Itoa(minutes)})
}

// logout answers POST /logout (with the CSRF token, as every write): the
// session ends and the map is shown.
func (s *Server) logout(c echo.Context) error {
	if err := s.auth.LogOut(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
