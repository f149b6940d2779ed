package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"time"

	"strikemap/internal/geo"
)

// Snapshot is the record at one moment as the files of a dataset
// directory, a file system geo.Load reads, like FS; but a file laid out one
// feature a line (as dataset import and synth write incidents.geojson) is
// not built in memory: its rows are streamed from the database as it is
// read, so that loading a million incidents from the record takes the
// memory of the dataset, as loading them from a directory does, not of
// its file as well. The other files (bases, strikes, official counts: a few
// KB) are built whole when opened.
//
// Every file is read in one read transaction, so all are of one version;
// Close ends it. Only one streamed file may be open at a time (PostgreSQL
// runs one query at a time on a connection), which is how geo.Load reads.
type Snapshot struct {
	ctx     context.Context
	tx      *sql.Tx
	s       *Store
	files   map[string]snapshotFile
	version Version // the newest version, read in the same transaction
}

// snapshotFile is a row of the files table.
type snapshotFile struct {
	head, tail string
	layout     fileLayout
}

// Snapshot begins a read of the record; see Snapshot.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	files, err := s.snapshotFiles(ctx, tx)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	v, _, err := s.latest(ctx, tx)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return &Snapshot{ctx: ctx, tx: tx, s: s, files: files, version: v}, nil
}

// snapshotFiles reads the files table in tx.
func (s *Store) snapshotFiles(ctx context.Context, tx *sql.Tx) (map[string]snapshotFile, error) {
	rows, err := tx.QueryContext(ctx, "SELECT name, head, tail, layout, indent, final_newline, verbatim FROM files")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	files := map[string]snapshotFile{}
	for rows.Next() {
		var name string
		var f snapshotFile
		var verbatim sql.NullString
		var finalNL int
		if err := rows.Scan(&name, &f.head, &f.tail, &f.layout.Layout, &f.layout.Indent, &finalNL, &verbatim); err != nil {
			return nil, err
		}
		f.layout.FinalNewline, f.layout.Verbatim = finalNL != 0, verbatim.String
		files[name] = f
	}
	return files, rows.Err()
}

// Version is the dataset version the snapshot reads: the record's newest
// when it began (zero for an empty record).
func (sn *Snapshot) Version() Version { return sn.version }

// Close ends the snapshot's read transaction.
func (sn *Snapshot) Close() error { return sn.tx.Rollback() }

// emptyCollection stands for the bases or incidents of an empty record.
const emptyCollection = `{"type":"FeatureCollection","features":[]}`

