package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Role is what a user may do: a contributor proposes changes, an editor
// approves or rejects them and edits directly, an admin manages users.
type Role string

// The roles.
const (
	Contributor Role = "contributor"
	Editor      Role = "editor"
	Admin       Role = "admin"
)

// Roles lists the roles from least to most trusted.
func Roles() []Role { return slices.Clone(roles) }

// roles is what Roles returns a copy of.
var roles = []Role{Contributor, Editor, Admin}

// ParseRole checks a role's name.
func ParseRole(s string) (Role, error) {
	for _, r := range roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("role %q: want contributor, editor or admin", s)
}

// User is an account. Accounts are disabled, never deleted, so that the
// history keeps naming who made each change.
type User struct {
	ID        int64
	Name      string
	Role      Role
	CreatedAt string
	Disabled  bool
}

// MinPasswordRunes is the shortest password accepted: long enough that
// guessing it online (logins are throttled) or offline (argon2id) is
// hopeless, short enough for a passphrase of three words.
const MinPasswordRunes = 12

// userName is what a user name may be: it appears in the history and in
// URLs.
var userName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ErrUserExists and ErrNoUser are AddUser's and DisableUser's refusals.
var (
	ErrUserExists = errors.New("a user of that name exists")
	ErrNoUser     = errors.New("no user of that name")
)

// CheckPassword says why a password is too weak, or returns nil.
func CheckPassword(name, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case strings.TrimSpace(password) == "":
		return errors.New("the password is empty")
	case n < MinPasswordRunes:
		return fmt.Errorf("the password has %d characters: want at least %d (a few words make a good one)", n, MinPasswordRunes)
	case strings.Contains(strings.ToLower(password), strings.ToLower(name)):
		return errors.New("the password contains the user name")
	case len(distinctRunes(password)) < 5:
		return errors.New("the password repeats too few characters (fewer than 5 distinct ones)")
	}
	return nil
}

func distinctRunes(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}

// AddUser creates an account with a password hashed with argon2id.
func (s *Store) AddUser(ctx context.Context, name string, role Role, password string) (User, error) {
	if err := checkNewUser(name, role); err != nil {
		return User{}, err
	}
	if err := CheckPassword(name, password); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	return s.addUser(ctx, name, role, hash)
}

// AddUserWithoutPassword creates an account that has no password yet: it
// cannot log in until its user sets one through a link of NewPasswordLink.
func (s *Store) AddUserWithoutPassword(ctx context.Context, name string, role Role) (User, error) {
	if err := checkNewUser(name, role); err != nil {
		return User{}, err
	}
	return s.addUser(ctx, name, role, noPassword)
}

// checkNewUser says what is wrong with a new account's name or role.
func checkNewUser(name string, role Role) error {
	if !userName.MatchString(name) {
		return fmt.Errorf("user name %q: want 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	if name == ImportAuthor {
		return fmt.Errorf("user name %q: reserved for the revisions dataset db import makes", name)
	}
	_, err := ParseRole(string(role))
	return err
}

// noPassword is the password_hash of an account whose password is not set
// yet: no password matches it.
const noPassword = ""

// addUser inserts a checked account with its password's hash.
func (s *Store) addUser(ctx context.Context, name string, role Role, hash string) (User, error) {
	u := User{Name: name, Role: role, CreatedAt: timestamp(s.now())}
	var exists int
	if err := s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM users WHERE name = ?"), name).Scan(&exists); err != nil {
		return User{}, err
	}
	if exists > 0 {
		return User{}, fmt.Errorf("user %q: %w", name, ErrUserExists)
	}
	err := s.db.QueryRowContext(ctx, s.q("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id"),
		name, string(role), hash, u.CreatedAt).Scan(&u.ID)
	if err != nil {
		return User{}, fmt.Errorf("add user %q: %w", name, err)
	}
	return u, nil
}

// Users lists the accounts by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, role, created_at, disabled_at FROM users ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var role string
		var disabled *string
		if err := rows.Scan(&u.ID, &u.Name, &role, &u.CreatedAt, &disabled); err != nil {
			return nil, err
		}
		u.Role, u.Disabled = Role(role), disabled != nil
		out = append(out, u)
	}
	return out, rows.Err()
}

// DisableUser disables an account: it can no longer log in, and its
// sessions, API tokens and password links are revoked in the same
// transaction (they would stop anyway: every lookup also checks the user).
// Disabling a disabled account changes nothing.
func (s *Store) DisableUser(ctx context.Context, name string) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer rollback(tx, &err)
	now := timestamp(s.now())
	res, err := tx.ExecContext(ctx, s.q("UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE name = ?"), now, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		err = fmt.Errorf("user %q: %w", name, ErrNoUser)
		return err
	}
	for _, table := range []string{"sessions", "api_tokens", "password_links"} {
		if _, err = tx.ExecContext(ctx, s.q("UPDATE "+table+" SET revoked_at = ? WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE name = ?)"), now, name); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Authenticate returns the enabled user whose name and password these are.
// Every failure is the same error, so that a caller cannot tell a wrong
// password from an unknown or disabled user; an unknown user costs the
// same hashing time as a known one.
func (s *Store) Authenticate(ctx context.Context, name, password string) (User, error) {
	var u User
	var role, hash string
	var disabled *string
	err := s.db.QueryRowContext(ctx, s.q("SELECT id, name, role, created_at, disabled_at, password_hash FROM users WHERE name = ?"), name).
		Scan(&u.ID, &u.Name, &role, &u.CreatedAt, &disabled, &hash)
	if err == nil && hash == noPassword {
		// Not set yet: as long as a wrong password, so that nobody learns
		// which accounts wait for theirs.
		err = sql.ErrNoRows
	}
	if isNoRows(err) {
		VerifyPassword(dummyHash(), password)
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, err
	}
	if !VerifyPassword(hash, password) || disabled != nil {
		return User{}, ErrBadLogin
	}
	u.Role = Role(role)
	return u, nil
}

// ErrBadLogin is every refused login.
var ErrBadLogin = errors.New("wrong user name or password")

// argon2id's parameters: OWASP's recommended minimum (19 MiB, 2 passes,
// one lane), which keeps a login's memory small on a shared server.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// dummyHash is verified for unknown users, to take as long as a real one.
// It is made on first use: hashing costs every program that imports the
// package 19 MiB and tens of milliseconds.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a password of anyone")
	return h
})

// HashPassword hashes a password with argon2id and a random salt, in the
// PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash), which
// names its parameters so that they can be raised later.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword says whether password matches a HashPassword hash, in
// constant time.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil || mem > 1<<20 || t > 16 || p == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
