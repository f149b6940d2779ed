package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRoleAtLeast(t *testing.T) {
	for _, c := range []struct {
		r, min Role
		want   bool
	}{
		{Contributor, Contributor, true}, {Contributor, Editor, false}, {Editor, Contributor, true},
		{Editor, Admin, false}, {Admin, Editor, true}, {Role("chief"), Contributor, false}, {Admin, Role("chief"), true},
	} {
		if got := c.r.AtLeast(c.min); got != c.want {
			t.Errorf("%s.AtLeast(%s) = %v", c.r, c.min, got)
		}
	}
}

// clock is a store's time, moved by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// Sessions end when idle, at their absolute expiry, when revoked, and when
// their user is disabled, each at once; only the secret's hash is stored.
func TestSessionLifetime(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		clk := &clock{time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
		s.now = clk.now
		u, err := s.AddUser(ctx, "alice", Editor, "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		lim := SessionLimits{Idle: 2 * time.Hour, Max: 10 * time.Hour}
		live := func(secret string) bool {
			t.Helper()
			got, err := s.SessionUser(ctx, secret, lim)
			if err != nil && !errors.Is(err, ErrNoSession) {
				t.Fatal(err)
			}
			return err == nil && got.Name == "alice" && got.Role == Editor
		}
		a, err := s.CreateSession(ctx, u.ID, "127.0.0.1 test", lim)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.db.QueryRow(s.q("SELECT COUNT(*) FROM sessions WHERE id = ?"), a).Scan(&n); err != nil || n != 0 {
			t.Errorf("the session's secret is stored as its id (%d, %v)", n, err)
		}
		// Used every 90 minutes, it lives until its absolute expiry.
		for i := 0; i < 6; i++ {
			clk.t = clk.t.Add(90 * time.Minute)
			if !live(a) {
				t.Fatalf("the session ended after %d uses 90 minutes apart", i+1)
			}
		}
		clk.t = clk.t.Add(90 * time.Minute) // 10.5 h after it began
		if live(a) {
			t.Error("a session outlived its absolute expiry")
		}
		b, _ := s.CreateSession(ctx, u.ID, "127.0.0.1 test", lim)
		clk.t = clk.t.Add(2*time.Hour + time.Second)
		if live(b) {
			t.Error("a session outlived its idle timeout")
		}
		c, _ := s.CreateSession(ctx, u.ID, "127.0.0.1 test", lim)
		d, _ := s.CreateSession(ctx, u.ID, "127.0.0.1 test", lim)
		if err := s.RevokeSession(ctx, c); err != nil {
			t.Fatal(err)
		}
		if live(c) || !live(d) {
			t.Error("revoking one session: it lives, or the other died")
		}
		_, token, err := s.AddToken(ctx, "alice", "ci")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := s.DisableUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if live(d) {
			t.Error("a disabled user's session still works")
		}
		if _, err := s.TokenUser(ctx, token); !errors.Is(err, ErrNoSession) {
			t.Errorf("a disabled user's token still works: %v", err)
		}
		if _, _, err := s.AddToken(ctx, "alice", "another"); err == nil {
			t.Error("a disabled user was given a token")
		}
		if err := s.db.QueryRow("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d sessions left unrevoked after disabling their user (%v)", n, err)
		}
	})
}

// Failed logins are counted per account since its last success, and per
// client, within the window.
func TestLoginFailures(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		clk := &clock{time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
		s.now = clk.now
		a := LoginAttempt{Account: "Alice", Client: "192.0.2.1"}
		first := clk.t
		for i := 0; i < 3; i++ {
			if err := s.RecordLogin(ctx, a, false); err != nil {
				t.Fatal(err)
			}
			clk.t = clk.t.Add(time.Minute)
		}
		s.RecordLogin(ctx, LoginAttempt{Account: "bob", Client: "192.0.2.1"}, false)
		acc, cli, accOldest, _, err := s.LoginFailures(ctx, LoginAttempt{Account: "alice", Client: "192.0.2.1"}, clk.t.Add(-15*time.Minute))
		if err != nil || acc != 3 || cli != 4 || !accOldest.Equal(first) {
			t.Errorf("failures: account %d, client %d, oldest %v (%v); want 3, 4, %v", acc, cli, accOldest, err, first)
		}
		// Outside the window they no longer count.
		acc, cli, _, _, _ = s.LoginFailures(ctx, a, clk.t.Add(time.Minute))
		if acc != 0 || cli != 0 {
			t.Errorf("failures outside the window: %d, %d", acc, cli)
		}
		// A success clears the account's count, not the client's.
		clk.t = clk.t.Add(time.Second)
		s.RecordLogin(ctx, a, true)
		clk.t = clk.t.Add(time.Second)
		acc, cli, _, _, _ = s.LoginFailures(ctx, a, clk.t.Add(-15*time.Minute))
		if acc != 0 || cli != 4 {
			t.Errorf("after a success: account %d, client %d; want 0, 4", acc, cli)
		}
		// Rows a day old are pruned.
		clk.t = clk.t.Add(25 * time.Hour)
		s.RecordLogin(ctx, a, false)
		var n int
		if err := s.db.QueryRow("SELECT COUNT(*) FROM login_attempts").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d login attempts kept after a day (%v), want 1", n, err)
		}
	})
}
