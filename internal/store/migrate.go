package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// migrationFiles holds the schema's versions: NNNN_name.sql for SQL both
// engines accept, NNNN_name.sqlite.sql and NNNN_name.postgres.sql where
// they differ.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// A migration is one version of the schema.
type migration struct {
	version int
	name    string
	sql     string
}

// TooNewError refuses a database that a newer strikemap has migrated: this
// binary cannot know what the newer schema means.
type TooNewError struct {
	Database, Binary int
}

func (e *TooNewError) Error() string {
	return fmt.Sprintf("the database's schema is at version %d, but this strikemap knows versions up to %d: run a strikemap at least as new as the one that migrated it (or restore a backup taken before)", e.Database, e.Binary)
}

// migrations lists the dialect's migrations in version order.
func migrations(d Dialect) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]migration{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
			if Dialect(name[dot+1:]) != d {
				continue
			}
			name = name[:dot]
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: want NNNN_name.sql", e.Name())
		}
		if _, dup := byVersion[v]; dup {
			return nil, fmt.Errorf("migration %s: version %d is given twice for %s", e.Name(), v, d)
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		byVersion[v] = migration{version: v, name: name, sql: string(b)}
	}
	var out []migration
	for v := 1; v <= len(byVersion); v++ {
		m, ok := byVersion[v]
		if !ok {
			return nil, fmt.Errorf("migrations for %s: version %d is missing", d, v)
		}
		out = append(out, m)
	}
	return out, nil
}

// SchemaVersion is the newest schema version this binary knows.
func SchemaVersion() int {
	ms, _ := migrations(SQLite)
	return len(ms)
}

// migrate brings the schema to the newest version, one migration per
// transaction, each recorded in schema_migrations. On PostgreSQL an
// advisory lock keeps two processes starting at once from both migrating.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations(s.dialect)
	if err != nil {
		return err
	}
	for {
		done, err := s.migrateOne(ctx, ms)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next migration, if any, in one transaction.
func (s *Store) migrateOne(ctx context.Context, ms []migration) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer rollback(tx, &err)
	if s.dialect == Postgres {
		if _, err = tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7316041)"); err != nil {
			return false, err
		}
	}
	if _, err = tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`); err != nil {
		return false, fmt.Errorf("create schema_migrations: %w", err)
	}
	var current sql.NullInt64
	if err = tx.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&current); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	v := int(current.Int64)
	if v > len(ms) {
		err = &TooNewError{Database: v, Binary: len(ms)}
		return false, err
	}
	if v == len(ms) {
		return true, tx.Rollback()
	}
	m := ms[v]
	if _, err = tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("migration %04d %s: %w", m.version, m.name, err)
	}
	if _, err = tx.ExecContext(ctx, s.q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.version, m.name, timestamp(s.now())); err != nil {
		return false, fmt.Errorf("record migration %04d: %w", m.version, err)
	}
	if err = tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %04d %s: commit: %w", m.version, m.name, err)
	}
	return false, nil
}

// Version returns the database's schema version.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	return int(v.Int64), err
}
