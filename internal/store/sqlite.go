package store

import (
	"net/url"

	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"
)

// sqliteDriver is the pure-Go SQLite driver: github.com/ncruces/go-sqlite3
// (SQLite translated to Go, no cgo). docs/editing.md says why it and not
// modernc.org/sqlite.
const sqliteDriver = "sqlite3"

// sqliteDSN opens path with the settings every connection needs: foreign
// keys enforced, write-ahead logging (readers do not wait for the writer),
// a connection waiting up to 10 s for a lock another holds, and write transactions that
// take the write lock when they begin, so that two never deadlock
// upgrading a read.
func sqliteDSN(path string) string {
	u := url.URL{Scheme: "file", Opaque: path}
	q := url.Values{}
	// The timeout first: switching a new file to WAL takes a lock, which
	// another process opening it at the same moment may hold.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(wal)")
	q.Set("_txlock", "immediate")
	u.RawQuery = q.Encode()
	return u.String()
}
