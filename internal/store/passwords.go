package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Passwords after an account is made: a one-time link to set one (a new
// user's first, or a forgotten one's replacement), a user's own change,
// and an account enabled again.

// PasswordLinkLifetime is how long a password link works: long enough to
// reach someone over a weekend, short enough that a link forgotten in a
// chat does not stay a way in.
const PasswordLinkLifetime = 72 * time.Hour

// ErrNoLink is every password link that sets nothing: unknown, used,
// replaced by a newer one, expired, or its user disabled. They look the
// same, so that a link tells nobody whether it ever existed.
var ErrNoLink = errors.New("this password link is unknown, used, replaced by a newer one, or expired")

// ErrUserDisabled refuses a password link for a disabled account: enable
// it first.
var ErrUserDisabled = errors.New("the user is disabled")

// PasswordLink is a link just made: its token, shown once (only its hash
// is kept), for whom, and until when it works.
type PasswordLink struct {
	User      string
	Token     string
	ExpiresAt time.Time
}

// NewPasswordLink makes a one-time link to set the password of the enabled
// user name, valid for PasswordLinkLifetime, and revokes the links made
// for them before that are still unused. madeBy says who asked (an admin's
// name, or "dataset" for the command line).
func (s *Store) NewPasswordLink(ctx context.Context, name, madeBy string) (l PasswordLink, err error) {
	token, err := NewSecret()
	if err != nil {
		return PasswordLink{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return PasswordLink{}, err
	}
	defer rollback(tx, &err)
	var uid int64
	var disabled *string
	err = tx.QueryRowContext(ctx, s.q("SELECT id, disabled_at FROM users WHERE name = ?"), name).Scan(&uid, &disabled)
	if isNoRows(err) {
		err = fmt.Errorf("user %q: %w", name, ErrNoUser)
		return PasswordLink{}, err
	}
	if err != nil {
		return PasswordLink{}, err
	}
	if disabled != nil {
		err = fmt.Errorf("user %q: %w: enable them first", name, ErrUserDisabled)
		return PasswordLink{}, err
	}
	now := s.now()
	l = PasswordLink{User: name, Token: token, ExpiresAt: now.Add(PasswordLinkLifetime).UTC().Truncate(time.Millisecond)}
	if _, err = tx.ExecContext(ctx, s.q("UPDATE password_links SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL"), timestamp(now), uid); err != nil {
		return PasswordLink{}, err
	}
	if _, err = tx.ExecContext(ctx, s.q("INSERT INTO password_links (hash, user_id, made_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)"),
		Hash(token), uid, truncate(madeBy, 100), timestamp(now), timestamp(l.ExpiresAt)); err != nil {
		return PasswordLink{}, fmt.Errorf("make password link: %w", err)
	}
	return l, tx.Commit()
}

// PasswordLinkUser returns the user whose live password link token is;
// any other token is ErrNoLink.
func (s *Store) PasswordLinkUser(ctx context.Context, token string) (User, error) {
	var u User
	var role string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT u.id, u.name, u.role, u.created_at FROM password_links l JOIN users u ON u.id = l.user_id
WHERE l.hash = ? AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > ? AND u.disabled_at IS NULL`),
		Hash(token), timestamp(s.now())).Scan(&u.ID, &u.Name, &role, &u.CreatedAt)
	if isNoRows(err) {
		return User{}, ErrNoLink
	}
	if err != nil {
		return User{}, err
	}
	u.Role = Role(role)
	return u, nil
}

// SetPasswordByLink sets the password of the user of a live link and uses
// the link up, in one transaction: of two uses at once, one wins and the
// other is ErrNoLink. The user's sessions end (whoever knew the old
// password is logged out); their API tokens stay. A weak password is
// refused (CheckPassword's error) and leaves the link unused.
func (s *Store) SetPasswordByLink(ctx context.Context, token, password string) (u User, err error) {
	if u, err = s.PasswordLinkUser(ctx, token); err != nil {
		return User{}, err
	}
	if err = CheckPassword(u.Name, password); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return User{}, err
	}
	defer rollback(tx, &err)
	now := timestamp(s.now())
	res, err := tx.ExecContext(ctx, s.q("UPDATE password_links SET used_at = ? WHERE hash = ? AND user_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?"),
		now, Hash(token), u.ID, now)
	if err != nil {
		return User{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		err = ErrNoLink
		return User{}, err
	}
	if err = s.setPassword(ctx, tx, u.ID, hash, now, ""); err != nil {
		return User{}, err
	}
	return u, tx.Commit()
}

// ChangePassword sets the password of the enabled user name (who has
// proved they know the current one: the caller checks it) and ends their
// other sessions and unused password links; the session whose secret is
// keepSession, the one asking, stays. Their API tokens stay.
func (s *Store) ChangePassword(ctx context.Context, name, password, keepSession string) (err error) {
	if err = CheckPassword(name, password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer rollback(tx, &err)
	var uid int64
	err = tx.QueryRowContext(ctx, s.q("SELECT id FROM users WHERE name = ? AND disabled_at IS NULL"), name).Scan(&uid)
	if isNoRows(err) {
		err = fmt.Errorf("user %q: %w", name, ErrNoUser)
		return err
	}
	if err != nil {
		return err
	}
	if err = s.setPassword(ctx, tx, uid, hash, timestamp(s.now()), keepSession); err != nil {
		return err
	}
	return tx.Commit()
}

// setPassword writes a user's new password hash and revokes their unused
// password links and all their sessions but the one whose secret is keep
// ("" keeps none).
func (s *Store) setPassword(ctx context.Context, tx *sql.Tx, uid int64, hash, now, keep string) error {
	if _, err := tx.ExecContext(ctx, s.q("UPDATE users SET password_hash = ? WHERE id = ?"), hash, uid); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	keepID := ""
	if keep != "" {
		keepID = Hash(keep)
	}
	if _, err := tx.ExecContext(ctx, s.q("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?"), now, uid, keepID); err != nil {
		return fmt.Errorf("end the other sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q("UPDATE password_links SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL"), now, uid); err != nil {
		return fmt.Errorf("revoke password links: %w", err)
	}
	return nil
}

// EnableUser enables a disabled account again: it may log in with its
// password, or set one through a new link. The sessions, tokens and links
// revoked when it was disabled stay revoked. Enabling an enabled account
// changes nothing.
func (s *Store) EnableUser(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, s.q("UPDATE users SET disabled_at = NULL WHERE name = ?"), name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %q: %w", name, ErrNoUser)
	}
	return nil
}

// HasPassword says whether the user name has set a password (an account
// made with AddUserWithoutPassword has not, until its link is used).
func (s *Store) HasPassword(ctx context.Context, name string) (bool, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, s.q("SELECT password_hash FROM users WHERE name = ?"), name).Scan(&hash)
	if isNoRows(err) {
		return false, fmt.Errorf("user %q: %w", name, ErrNoUser)
	}
	return hash != noPassword, err
}

// PasswordLinkPath is the page a password link opens (internal/server's
// /set-password).
const PasswordLinkPath = "/set-password"

// PasswordLinkURL is the link of token on the site at base (its public
// URL, e.g. https://example.org/strikemap), or its path on the site when
// base is "".
func PasswordLinkURL(base, token string) string {
	return strings.TrimRight(strings.TrimSpace(base), "/") + PasswordLinkPath + "?token=" + url.QueryEscape(token)
}
