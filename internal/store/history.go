package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"testing/fstest"

	"strikemap/internal/geo"
)

// ErrNoVersion is returned for a dataset version the record does not hold.
var ErrNoVersion = errors.New("no such dataset version")

// Latest returns the newest dataset version; ok is false when the record
// has none yet.
func (s *Store) Latest(ctx context.Context) (v Version, ok bool, err error) {
	return s.latest(ctx, s.db)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) latest(ctx context.Context, q queryer) (v Version, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT v.number, v.revision_id, v.created_at, r.author, r.reason, v.digest
FROM versions v JOIN revisions r ON r.id = v.revision_id ORDER BY v.number DESC LIMIT 1`).
		Scan(&v.Number, &v.RevisionID, &v.CreatedAt, &v.Author, &v.Reason, &v.Digest)
	if isNoRows(err) {
		return v, false, nil
	}
	return v, err == nil, err
}

// LatestNumber returns the newest dataset version's number, 0 when there
// is none: the cheap query a follower polls.
func (s *Store) LatestNumber(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT MAX(number) FROM versions").Scan(&n)
	return n.Int64, err
}

// VersionAt returns dataset version number, or ErrNoVersion.
func (s *Store) VersionAt(ctx context.Context, number int64) (Version, error) {
	var v Version
	err := s.db.QueryRowContext(ctx, s.q(`SELECT v.number, v.revision_id, v.created_at, r.author, r.reason, v.digest
FROM versions v JOIN revisions r ON r.id = v.revision_id WHERE v.number = ?`), number).
		Scan(&v.Number, &v.RevisionID, &v.CreatedAt, &v.Author, &v.Reason, &v.Digest)
	if isNoRows(err) {
		return v, fmt.Errorf("version %d: %w", number, ErrNoVersion)
	}
	return v, err
}

// FilesAt returns the dataset files as they were at version number, laid
// out as then: each feature's body is the after of the last change to it
// by a version up to number, its place the last one recorded up to then
// (the positions table); a feature whose last change retracted it, or
// that came later, is left out. The digest geo.Load computes of them is
// the version's own (TestFilesAtEveryVersion). Features placed by a writer
// that records no positions keep their current place, or come last in id
// order when they are gone.
func (s *Store) FilesAt(ctx context.Context, number int64) (map[string][]byte, error) {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var exists int
	if err := tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM versions WHERE number = ?"), number).Scan(&exists); err != nil {
		return nil, err
	}
	if exists == 0 {
		return nil, fmt.Errorf("version %d: %w", number, ErrNoVersion)
	}
	// Every file that ever had a row: its row at the version says whether
	// it was there then.
	names, err := textColumn(ctx, tx, s.q(`SELECT DISTINCT c.file FROM changes c JOIN versions v ON v.revision_id = c.revision_id
WHERE c.feature_id = '' AND v.number <= ?`), number)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, name := range names {
		b, err := s.fileAt(ctx, tx, name, number)
		if err != nil {
			return nil, fmt.Errorf("%s at version %d: %w", name, number, err)
		}
		if b != nil {
			out[name] = b
		}
	}
	return out, nil
}

// FSAt is FilesAt as a file system geo.Load reads.
func (s *Store) FSAt(ctx context.Context, number int64) (fs.FS, error) {
	files, err := s.FilesAt(ctx, number)
	if err != nil {
		return nil, err
	}
	return filesFS(files), nil
}

// fileAt lays out one file at a version, or returns nil when the file was
// not part of the record then.
func (s *Store) fileAt(ctx context.Context, tx *sql.Tx, name string, number int64) ([]byte, error) {
	// Last after of each feature up to the version, in feature order then
	// version order: the last row of each feature wins.
	rows, err := tx.QueryContext(ctx, s.q(`SELECT c.feature_id, c.after FROM changes c JOIN versions v ON v.revision_id = c.revision_id
WHERE c.file = ? AND v.number <= ? ORDER BY c.feature_id, v.number`), name, number)
	if err != nil {
		return nil, err
	}
	bodies := map[string][]byte{}
	var head []byte
	for rows.Next() {
		var id string
		var after sql.NullString
		if err := rows.Scan(&id, &after); err != nil {
			rows.Close()
			return nil, err
		}
		var b []byte
		if after.Valid {
			b = []byte(after.String)
		}
		if id == "" {
			head = b
			continue
		}
		if b == nil {
			delete(bodies, id)
		} else {
			bodies[id] = b
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if head == nil {
		return nil, nil
	}
	var fr fileRow
	if err := json.Unmarshal(head, &fr); err != nil {
		return nil, fmt.Errorf("the file's row: %w", err)
	}
	pos := make(map[string]int64, len(bodies))
	rows, err = tx.QueryContext(ctx, s.q(`SELECT p.feature_id, p.position FROM positions p JOIN versions v ON v.revision_id = p.revision_id
WHERE p.file = ? AND v.number <= ? ORDER BY p.feature_id, v.number`), name, number)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var p int64
		if err := rows.Scan(&id, &p); err != nil {
			rows.Close()
			return nil, err
		}
		if _, ok := bodies[id]; ok {
			pos[id] = p
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(pos) < len(bodies) {
		// Features no position row places: their current place.
		rows, err = tx.QueryContext(ctx, s.q("SELECT id, position FROM features WHERE file = ?"), name)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var p int64
			if err := rows.Scan(&id, &p); err != nil {
				rows.Close()
				return nil, err
			}
			if _, placed := pos[id]; !placed {
				if _, ok := bodies[id]; ok {
					pos[id] = p
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	type placed struct {
		id  string
		pos int64
	}
	order := make([]placed, 0, len(bodies))
	for id := range bodies {
		p, ok := pos[id]
		if !ok {
			p = math.MaxInt64
		}
		order = append(order, placed{id, p})
	}
	slices.SortFunc(order, func(a, b placed) int {
		return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.id, b.id))
	})
	elems := make([][]byte, len(order))
	for i, o := range order {
		elems[i] = bodies[o.id]
	}
	return fr.fileLayout.write(fr.Head, fr.Tail, elems, nil)
}

// textColumn runs a query of one text column.
func textColumn(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// filesFS serves a dataset's files to geo.Load; a record without bases or
// incidents gives empty ones.
func filesFS(files map[string][]byte) fs.FS {
	m := fstest.MapFS{}
	for name, b := range files {
		m[name] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile} {
		if _, ok := m[name]; !ok {
			m[name] = &fstest.MapFile{Data: []byte(`{"type":"FeatureCollection","features":[]}`), Mode: 0o444}
		}
	}
	return m
}

// FileChanges counts what a version did to one file's features.
type FileChanges struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Retracted int `json:"retracted"`
	// Count is how many features the file held after the version.
	Count int `json:"count"`
}

// VersionSummary is a dataset version with what it changed in each file.
type VersionSummary struct {
	Version
	Files map[string]FileChanges
}

// VersionLog lists every dataset version, oldest first, with its changes
// and the size of each file after it, in two queries (one over all the
// changes: callers keep the result while no new version comes).
func (s *Store) VersionLog(ctx context.Context) ([]VersionSummary, error) {
	vs, err := s.Versions(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT v.number, c.file,
 SUM(CASE WHEN c.before IS NULL AND c.after IS NOT NULL THEN 1 ELSE 0 END),
 SUM(CASE WHEN c.before IS NOT NULL AND c.after IS NOT NULL THEN 1 ELSE 0 END),
 SUM(CASE WHEN c.before IS NOT NULL AND c.after IS NULL THEN 1 ELSE 0 END)
FROM changes c JOIN versions v ON v.revision_id = c.revision_id
WHERE c.feature_id <> '' GROUP BY v.number, c.file ORDER BY v.number, c.file`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byNumber := map[int64]map[string]FileChanges{}
	for rows.Next() {
		var n int64
		var file string
		var fc FileChanges
		if err := rows.Scan(&n, &file, &fc.Added, &fc.Updated, &fc.Retracted); err != nil {
			return nil, err
		}
		if byNumber[n] == nil {
			byNumber[n] = map[string]FileChanges{}
		}
		byNumber[n][file] = fc
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]VersionSummary, len(vs))
	count := map[string]int{}
	for i, v := range vs {
		files := map[string]FileChanges{}
		for file, fc := range byNumber[v.Number] {
			count[file] += fc.Added - fc.Retracted
		}
		for file, n := range count {
			fc := byNumber[v.Number][file]
			fc.Count = n
			files[file] = fc
		}
		out[i] = VersionSummary{Version: v, Files: files}
	}
	return out, nil
}

