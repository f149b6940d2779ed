// Package auth says who is asking, for a strikemap that keeps its record in
// a database (server.Options.Record): a browser logged in with a session
// cookie, a script with an API token (Authorization: Bearer), or nobody (a
// reader, who needs no account). It guards the routes that write.
//
// The seam the editing handlers use:
//
//   - Middleware resolves the caller of every request and checks the CSRF
//     token of every request that is not GET or HEAD and is authenticated by
//     the session cookie; server.New installs it when Record is set.
//   - User(c) is that caller.
//   - Require(role) guards a route: nobody gets 401 (a redirect to /login
//     for a page asked for with GET), too low a role 403.
//   - CSRFToken(c) is the token a form posts back in its field "csrf"
//     (templates.CSRFField); scripts send it as the X-CSRF-Token header.
//
// Sessions and tokens live in the database (store.CreateSession,
// store.AddToken): only SHA-256 hashes of their 256-bit secrets are kept,
// each request looks its caller up, and disabling a user or logging out
// ends its sessions on every process at once. docs/editing.md has the
// policy (expiry, throttling, cookie flags) and why.
package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"strikemap/internal/request"
	"strikemap/internal/store"
)

// Names of the cookies and fields.
const (
	// SessionCookie holds the session's secret.
	SessionCookie = "strikemap_session"
	// LoginCookie holds a random secret the login form's CSRF token is
	// made from, before there is a session (so that another site cannot
	// log a visitor in as someone else).
	LoginCookie = "strikemap_login"
	// CSRFField is the form field, and CSRFHeader the header, that carry
	// the CSRF token.
	CSRFField  = "csrf"
	CSRFHeader = "X-CSRF-Token"
)

// DefaultLimits: a session ends 12 hours after it was last used (a day's
// work, and not overnight) and 7 days after it began.
var DefaultLimits = store.SessionLimits{Idle: 12 * time.Hour, Max: 7 * 24 * time.Hour}

// The login throttles: more failed logins than these within Window get 429
// until the oldest of them is Window old. Per account, a guess in five
// every quarter of an hour; per client address, more, for an office behind
// one address.
const (
	Window             = 15 * time.Minute
	MaxAccountFailures = 5
	MaxClientFailures  = 20
)

// Options configure an Auth.
type Options struct {
	// Store holds the users, sessions and tokens.
	Store *store.Store
	// Limits are the sessions' lifetimes; zero means DefaultLimits.
	Limits store.SessionLimits
	// Secure says whether a request came over TLS (directly, by the site's
	// https BaseURL, or as a trusted proxy says): its cookies are then
	// Secure. nil means r.TLS != nil.
	Secure func(r *http.Request) bool
	// Logger receives the logins and failures; nil discards.
	Logger *slog.Logger
}

// Auth resolves callers and logs them in and out.
type Auth struct {
	st     *store.Store
	limits store.SessionLimits
	secure func(*http.Request) bool
	log    *slog.Logger
}

// New returns an Auth on opts.Store.
func New(opts Options) *Auth {
	a := &Auth{st: opts.Store, limits: opts.Limits, secure: opts.Secure, log: opts.Logger}
	if a.limits.Idle <= 0 || a.limits.Max <= 0 {
		a.limits = DefaultLimits
	}
	if a.secure == nil {
		a.secure = func(r *http.Request) bool { return r.TLS != nil }
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	return a
}

// contextKey is where the caller is kept on the echo.Context.
const contextKey = "strikemap/auth.caller"

// caller is who is asking, and how.
type caller struct {
	auth *Auth
	user *store.User
	// session is the session's secret when the cookie authenticated the
	// request; "" for a token or nobody.
	session string
	bearer  bool
}

// User returns the user making the request, if any: logged in by the
// session cookie or an API token. Without Middleware, nobody.
func User(c echo.Context) (*store.User, bool) {
	k, _ := c.Get(contextKey).(*caller)
	if k == nil || k.user == nil {
		return nil, false
	}
	return k.user, true
}

// ByToken says whether the request's caller was authenticated by an API
// token rather than the session cookie.
func ByToken(c echo.Context) bool {
	k, _ := c.Get(contextKey).(*caller)
	return k != nil && k.bearer && k.user != nil
}

// Middleware resolves the caller of each request and keeps it on the
// context for User. A request with an Authorization header must carry a
// live API token (else 401, even on a page anyone may read: a script should
// learn its token is dead); a session cookie that logs nobody in is
// removed and the request is anonymous. A request that is not GET or HEAD
// and is authenticated by the cookie must carry the CSRF token (else 403);
// token requests are exempt, since no browser sends an Authorization header
// on its own.
func (a *Auth) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			k := &caller{auth: a}
			c.Set(contextKey, k)
			r := c.Request()
			ctx := r.Context()
			if h := r.Header.Get(echo.HeaderAuthorization); h != "" {
				scheme, token, _ := strings.Cut(h, " ")
				if !strings.EqualFold(scheme, "Bearer") {
					return unauthorized(c, "invalid_request", "the Authorization header must be \"Bearer TOKEN\", with a token from `dataset user token add`")
				}
				u, err := a.st.TokenUser(ctx, strings.TrimSpace(token))
				if errors.Is(err, store.ErrNoSession) {
					return unauthorized(c, "invalid_token", "the API token is unknown or revoked, or its user is disabled")
				}
				if err != nil {
					return fmt.Errorf("look up API token: %w", err)
				}
				k.user, k.bearer = &u, true
				return next(c)
			}
			if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
				u, err := a.st.SessionUser(ctx, ck.Value, a.limits)
				switch {
				case errors.Is(err, store.ErrNoSession):
					a.clearCookie(c, SessionCookie)
				case err != nil:
					return fmt.Errorf("look up session: %w", err)
				default:
					k.user, k.session = &u, ck.Value
				}
			}
			if k.session != "" && !safeMethod(r.Method) {
				if err := checkCSRF(c, csrfFor(k.session)); err != nil {
					return err
				}
			}
			return next(c)
		}
	}
}

