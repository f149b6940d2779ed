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
	k, err := a.formCaller(c)
	if err != nil {
		return store.User{}, err
	}
	u, err := a.checkPassword(c, name, password)
	if err != nil {
		return store.User{}, err
	}
	if err := a.startSession(c, k, u); err != nil {
		return store.User{}, err
	}
	a.log.Info("login", "user", u.Name, "client", clientKey(c.RealIP()))
	return u, nil
}

// CheckFormCSRF refuses (403) a form that someone not logged in may post
// (the set-password form) unless it carries its CSRF token: the login
// cookie's, or the session's when there is one. A handler calls it first,
// so that a forged form is refused before anything else is looked at.
func (a *Auth) CheckFormCSRF(c echo.Context) error {
	_, err := a.formCaller(c)
	return err
}

// formCaller is the request's caller, once the CSRF token of a form that
// may be posted by someone not logged in (the login form, the set-password
// form) is checked: the login cookie's token when there is no session
// (Middleware checked a session's).
func (a *Auth) formCaller(c echo.Context) (*caller, error) {
	k, _ := c.Get(contextKey).(*caller)
	if k == nil {
		return nil, errors.New("auth: a form without Middleware")
	}
	if k.session == "" {
		ck, err := c.Request().Cookie(LoginCookie)
		if err != nil || ck.Value == "" {
			return nil, &request.Error{Status: http.StatusForbidden,
				Message: "the form's cookie did not come back: allow cookies for this site, reload the page and try again"}
		}
		if err := checkCSRF(c, csrfFor(ck.Value)); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// checkPassword checks the password of the account name under the login
// throttles: a failure counts against the account and the client as a
// failed login does, and once either is over its limit every attempt is a
// *ThrottledError. Every other failure is ErrBadLogin.
func (a *Auth) checkPassword(c echo.Context, name, password string) (store.User, error) {
	ctx := c.Request().Context()
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
	return u, nil
}

// startSession logs the browser in as u: a new session and cookie, the
// session it had ended.
func (a *Auth) startSession(c echo.Context, k *caller, u store.User) error {
	r := c.Request()
	ctx := r.Context()
	if k.session != "" {
		if err := a.st.RevokeSession(ctx, k.session); err != nil {
			return err
		}
	}
	secret, err := a.st.CreateSession(ctx, u.ID, clientKey(c.RealIP())+" "+r.UserAgent(), a.limits)
	if err != nil {
		return err
	}
	a.setCookie(c, SessionCookie, secret, a.limits.Max)
	a.clearCookie(c, LoginCookie)
	k.user, k.session = &u, secret
	return nil
}

// SetPasswordByLink sets the password of the user of a one-time link
// (store.SetPasswordByLink: the link used up, the user's sessions ended)
// and logs the browser in as them, in a new session. The form must carry
// its CSRF token, as the login form does. Failures are store.ErrNoLink,
// the password's weakness (store.CheckPassword's error) or a
// *request.Error.
func (a *Auth) SetPasswordByLink(c echo.Context, token, password string) (store.User, error) {
	k, err := a.formCaller(c)
	if err != nil {
		return store.User{}, err
	}
	u, err := a.st.SetPasswordByLink(c.Request().Context(), token, password)
	if err != nil {
		return store.User{}, err
	}
	if err := a.startSession(c, k, u); err != nil {
		return store.User{}, err
	}
	a.log.Info("password set by a link", "user", u.Name, "client", clientKey(c.RealIP()))
	return u, nil
}

// ChangePassword changes the password of the user logged in by the
// session cookie, who must give the current one (checked under the login
// throttles: ErrBadLogin or a *ThrottledError), to password
// (store.CheckPassword's rules). Their other sessions end; this one stays.
func (a *Auth) ChangePassword(c echo.Context, current, password string) error {
	k, _ := c.Get(contextKey).(*caller)
	if k == nil || k.user == nil || k.session == "" {
		return &request.Error{Status: http.StatusForbidden, Message: "log in with a browser to change your password"}
	}
	if _, err := a.checkPassword(c, k.user.Name, current); err != nil {
		return err
	}
	if err := a.st.ChangePassword(c.Request().Context(), k.user.Name, password, k.session); err != nil {
		return err
	}
	a.log.Info("password changed", "user", k.user.Name, "client", clientKey(c.RealIP()))
	return nil
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
