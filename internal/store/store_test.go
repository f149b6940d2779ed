package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"strikemap/internal/testenv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopPostgres()
	os.Exit(code)
}

// backends names each engine with a function giving a fresh database URL
// for a test: the store tests run on both.
var backends = []struct {
	name string
	url  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "record.db") }},
	{"postgres", func(t *testing.T) string { return testenv.Postgres(t) }},
}

// eachBackend runs test on a new database of each engine.
func eachBackend(t *testing.T, test func(t *testing.T, url string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.url(t)) })
	}
}

// open opens url, closing it when the test ends.
func open(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenMigrates(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		s := open(t, url)
		v, err := s.Version(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if v != SchemaVersion() || v < 1 {
			t.Fatalf("schema version %d, want %d", v, SchemaVersion())
		}
		s.Close()
		// Opening again migrates nothing.
		s = open(t, url)
		var n int
		if err := s.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != SchemaVersion() {
			t.Fatalf("schema_migrations holds %d rows (%v), want %d", n, err, SchemaVersion())
		}
	})
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		s := open(t, url)
		next := SchemaVersion() + 1
		if _, err := s.db.Exec(s.q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', '2030-01-01T00:00:00.000Z')"), next); err != nil {
			t.Fatal(err)
		}
		s.Close()
		_, err := Open(context.Background(), url)
		var tooNew *TooNewError
		if !errors.As(err, &tooNew) || tooNew.Database != next || tooNew.Binary != SchemaVersion() {
			t.Fatalf("Open: %v, want a TooNewError naming versions %d and %d", err, next, SchemaVersion())
		}
		t.Log(err)
	})
}

func TestOpenBadURL(t *testing.T) {
	for _, u := range []string{"", "mysql://x", "sqlite:", "sqlite:a.db?mode=memory", "postgres://u:secret@127.0.0.1:1/x?connect_timeout=1"} {
		_, err := Open(context.Background(), u)
		if err == nil {
			t.Errorf("Open(%q) succeeded", u)
			continue
		}
		if msg := err.Error(); len(msg) == 0 || strings.Contains(msg, "secret") {
			t.Errorf("Open(%q): %q (a password must not be shown)", u, msg)
		}
	}
}

// Processes starting together on one new database migrate it once.
func TestOpenConcurrently(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				s, err := Open(context.Background(), url)
				if err == nil {
					s.Close()
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		s := open(t, url)
		var n int
		if err := s.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != SchemaVersion() {
			t.Errorf("schema_migrations holds %d rows (%v), want %d", n, err, SchemaVersion())
		}
	})
}
