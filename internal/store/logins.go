package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// AtLeast says whether r may do what role may: roles are ordered
// contributor < editor < admin. An unknown role is below every role.
func (r Role) AtLeast(role Role) bool { return r.rank() >= role.rank() && r.rank() > 0 }

func (r Role) rank() int {
	for i, x := range roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// NewSecret returns a 256-bit random secret, base64url without padding:
// what a session cookie or an API token carries. Only its Hash is stored.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Hash is how a secret is stored and looked up: SHA-256, hex. A secret has
// 256 random bits, so a fast hash is enough (nothing to guess from it).
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// SessionLimits are how long a session lasts: Idle after it was last
// seen, Max after it began, whichever comes first.
type SessionLimits struct {
	Idle, Max time.Duration
}

// touchEvery is how stale a session's last_seen_at may grow before a
// request writes it again: not every request of a logged-in page writes to
// the database, and the idle timeout is off by at most this much.
const touchEvery = time.Minute

// ErrNoSession is every session or token that does not log anyone in:
// unknown, revoked, expired, or its user disabled.
var ErrNoSession = errors.New("not logged in")

// CreateSession starts a session for the user: the returned secret goes in
// the cookie, its hash in the sessions table. client describes the browser
// (its address and User-Agent), for the user's list of sessions.
func (s *Store) CreateSession(ctx context.Context, userID int64, client string, lim SessionLimits) (secret string, err error) {
	secret, err = NewSecret()
	if err != nil {
		return "", err
	}
	now := s.now()
	_, err = s.db.ExecContext(ctx, s.q("INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, client) VALUES (?, ?, ?, ?, ?, ?)"),
		Hash(secret), userID, timestamp(now), timestamp(now), timestamp(now.Add(lim.Max)), truncate(client, 300))
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return secret, nil
}

// SessionUser returns the enabled user whose live session secret is, and
// notes that the session was seen. Any other session is ErrNoSession.
func (s *Store) SessionUser(ctx context.Context, secret string, lim SessionLimits) (User, error) {
	now := s.now()
	id := Hash(secret)
	var u User
	var role, lastSeen string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT u.id, u.name, u.role, u.created_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND s.last_seen_at > ? AND u.disabled_at IS NULL`),
		id, timestamp(now), timestamp(now.Add(-lim.Idle))).Scan(&u.ID, &u.Name, &role, &u.CreatedAt, &lastSeen)
	if isNoRows(err) {
		return User{}, ErrNoSession
	}
	if err != nil {
		return User{}, err
	}
	u.Role = Role(role)
	if lastSeen < timestamp(now.Add(-touchEvery)) {
		if _, err := s.db.ExecContext(ctx, s.q("UPDATE sessions SET last_seen_at = ? WHERE id = ?"), timestamp(now), id); err != nil {
			return User{}, fmt.Errorf("note session seen: %w", err)
		}
	}
	return u, nil
}

// RevokeSession ends the session whose secret this is (a logout).
func (s *Store) RevokeSession(ctx context.Context, secret string) error {
	_, err := s.db.ExecContext(ctx, s.q("UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"), timestamp(s.now()), Hash(secret))
	return err
}

// Token is an API token's row, without its secret.
type Token struct {
	ID         int64
	User       string
	Name       string // what it is for
	CreatedAt  string
	LastUsedAt string // "" when never used
	Revoked    bool
}

// TokenPrefix starts every API token, so that one pasted where it should
// not be (a log, a commit) is recognised.
const TokenPrefix = "smt_"

// ErrNoToken is RevokeToken's refusal.
var ErrNoToken = errors.New("no such token")

// AddToken makes an API token for an enabled user and returns its row and
// the token: the only time the token is seen, since only its hash is kept.
// It acts with the user's role, whatever that is when it is used. name
// says what it is for.
func (s *Store) AddToken(ctx context.Context, user, name string) (Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Token{}, "", errors.New("the token needs a name saying what it is for (-label)")
	}
	t := Token{User: user, Name: truncate(name, 200), CreatedAt: timestamp(s.now())}
	var uid int64
	var disabled *string
	err := s.db.QueryRowContext(ctx, s.q("SELECT id, disabled_at FROM users WHERE name = ?"), user).Scan(&uid, &disabled)
	if isNoRows(err) {
		return Token{}, "", fmt.Errorf("user %q: %w", user, ErrNoUser)
	}
	if err != nil {
		return Token{}, "", err
	}
	if disabled != nil {
		return Token{}, "", fmt.Errorf("user %q is disabled", user)
	}
	secret, err := NewSecret()
	if err != nil {
		return Token{}, "", err
	}
	token := TokenPrefix + secret
	err = s.db.QueryRowContext(ctx, s.q("INSERT INTO api_tokens (hash, user_id, name, created_at) VALUES (?, ?, ?, ?) RETURNING id"),
		Hash(token), uid, t.Name, t.CreatedAt).Scan(&t.ID)
	if err != nil {
		return Token{}, "", fmt.Errorf("add token: %w", err)
	}
	return t, token, nil
}

// Tokens lists the API tokens of user, or of everyone when user is "", by
// user and id.
func (s *Store) Tokens(ctx context.Context, user string) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT t.id, u.name, t.name, t.created_at, t.last_used_at, t.revoked_at
FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE ? = '' OR u.name = ? ORDER BY u.name, t.id`), user, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var used, revoked sql.NullString
		if err := rows.Scan(&t.ID, &t.User, &t.Name, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.LastUsedAt, t.Revoked = used.String, revoked.Valid
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes the token of that id: it stops working at once.
// Revoking a revoked token changes nothing.
func (s *Store) RevokeToken(ctx context.Context, id int64) (Token, error) {
	return s.revokeToken(ctx, id, "")
}

// RevokeUserToken revokes the token of that id if it is user's; another
// user's token is ErrNoToken, as one that does not exist, so that nobody
// learns which ids are someone else's.
func (s *Store) RevokeUserToken(ctx context.Context, user string, id int64) (Token, error) {
	if user == "" {
		return Token{}, fmt.Errorf("token %d: %w", id, ErrNoToken)
	}
	return s.revokeToken(ctx, id, user)
}

// revokeToken revokes the token of that id, only if it is user's when user
// is not "".
func (s *Store) revokeToken(ctx context.Context, id int64, user string) (Token, error) {
	res, err := s.db.ExecContext(ctx, s.q("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND (? = '' OR user_id = (SELECT id FROM users WHERE name = ?))"),
		timestamp(s.now()), id, user, user)
	if err != nil {
		return Token{}, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Token{}, fmt.Errorf("token %d: %w", id, ErrNoToken)
	}
	var t Token
	err = s.db.QueryRowContext(ctx, s.q("SELECT t.id, u.name, t.name, t.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?"), id).
		Scan(&t.ID, &t.User, &t.Name, &t.CreatedAt)
	t.Revoked = true
	return t, err
}

// TokenUser returns the enabled user whose live API token this is, and
// notes its use; any other token is ErrNoSession.
func (s *Store) TokenUser(ctx context.Context, token string) (User, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return User{}, ErrNoSession
	}
	now := s.now()
	h := Hash(token)
	var u User
	var role string
	var used sql.NullString
	err := s.db.QueryRowContext(ctx, s.q(`SELECT u.id, u.name, u.role, u.created_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`), h).Scan(&u.ID, &u.Name, &role, &u.CreatedAt, &used)
	if isNoRows(err) {
		return User{}, ErrNoSession
	}
	if err != nil {
		return User{}, err
	}
	u.Role = Role(role)
	if !used.Valid || used.String < timestamp(now.Add(-touchEvery)) {
		if _, err := s.db.ExecContext(ctx, s.q("UPDATE api_tokens SET last_used_at = ? WHERE hash = ?"), timestamp(now), h); err != nil {
			return User{}, fmt.Errorf("note token used: %w", err)
		}
	}
	return u, nil
}

// LoginAttempt is one login tried: the account name as typed and the
// client's address, key of the throttles.
type LoginAttempt struct {
	Account, Client string
}

// RecordLogin notes a login attempt and whether it succeeded, and prunes
// the rows older than a day: they throttle nothing any more.
func (s *Store) RecordLogin(ctx context.Context, a LoginAttempt, ok bool) error {
	now := s.now()
	okInt := 0
	if ok {
		okInt = 1
	}
	if _, err := s.db.ExecContext(ctx, s.q("INSERT INTO login_attempts (at, account, client, ok) VALUES (?, ?, ?, ?)"),
		timestamp(now), truncate(strings.ToLower(a.Account), 100), a.Client, okInt); err != nil {
		return fmt.Errorf("record login: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q("DELETE FROM login_attempts WHERE at < ?"), timestamp(now.Add(-24*time.Hour))); err != nil {
		return fmt.Errorf("prune login attempts: %w", err)
	}
	return nil
}

// LoginFailures counts the failed logins since since, of the account (since
// its last success, which clears them) and of the client, and returns the
// time of the oldest of each counted, for Retry-After.
func (s *Store) LoginFailures(ctx context.Context, a LoginAttempt, since time.Time) (account, client int, accountOldest, clientOldest time.Time, err error) {
	from := timestamp(since)
	name := truncate(strings.ToLower(a.Account), 100)
	var lastOK sql.NullString
	if err = s.db.QueryRowContext(ctx, s.q("SELECT MAX(at) FROM login_attempts WHERE account = ? AND ok = 1 AND at >= ?"), name, from).Scan(&lastOK); err != nil {
		return
	}
	if lastOK.Valid {
		from = lastOK.String
	}
	var oldest sql.NullString
	if err = s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*), MIN(at) FROM login_attempts WHERE account = ? AND ok = 0 AND at >= ?"), name, from).Scan(&account, &oldest); err != nil {
		return
	}
	accountOldest = parseTimestamp(oldest.String)
	oldest = sql.NullString{}
	if err = s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*), MIN(at) FROM login_attempts WHERE client = ? AND ok = 0 AND at >= ?"), a.Client, timestamp(since)).Scan(&client, &oldest); err != nil {
		return
	}
	clientOldest = parseTimestamp(oldest.String)
	return
}

func parseTimestamp(s string) time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05.000Z", s)
	return t
}

// truncate keeps s to n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
