// Package store keeps strikemap's record in a database: the dataset's files
// as rows (one per feature, its JSON exactly as the geo package reads and
// writes it), the users who may change it, and the history of every change
// (revisions, their before and after, and the dataset versions approved
// changes make). SQLite (pure Go, no cgo) and PostgreSQL are supported; the
// schema is created and upgraded by versioned migrations when a database is
// opened. docs/editing.md describes the tables.
//
// The geo package stays the one schema of the data: a dataset goes in
// through geo.Load's validation and comes out as the files geo.Load reads.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// Dialect names a database engine.
type Dialect string

// The dialects Open understands.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is an open database holding a strikemap record.
type Store struct {
	db      *sql.DB
	dialect Dialect
	url     string
	now     func() time.Time
	chunks  chunkCache // the chunks of the last version this Store made (digest.go)
}

// Open connects to the database that url names, creating it (SQLite) and
// migrating its schema to the newest this binary knows. url is
// "sqlite:PATH" (a file, created when missing) or a PostgreSQL URL
// ("postgres://user@host:port/db?sslmode=disable"). A database whose schema
// is newer than this binary's is refused with a *TooNewError.
func Open(ctx context.Context, url string) (*Store, error) {
	s, err := connect(url)
	if err != nil {
		return nil, err
	}
	if err := s.ping(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open %s: %w", Redact(url), err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open %s: %w", Redact(url), err)
	}
	return s, nil
}

// ping makes the first connection. On SQLite, switching a new file to
// write-ahead logging needs the file to itself, and SQLite gives up at once
// (SQLITE_BUSY, whatever the busy timeout) while another process opening
// the same new file holds it, migrating: the first connection is tried
// again for up to the busy timeout (TestOpenConcurrently).
func (s *Store) ping(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := s.db.PingContext(ctx)
		if err == nil || s.dialect != SQLite || !errors.Is(err, sqlite3.BUSY) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// connect opens the pool without touching the database.
func connect(u string) (*Store, error) {
	s := &Store{url: u, now: time.Now}
	var err error
	switch {
	case strings.HasPrefix(u, "sqlite:"):
		path := strings.TrimPrefix(u, "sqlite:")
		if path == "" || strings.ContainsAny(path, "?#") {
			return nil, fmt.Errorf("database URL %q: want sqlite:PATH, a file path without ? or #", u)
		}
		s.dialect = SQLite
		s.db, err = sql.Open(sqliteDriver, sqliteDSN(path))
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		s.dialect = Postgres
		s.db, err = sql.Open("pgx", u)
	default:
		return nil, fmt.Errorf("database URL %q: want sqlite:PATH or postgres://USER@HOST:PORT/DB", Redact(u))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Redact(u), err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Dialect says which engine s runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// String names the database for a log line, without a password.
func (s *Store) String() string { return Redact(s.url) }

// Redact returns a database URL with its password, if any, hidden.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	if _, ok := p.User.Password(); ok {
		p.User = url.UserPassword(p.User.Username(), "xxxxx")
	}
	return p.String()
}

// q rewrites a query written with ? placeholders for s's dialect:
// PostgreSQL numbers them ($1, $2, ...).
func (s *Store) q(query string) string {
	if s.dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// timestamp is how times are stored: UTC, RFC 3339 with milliseconds, so
// that text order is time order on both engines.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// lockRecord serializes writers of the record: PostgreSQL takes a
// transaction-scoped advisory lock (several processes may share one
// database); SQLite's write transactions are serialized by the engine.
func (s *Store) lockRecord(ctx context.Context, tx *sql.Tx) error {
	if s.dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7316042)")
	return err
}

// rollback ends tx when err is set, keeping err.
func rollback(tx *sql.Tx, err *error) {
	if *err != nil {
		tx.Rollback()
	}
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