// safeMethod: the methods that change nothing, and so need no CSRF token.
func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// checkCSRF compares the request's CSRF token (header, else form field)
// with want, in constant time.
func checkCSRF(c echo.Context, want string) error {
	got := c.Request().Header.Get(CSRFHeader)
	if got == "" {
		got = c.FormValue(CSRFField)
	}
	if got == "" {
		return &request.Error{Status: http.StatusForbidden, Message: "this form or request carries no CSRF token (field \"csrf\" or header X-CSRF-Token): reload the page and send it again"}
	}
	if !hmac.Equal([]byte(got), []byte(want)) {
		return &request.Error{Status: http.StatusForbidden, Message: "this form's CSRF token is wrong or out of date (the session it was made for has ended?): reload the page and send it again"}
	}
	return nil
}

// csrfFor derives the CSRF token of a secret (a session's, or the login
// cookie's): an HMAC of it, so that only a page served to the holder of
// the cookie can know it, and nothing more is stored.
func csrfFor(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("strikemap csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CSRFToken returns the token a form of this page must post back in its
// field "csrf" (templates.CSRFField), or a script send as X-CSRF-Token. For
// a visitor not logged in (the login form) it is made from the login
// cookie, which it sets if the request has none.
func CSRFToken(c echo.Context) string {
	k, _ := c.Get(contextKey).(*caller)
	if k == nil {
		return ""
	}
	if k.session != "" {
		return csrfFor(k.session)
	}
	if ck, err := c.Request().Cookie(LoginCookie); err == nil && len(ck.Value) >= 40 {
		return csrfFor(ck.Value)
	}
	secret, err := store.NewSecret()
	if err != nil {
		return ""
	}
	k.auth.setCookie(c, LoginCookie, secret, 0)
	// A second call in the same request must give the same token.
	c.Request().AddCookie(&http.Cookie{Name: LoginCookie, Value: secret})
	return csrfFor(secret)
}

// Require refuses the request unless its caller has at least role: nobody
// gets 401 (a page asked for with GET is redirected to /login?next=...
// instead), too low a role 403.
func Require(role store.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, ok := User(c)
			if !ok {
				r := c.Request()
				if r.Method == http.MethodGet && !isAPI(r.URL.Path) {
					return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
				}
				return unauthorized(c, "", "log in first (/login), or send an API token as Authorization: Bearer TOKEN")
			}
			if !u.Role.AtLeast(role) {
				return &request.Error{Status: http.StatusForbidden,
					Message: fmt.Sprintf("this needs the role %s or above: %s is a %s", role, u.Name, u.Role)}
			}
			return next(c)
		}
	}
}

// isAPI: the paths answered in JSON.
func isAPI(path string) bool { return strings.HasPrefix(path, "/api/") }

// unauthorized is a 401 with the WWW-Authenticate header RFC 9110 asks for
// (Bearer, RFC 6750, with its error code when a token was refused).
func unauthorized(c echo.Context, code, message string) error {
	v := `Bearer realm="strikemap"`
	if code != "" {
		v += `, error="` + code + `"`
	}
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, v)
	return &request.Error{Status: http.StatusUnauthorized, Message: message}
}

// setCookie sets a cookie the way every strikemap cookie is set: HttpOnly
// (no script reads it), SameSite=Lax (not sent on another site's POST; sent
// when a link from elsewhere is followed, so a link to /review in a chat
// opens logged in), Path=/, Secure over TLS. maxAge 0 makes it last as long
// as the browser session.
func (a *Auth) setCookie(c echo.Context, name, value string, maxAge time.Duration) {
	ck := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: a.secure(c.Request())}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge / time.Second)
	}
	c.SetCookie(ck)
}

func (a *Auth) clearCookie(c echo.Context, name string) {
	c.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: a.secure(c.Request()), MaxAge: -1})
}
