package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The admin page's store: users listed with their last login, a role
// changed (and refused for a role or user that does not exist), and a
// token revoked only by its own user.
func TestAccounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		for _, name := range []string{"bob", "alice"} {
			if _, err := s.AddUser(ctx, name, Contributor, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
		}
		alice, err := s.Authenticate(ctx, "alice", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		lim := SessionLimits{Idle: time.Hour, Max: time.Hour}
		secret, err := s.CreateSession(ctx, alice.ID, "127.0.0.1 test", lim)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.UserAccounts(ctx)
		if err != nil || len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob" {
			t.Fatalf("UserAccounts: %+v, %v", list, err)
		}
		if list[0].LastLogin == "" || list[1].LastLogin != "" {
			t.Errorf("last logins: alice %q, bob %q; want alice's session's time and none", list[0].LastLogin, list[1].LastLogin)
		}

		if err := s.SetRole(ctx, "alice", Editor); err != nil {
			t.Fatal(err)
		}
		if u, err := s.SessionUser(ctx, secret, lim); err != nil || u.Role != Editor {
			t.Errorf("alice's session after SetRole: %+v, %v; want the new role at once", u, err)
		}
		if err := s.SetRole(ctx, "nobody", Editor); !errors.Is(err, ErrNoUser) {
			t.Errorf("SetRole of nobody: %v", err)
		}
		if err := s.SetRole(ctx, "bob", Role("owner")); err == nil {
			t.Error("SetRole to an unknown role was accepted")
		}

		tok, secretToken, err := s.AddToken(ctx, "alice", "a script")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RevokeUserToken(ctx, "bob", tok.ID); !errors.Is(err, ErrNoToken) {
			t.Errorf("bob revoking alice's token: %v, want ErrNoToken", err)
		}
		if _, err := s.TokenUser(ctx, secretToken); err != nil {
			t.Errorf("alice's token after bob's try: %v", err)
		}
		if _, err := s.RevokeUserToken(ctx, "alice", tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secretToken); !errors.Is(err, ErrNoSession) {
			t.Errorf("alice's revoked token: %v", err)
		}
		if _, err := s.RevokeUserToken(ctx, "alice", tok.ID+100); !errors.Is(err, ErrNoToken) {
			t.Errorf("an unknown token: %v", err)
		}
	})
}