// Open opens a file of the record; see Snapshot.
func (sn *Snapshot) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, ok := sn.files[name]
	if !ok {
		if name == geo.BasesFile || name == geo.IncidentsFile {
			return &memFile{name: name, data: []byte(emptyCollection)}, nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if f.layout.Layout == "lines" {
		return sn.stream(name, f)
	}
	elems, err := sn.elements(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	b, err := f.layout.write(f.head, f.tail, elems, nil)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &memFile{name: name, data: b}, nil
}

// elements reads the rows of a small file.
func (sn *Snapshot) elements(name string) ([][]byte, error) {
	rows, err := sn.tx.QueryContext(sn.ctx, sn.s.q("SELECT body FROM features WHERE file = ? ORDER BY position"), name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var elems [][]byte
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		elems = append(elems, body)
	}
	return elems, rows.Err()
}

// stream opens a file laid out one feature a line as a reader of its rows.
// Its size is an estimate (the rows counted, times the mean length of the
// first thousand, and a margin), which the loader sizes its memory by;
// summing every row's length would read the whole table once more.
func (sn *Snapshot) stream(name string, f snapshotFile) (fs.File, error) {
	var n int64
	var mean sql.NullFloat64
	err := sn.tx.QueryRowContext(sn.ctx, sn.s.q("SELECT COUNT(*) FROM features WHERE file = ?"), name).Scan(&n)
	if err == nil {
		err = sn.tx.QueryRowContext(sn.ctx, sn.s.q("SELECT AVG(LENGTH(body)) FROM (SELECT body FROM features WHERE file = ? ORDER BY position LIMIT 1000) AS first"), name).Scan(&mean)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	// SQLite's driver copies a TEXT value into a new string for each row
	// (850 MB of garbage for a million incidents, which let the heap grow
	// by hundreds of MB between collections while the dataset is built);
	// a BLOB it hands over as the bytes SQLite holds, which RawBytes reads
	// without a copy.
	body := "body"
	if sn.s.dialect == SQLite {
		body = "CAST(body AS BLOB)"
	}
	rows, err := sn.tx.QueryContext(sn.ctx, sn.s.q("SELECT "+body+" FROM features WHERE file = ? ORDER BY position"), name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	size := int64(len(f.head)+len(f.tail)+3) + int64(float64(n)*(mean.Float64*1.05+2))
	return &rowFile{name: name, size: size, rows: rows, f: f, pending: []byte(f.head)}, nil
}

// rowFile reads a file laid out one feature a line from its rows, as
// fileLayout.write lays it out.
type rowFile struct {
	name    string
	size    int64
	rows    *sql.Rows
	f       snapshotFile
	pending []byte // what is laid out and not yet read
	buf     []byte // pending's memory
	body    sql.RawBytes
	started bool // a row has been laid out
	done    bool // the tail has been laid out
	err     error
}

func (r *rowFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n := 0
	for n < len(p) {
		if len(r.pending) > 0 {
			k := copy(p[n:], r.pending)
			r.pending = r.pending[k:]
			n += k
			continue
		}
		if r.done || r.err != nil {
			break
		}
		r.next()
	}
	switch {
	case n > 0:
		return n, nil
	case r.err != nil:
		return 0, r.err
	}
	return 0, io.EOF
}

// next lays out the next row, or the tail after the last.
func (r *rowFile) next() {
	if r.rows.Next() {
		if r.err = r.rows.Scan(&r.body); r.err != nil {
			return
		}
		sep := []byte(",\n")
		if !r.started {
			sep = sep[1:]
		}
		r.started = true
		r.buf = append(append(r.buf[:0], sep...), r.body...)
		r.pending = r.buf
		return
	}
	if r.err = r.rows.Err(); r.err != nil {
		r.err = fmt.Errorf("read %s: %w", r.name, r.err)
		return
	}
	r.rows.Close()
	r.done = true
	r.buf = append(append(r.buf[:0], '\n'), r.f.tail...)
	if r.f.layout.FinalNewline {
		r.buf = append(r.buf, '\n')
	}
	r.pending = r.buf
}

func (r *rowFile) Stat() (fs.FileInfo, error) { return fileInfo{name: r.name, size: r.size}, nil }

func (r *rowFile) Close() error { return r.rows.Close() }

// memFile is a file built whole.
type memFile struct {
	name string
	data []byte
	off  int
}

func (m *memFile) Read(p []byte) (int, error) {
	if m.off >= len(m.data) {
		return 0, io.EOF
	}
	n := copy(p, m.data[m.off:])
	m.off += n
	return n, nil
}

func (m *memFile) Stat() (fs.FileInfo, error) {
	return fileInfo{name: m.name, size: int64(len(m.data))}, nil
}

func (m *memFile) Close() error { return nil }

type fileInfo struct {
	name string
	size int64
}

func (i fileInfo) Name() string       { return path.Base(i.name) }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }

// Delta is what the versions after one and up to a snapshot's changed, in
// a form a follower applies to the dataset it serves (geo.Dataset.Apply)
// rather than loading the record whole.
type Delta struct {
	// From is the version the changes apply to.
	From int64
	// Incidents are the incidents that changed, each with its feature as
	// the snapshot's version has it (nil: retracted): those the version
	// From held first, then the added ones in their order in the file.
	Incidents []geo.IncidentChange
	// Bases says that bases.geojson changed (it is read whole: a few KB).
	Bases bool
}

// Why a Delta cannot be made: the caller loads the version whole.
var (
	errDeltaTooLarge = errors.New("too many changes: a full load is as quick")
	errDeltaShape    = errors.New("a change other than of incidents' and bases' features in place or added last")
)

// ErrNoDelta wraps the reason ChangesSince gives none.
var ErrNoDelta = errors.New("the versions cannot be applied in place")

// ChangesSince returns what the versions after from, up to the
// snapshot's, changed, when that can be applied to version from's dataset
// in place: only features of incidents.geojson and bases.geojson changed
// or were retracted, incidents added after every one the file held, no
// file's own row changed (its layout, or a file added or dropped), no
// feature moved, and at most max changes. Otherwise the error wraps
// ErrNoDelta, saying why. Read in the snapshot's transaction, it is
// exactly the difference between version from and the snapshot's files.
func (sn *Snapshot) ChangesSince(from int64, max int) (Delta, error) {
	q := sn.s.q
	delta := Delta{From: from}
	var n int
	if err := sn.tx.QueryRowContext(sn.ctx, q("SELECT COUNT(*) FROM versions WHERE number = ?"), from).Scan(&n); err != nil {
		return delta, err
	}
	if n == 0 || from > sn.version.Number {
		return delta, fmt.Errorf("%w: version %d is not before %d in the record", ErrNoDelta, from, sn.version.Number)
	}
	// The revisions of the versions between, oldest first; their changes
	// and positions are then read by revision, the leading column of both
	// tables' keys, so that the engine reads only their rows (a join let
	// PostgreSQL, without statistics after a large import, scan every
	// change).
	var revisions []int64
	rows, err := sn.tx.QueryContext(sn.ctx, q("SELECT revision_id FROM versions WHERE number > ? AND number <= ? ORDER BY number"), from, sn.version.Number)
	if err != nil {
		return delta, err
	}
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return delta, err
		}
		revisions = append(revisions, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return delta, err
	}
	total := 0
	for _, r := range revisions {
		if err := sn.tx.QueryRowContext(sn.ctx, q("SELECT COUNT(*) FROM changes WHERE revision_id = ?"), r).Scan(&n); err != nil {
			return delta, err
		}
		if total += n; total > max {
			return delta, fmt.Errorf("%w: more than %d changes: %w", ErrNoDelta, max, errDeltaTooLarge)
		}
	}
	// Each feature's first change says whether version from held it; its
	// last, what it is now.
	type net struct {
		held  bool
		after []byte
		pos   int64
		moved bool
	}
	features := map[[2]string]*net{}
	var order [][2]string
	for _, r := range revisions {
		rows, err := sn.tx.QueryContext(sn.ctx, q("SELECT file, feature_id, before IS NULL, after FROM changes WHERE revision_id = ?"), r)
		if err != nil {
			return delta, err
		}
		for rows.Next() {
			var k [2]string
			var added bool
			var after sql.NullString
			if err := rows.Scan(&k[0], &k[1], &added, &after); err != nil {
				rows.Close()
				return delta, err
			}
			if k[1] == "" || (k[0] != geo.IncidentsFile && k[0] != geo.BasesFile) {
				rows.Close()
				return delta, fmt.Errorf("%w: %s's own row or a feature of it changed: %w", ErrNoDelta, k[0], errDeltaShape)
			}
			f := features[k]
			if f == nil {
				f = &net{held: !added, pos: -1}
				features[k] = f
				order = append(order, k)
			}
			f.after = nil
			if after.Valid {
				f.after = []byte(after.String)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return delta, err
		}
	}
	for _, r := range revisions {
		rows, err := sn.tx.QueryContext(sn.ctx, q("SELECT file, feature_id, position FROM positions WHERE revision_id = ?"), r)
		if err != nil {
			return delta, err
		}
		for rows.Next() {
			var k [2]string
			var pos int64
			if err := rows.Scan(&k[0], &k[1], &pos); err != nil {
				rows.Close()
				return delta, err
			}
			f := features[k]
			if f == nil || f.held {
				rows.Close()
				return delta, fmt.Errorf("%w: %s %q moved in its file: %w", ErrNoDelta, k[0], k[1], errDeltaShape)
			}
			f.pos = pos
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return delta, err
		}
	}
	var added []geo.IncidentChange
	var addedPos []int64
	for _, k := range order {
		f := features[k]
		if k[0] == geo.BasesFile {
			delta.Bases = true
			continue
		}
		switch {
		case f.held:
			delta.Incidents = append(delta.Incidents, geo.IncidentChange{ID: k[1], Feature: f.after})
		case f.after != nil:
			added = append(added, geo.IncidentChange{ID: k[1], Feature: f.after})
			addedPos = append(addedPos, f.pos)
		}
	}
	if len(added) > 0 {
		// The added incidents come after every other in the file, as
		// Apply puts them.
		idx := make([]int, len(added))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(addedPos[a], addedPos[b]) })
		if err := sn.tx.QueryRowContext(sn.ctx, q("SELECT COUNT(*) FROM features WHERE file = ? AND position >= ?"), geo.IncidentsFile, addedPos[idx[0]]).Scan(&n); err != nil {
			return delta, err
		}
		if n != len(added) || addedPos[idx[0]] < 0 {
			return delta, fmt.Errorf("%w: incidents were added before others in the file: %w", ErrNoDelta, errDeltaShape)
		}
		for _, i := range idx {
			delta.Incidents = append(delta.Incidents, added[i])
		}
	}
	return delta, nil
}
