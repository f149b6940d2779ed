package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestUsers(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if _, err := s.AddUser(ctx, "alice", Editor, "short"); err == nil {
			t.Error("a short password was accepted")
		}
		for _, name := range []string{"", "Alice", "a b", "import", strings.Repeat("a", 65)} {
			if _, err := s.AddUser(ctx, name, Editor, "correct horse battery"); err == nil {
				t.Errorf("user name %q was accepted", name)
			}
		}
		if _, err := s.AddUser(ctx, "alice", Editor, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddUser(ctx, "alice", Admin, "correct horse battery"); !errors.Is(err, ErrUserExists) {
			t.Errorf("alice again: %v", err)
		}
		var hash string
		s.db.QueryRow("SELECT password_hash FROM users WHERE name = 'alice'").Scan(&hash)
		if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, "horse") {
			t.Errorf("stored hash %q", hash)
		}
		u, err := s.Authenticate(ctx, "alice", "correct horse battery")
		if err != nil || u.Name != "alice" || u.Role != Editor {
			t.Errorf("Authenticate: %+v, %v", u, err)
		}
		for _, c := range [][2]string{{"alice", "correct horse battery!"}, {"nobody", "correct horse battery"}} {
			if _, err := s.Authenticate(ctx, c[0], c[1]); !errors.Is(err, ErrBadLogin) {
				t.Errorf("Authenticate(%q, %q): %v, want ErrBadLogin", c[0], c[1], err)
			}
		}
		if err := s.DisableUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "alice", "correct horse battery"); !errors.Is(err, ErrBadLogin) {
			t.Errorf("a disabled user logged in: %v", err)
		}
		if err := s.DisableUser(ctx, "nobody"); !errors.Is(err, ErrNoUser) {
			t.Errorf("disable nobody: %v", err)
		}
		users, err := s.Users(ctx)
		if err != nil || len(users) != 1 || !users[0].Disabled {
			t.Errorf("Users: %+v, %v", users, err)
		}
		if _, err := s.db.Exec("DELETE FROM users"); err == nil {
			t.Error("a user was deleted")
		}
	})
}
