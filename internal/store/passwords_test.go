package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A password link sets a password once: a newer link, its use, its expiry
// and its user disabled each end it, with the same error as a token that
// never existed; a weak password leaves it unused; it lives in the
// database, so a link made before a restart works after it.
func TestPasswordLinks(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		clk := &clock{time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
		s.now = clk.now
		if _, err := s.NewPasswordLink(ctx, "alice", "dataset"); !errors.Is(err, ErrNoUser) {
			t.Errorf("a link for nobody: %v", err)
		}
		u, err := s.AddUserWithoutPassword(ctx, "alice", Editor)
		if err != nil {
			t.Fatal(err)
		}
		if has, err := s.HasPassword(ctx, "alice"); has || err != nil {
			t.Errorf("HasPassword before the link: %v %v", has, err)
		}
		for _, pw := range []string{"", "correct horse battery"} {
			if _, err := s.Authenticate(ctx, "alice", pw); !errors.Is(err, ErrBadLogin) {
				t.Errorf("alice without a password logs in with %q: %v", pw, err)
			}
		}
		first, err := s.NewPasswordLink(ctx, "alice", "dataset")
		if err != nil {
			t.Fatal(err)
		}
		if !first.ExpiresAt.Equal(clk.t.Add(PasswordLinkLifetime)) || len(first.Token) != 43 {
			t.Errorf("link %+v", first)
		}
		var n int
		if err := s.db.QueryRow(s.q("SELECT COUNT(*) FROM password_links WHERE hash = ?"), first.Token).Scan(&n); err != nil || n != 0 {
			t.Errorf("the link's token is stored as it is (%d, %v)", n, err)
		}
		second, err := s.NewPasswordLink(ctx, "alice", "ada")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PasswordLinkUser(ctx, first.Token); !errors.Is(err, ErrNoLink) {
			t.Errorf("the first link after a second was made: %v", err)
		}
		if got, err := s.PasswordLinkUser(ctx, second.Token); err != nil || got.ID != u.ID || got.Role != Editor {
			t.Fatalf("the second link: %+v %v", got, err)
		}
		// A browser logged in as alice (say, before a reset) is logged out.
		session, err := s.CreateSession(ctx, u.ID, "test", SessionLimits{Idle: time.Hour, Max: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPasswordByLink(ctx, second.Token, "short"); err == nil || errors.Is(err, ErrNoLink) {
			t.Errorf("a weak password: %v", err)
		}
		if _, err := s.SetPasswordByLink(ctx, "not a token", "correct horse battery"); !errors.Is(err, ErrNoLink) {
			t.Errorf("a wrong token: %v", err)
		}
		// Reopened (a restart), the link still works, once.
		s2 := open(t, url)
		s2.now = clk.now
		if got, err := s2.SetPasswordByLink(ctx, second.Token, "correct horse battery"); err != nil || got.Name != "alice" {
			t.Fatalf("set by the link after a reopen: %+v %v", got, err)
		}
		if _, err := s.Authenticate(ctx, "alice", "correct horse battery"); err != nil {
			t.Errorf("alice logs in with the password she set: %v", err)
		}
		if _, err := s.SessionUser(ctx, session, SessionLimits{Idle: time.Hour, Max: time.Hour}); !errors.Is(err, ErrNoSession) {
			t.Errorf("alice's session before the link was used: %v", err)
		}
		if _, err := s.SetPasswordByLink(ctx, second.Token, "another fine passphrase"); !errors.Is(err, ErrNoLink) {
			t.Errorf("the link used twice: %v", err)
		}

		// Expired: the same error as a wrong token.
		third, err := s.NewPasswordLink(ctx, "alice", "ada")
		if err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(PasswordLinkLifetime - time.Second)
		if _, err := s.PasswordLinkUser(ctx, third.Token); err != nil {
			t.Errorf("a second before it expires: %v", err)
		}
		clk.t = clk.t.Add(time.Second)
		_, expired := s.SetPasswordByLink(ctx, third.Token, "another fine passphrase")
		other, _ := NewSecret()
		_, wrong := s.SetPasswordByLink(ctx, other, "another fine passphrase")
		if expired != ErrNoLink || wrong != ErrNoLink {
			t.Errorf("expired: %v; wrong: %v; want both ErrNoLink itself", expired, wrong)
		}

		// Disabled: the link ends and no new one is made; enabled again,
		// what disabling revoked stays revoked.
		fourth, _ := s.NewPasswordLink(ctx, "alice", "ada")
		session, _ = s.CreateSession(ctx, u.ID, "test", SessionLimits{Idle: time.Hour, Max: time.Hour})
		if err := s.DisableUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.NewPasswordLink(ctx, "alice", "ada"); !errors.Is(err, ErrUserDisabled) {
			t.Errorf("a link for a disabled user: %v", err)
		}
		if err := s.EnableUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if err := s.EnableUser(ctx, "nobody"); !errors.Is(err, ErrNoUser) {
			t.Errorf("enable nobody: %v", err)
		}
		if _, err := s.PasswordLinkUser(ctx, fourth.Token); !errors.Is(err, ErrNoLink) {
			t.Errorf("a link made before the user was disabled, after enabling: %v", err)
		}
		if _, err := s.SessionUser(ctx, session, SessionLimits{Idle: time.Hour, Max: time.Hour}); !errors.Is(err, ErrNoSession) {
			t.Errorf("a session revoked by disabling, after enabling: %v", err)
		}
		if _, err := s.Authenticate(ctx, "alice", "correct horse battery"); err != nil {
			t.Errorf("alice enabled again logs in: %v", err)
		}
	})
}

// Changing one's own password ends one's other sessions and keeps the one
// asking.
func TestChangePassword(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		u, err := s.AddUser(ctx, "bob", Contributor, "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		lim := SessionLimits{Idle: time.Hour, Max: time.Hour}
		here, _ := s.CreateSession(ctx, u.ID, "here", lim)
		there, _ := s.CreateSession(ctx, u.ID, "there", lim)
		if err := s.ChangePassword(ctx, "bob", "bob's new passphrase", here); err == nil {
			t.Error("a password holding the name was accepted")
		}
		if err := s.ChangePassword(ctx, "bob", "a brand new passphrase", here); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, here, lim); err != nil {
			t.Errorf("the session that changed it: %v", err)
		}
		if _, err := s.SessionUser(ctx, there, lim); !errors.Is(err, ErrNoSession) {
			t.Errorf("another session: %v", err)
		}
		if _, err := s.Authenticate(ctx, "bob", "correct horse battery"); !errors.Is(err, ErrBadLogin) {
			t.Errorf("the old password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "bob", "a brand new passphrase"); err != nil {
			t.Errorf("the new password: %v", err)
		}
	})
}

// Of two uses of one link at once, one sets the password and the other is
// ErrNoLink.
func TestPasswordLinkUsedOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if _, err := s.AddUserWithoutPassword(ctx, "alice", Editor); err != nil {
			t.Fatal(err)
		}
		l, err := s.NewPasswordLink(ctx, "alice", "dataset")
		if err != nil {
			t.Fatal(err)
		}
		start := make(chan struct{})
		errs := make(chan error, 2)
		for _, pw := range []string{"the first passphrase", "the second passphrase"} {
			go func() {
				<-start
				_, err := s.SetPasswordByLink(ctx, l.Token, pw)
				errs <- err
			}()
		}
		close(start)
		var ok, refused int
		for range 2 {
			switch err := <-errs; {
			case err == nil:
				ok++
			case errors.Is(err, ErrNoLink):
				refused++
			default:
				t.Errorf("a use of the link: %v", err)
			}
		}
		if ok != 1 || refused != 1 {
			t.Errorf("%d uses set the password, %d were refused: want 1 and 1", ok, refused)
		}
	})
}