// FeatureRevision is one revision touching a feature, with the feature's before
// and after in it.
type FeatureRevision struct {
	ID             int64
	Author         string
	CreatedAt      string
	Reason         string
	State          string // proposed, approved or rejected
	DecidedBy      string // the deciding user's name, "" when undecided or by import
	DecidedAt      string
	DecisionReason string
	Version        int64 // the dataset version it made; 0 when none (proposed or rejected)
	Before, After  []byte
}

// History lists every revision that touched the feature id of file
// (proposed and rejected ones too), oldest first.
func (s *Store) History(ctx context.Context, file, id string) ([]FeatureRevision, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.id, r.author, r.created_at, r.reason, r.state, COALESCE(u.name, ''),
 COALESCE(r.decided_at, ''), COALESCE(r.decision_reason, ''), COALESCE(v.number, 0), c.before, c.after
FROM changes c JOIN revisions r ON r.id = c.revision_id
LEFT JOIN versions v ON v.revision_id = r.id
LEFT JOIN users u ON u.id = r.decided_by
WHERE c.file = ? AND c.feature_id = ? ORDER BY r.id`), file, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FeatureRevision
	for rows.Next() {
		var r FeatureRevision
		var before, after sql.NullString
		if err := rows.Scan(&r.ID, &r.Author, &r.CreatedAt, &r.Reason, &r.State, &r.DecidedBy, &r.DecidedAt, &r.DecisionReason, &r.Version, &before, &after); err != nil {
			return nil, err
		}
		if before.Valid {
			r.Before = []byte(before.String)
		}
		if after.Valid {
			r.After = []byte(after.String)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
