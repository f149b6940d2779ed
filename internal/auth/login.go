package auth

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"strikemap/internal/request"
	"strikemap/internal/store"
)

// ErrBadLogin is every refused login: an unknown user, a wrong password
// and a disabled user look the same, so that nobody learns which names
// exist.
var ErrBadLogin = store.ErrBadLogin

// ThrottledError is a login refused because too many failed: 429, with
// Retry-After.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed logins: try again in %s", e.RetryAfter.Round(time.Minute))
}

// LogIn checks name and password and, when they are right, starts a new
// session: a new secret in the cookie, whatever cookie came in (so a
// session id planted before the login is worth nothing after), and ends the
// session the request had. A login form not logged in must carry the login
// cookie's CSRF token (CSRFToken), else 403. Failures are ErrBadLogin, a
// *ThrottledError (429; the Retry-After header is set) or a *request.Error.
func (a *Auth) LogIn(c echo.Context, name, password string) (store.User, error) {
	r := c.Request()
	ctx := r.Context()
	k, _ := c.Get(contextKey).(*caller)
	if k == nil {
		return store.User{}, errors.New("auth: LogIn without Middleware")
	}
	if k.session == "" { // Middleware checked a logged-in caller's token
		ck, err := r.Cookie(LoginCookie)
		if err != nil || ck.Value == "" {
			return store.User{}, &request.Error{Status: http.StatusForbidden,
				Message: "the login form's cookie did not come back: allow cookies for this site, reload the login page and try again"}
		}
		if err := checkCSRF(c, csrfFor(ck.Value)); err != nil {
			return store.User{}, err
		}
	}
	attempt := store.LoginAttempt{Account: strings.ToLower(strings.TrimSpace(name)), Client: clientKey(c.RealIP())}
	now := time.Now()
	acc, cli, accOldest, cliOldest, err := a.st.LoginFailures(ctx, attempt, now.Add(-Window))
	if err != nil {
		return store.User{}, fmt.Errorf("count failed logins: %w", err)
	}
	var until time.Time
	if acc >= MaxAccountFailures {
		until = accOldest.Add(Window)
	}
	if cli >= MaxClientFailures && cliOldest.Add(Window).After(until) {
		until = cliOldest.Add(Window)
	}
	if !until.IsZero() {
		wait := until.Sub(now)
		if wait < time.Second {
			wait = time.Second
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		a.log.Warn("login throttled", "account", attempt.Account, "client", attempt.Client)
		return store.User{}, &ThrottledError{RetryAfter: wait}
	}
	u, err := a.st.Authenticate(ctx, attempt.Account, password)
	if errors.Is(err, store.ErrBadLogin) {
		if err := a.st.RecordLogin(ctx, attempt, false); err != nil {
			return store.User{}, err
		}
		a.log.Info("login failed", "account", attempt.Account, "client", attempt.Client)
		return store.User{}, ErrBadLogin
	}
	if err != nil {
		return store.User{}, err
	}
	if err := a.st.RecordLogin(ctx, attempt, true); err != nil {
		return store.User{}, err
	}
	if k.session != "" {
		if err := a.st.RevokeSession(ctx, k.session); err != nil {
			return store.User{}, err
		}
	}
	secret, err := a.st.CreateSession(ctx, u.ID, attempt.Client+" "+r.UserAgent(), a.limits)
	if err != nil {
		return store.User{}, err
	}
	a.setCookie(c, SessionCookie, secret, a.limits.Max)
	a.clearCookie(c, LoginCookie)
	k.user, k.session = &u, secret
	a.log.Info("login", "user", u.Name, "client", attempt.Client)
	return u, nil
}

// LogOut ends the request's session, here and on every process sharing the
// database, and removes the cookie. Logging out when not logged in does
// nothing.
func (a *Auth) LogOut(c echo.Context) error {
	k, _ := c.Get(contextKey).(*caller)
	if k == nil {
		return errors.New("auth: LogOut without Middleware")
	}
	if k.session != "" {
		if err := a.st.RevokeSession(c.Request().Context(), k.session); err != nil {
			return err
		}
		a.log.Info("logout", "user", k.user.Name)
	}
	a.clearCookie(c, SessionCookie)
	k.user, k.session = nil, ""
	return nil
}

// clientKey is the throttle's key of a client address: the address, or
// for IPv6 its /64, which one client commonly holds whole.
func clientKey(ip string) string {
	p := net.ParseIP(ip)
	if p == nil {
		return ip
	}
	if p.To4() != nil {
		return p.String()
	}
	return (&net.IPNet{IP: p.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}

// LocalPath returns next if it is a path on this site ("/review?x=1"),
// else "/": a login's next may not send the user elsewhere.
func LocalPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	return next
}
