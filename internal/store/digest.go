package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"

	"strikemap/internal/geo"
	"strikemap/internal/geo/loader"
)

// A version's digest (geo.Digest) hashes each chunk of incidents.geojson
// as the loader cuts it: about 4 MiB, cut just after a line break. In a
// file laid out one feature a line every line break but the last comes
// just before a row, so a chunk but the first begins with a row (or with
// the tail), and where it ends depends only on the bytes from its start
// on. The process that makes a version keeps, for that version, where
// each chunk begins (the position of its first row) and its hash
// (incidentChunks). The next change it makes from that version reads the
// rows again only from the chunk before the first row changed, cutting
// them as the loader does, until a chunk begins at the row an old chunk
// began with, past every row changed: from there the bytes are the old
// ones, and so are the cuts and the hashes. A change of one incident
// reads two or three chunks, not the record. Any other case (no table,
// another version since, another layout, a cut not at a row) reads the
// whole file, building the table as it goes.

// incidentChunks is the chunks of incidents.geojson at one version.
type incidentChunks struct {
	version int64
	file    snapshotFile
	starts  []int64 // the position of the row each chunk begins with (chunk 0: -1, the head; the tail: math.MaxInt64)
	sums    []uint64
	read    int // how many chunks were read to make it (for the tests)
}

// chunkCache holds the incidentChunks of the last version this Store made.
type chunkCache struct {
	mu sync.Mutex
	c  *incidentChunks
}

func (c *chunkCache) get() *incidentChunks {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.c
}

func (c *chunkCache) set(t *incidentChunks) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.c = t
}

// setNewer keeps t unless the table kept is of a newer version.
func (c *chunkCache) setNewer(t *incidentChunks) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.c == nil || c.c.version < t.version {
		c.c = t
	}
}

// KeepChunks reads the incidents file of the record's newest version and
// keeps the table of its chunks (above), so that the next change this
// Store makes from that version reads only the chunks it touches: a
// server calls it at start and after each version another process makes
// (follow.Start), in the background. It reads nothing when the table kept
// is of that version already, and keeps nothing for a file not laid out
// one feature a line. It reads in one read transaction, which holds no lock a writer waits for (beginRead).
// It returns the version read, and whether its table was made and kept.
func (s *Store) KeepChunks(ctx context.Context) (version int64, kept bool, err error) {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()
	v, ok, err := s.latest(ctx, tx)
	if err != nil || !ok {
		return 0, false, err
	}
	if c := s.chunks.get(); c != nil && c.version >= v.Number {
		return v.Number, false, nil
	}
	files, err := s.snapshotFiles(ctx, tx)
	if err != nil {
		return v.Number, false, err
	}
	f, ok := files[geo.IncidentsFile]
	if !ok || f.layout.Layout != "lines" {
		return v.Number, false, nil
	}
	t, err := s.chunkAll(ctx, tx, f)
	if err != nil || slices.Contains(t.starts, -2) {
		return v.Number, false, err
	}
	t.version = v.Number
	s.chunks.setNewer(t)
	return v.Number, true, nil
}

const (
	headStart = -1            // chunk 0 begins with the file's head
	tailStart = math.MaxInt64 // a chunk that begins with the file's tail
)

// digestFrom is digest for a change made to version from, which changed
// the incidents at positions changed (for a retraction, where the row
// was; for an addition, where it goes). It returns the chunks of the new
// version to keep once it is committed (nil when there are none to keep).
func (s *Store) digestFrom(ctx context.Context, tx *sql.Tx, from int64, changed []int64) (string, *incidentChunks, error) {
	files, err := s.snapshotFiles(ctx, tx)
	if err != nil {
		return "", nil, err
	}
	sn := &Snapshot{ctx: ctx, tx: tx, s: s, files: files}
	f, ok := files[geo.IncidentsFile]
	if !ok || f.layout.Layout != "lines" {
		d, err := geo.Digest(sn)
		return d, nil, err
	}
	var t *incidentChunks
	old := s.chunks.get()
	switch {
	case old != nil && old.version == from && old.file == f && len(changed) == 0:
		t = &incidentChunks{file: f, starts: old.starts, sums: old.sums} // incidents unchanged
	case old != nil && old.version == from && old.file == f:
		t, err = s.rechunk(ctx, tx, f, old, changed)
	default:
		t, err = s.chunkAll(ctx, tx, f)
	}
	if err != nil {
		return "", nil, err
	}
	d, err := geo.DigestOf(sn, t.sums)
	if err != nil {
		return "", nil, fmt.Errorf("the digest of the record: %w", err)
	}
	if slices.Contains(t.starts, -2) { // a cut not at a row: nothing to keep
		t = nil
	}
	return d, t, nil
}

// chunkAll cuts the whole incidents file into chunks.
func (s *Store) chunkAll(ctx context.Context, tx *sql.Tx, f snapshotFile) (*incidentChunks, error) {
	t := &incidentChunks{file: f}
	err := s.chunkRows(ctx, tx, f, headStart, func(start int64, sum uint64) bool {
		t.read++
		t.starts = append(t.starts, start)
		t.sums = append(t.sums, sum)
		return true
	})
	return t, err
}

// rechunk cuts the chunks a change made to old's version moves (above).
func (s *Store) rechunk(ctx context.Context, tx *sql.Tx, f snapshotFile, old *incidentChunks, changed []int64) (*incidentChunks, error) {
	first, last := slices.Min(changed), slices.Max(changed)
	// The chunk holding the first row changed; the one before it may
	// read into it (a chunk is at least half of the 4 MiB read).
	k, _ := slices.BinarySearch(old.starts, first+1)
	k0 := max(k-2, 0)
	t := &incidentChunks{file: f, starts: slices.Clone(old.starts[:k0]), sums: slices.Clone(old.sums[:k0])}
	resync := -1
	err := s.chunkRows(ctx, tx, f, old.starts[k0], func(start int64, sum uint64) bool {
		if start > last && start != tailStart && start >= 0 {
			if m, ok := slices.BinarySearch(old.starts, start); ok && m > k0 {
				resync = m
				return false
			}
		}
		t.read++
		t.starts = append(t.starts, start)
		t.sums = append(t.sums, sum)
		return true
	})
	if err != nil {
		return nil, err
	}
	if resync >= 0 {
		t.starts = append(t.starts, old.starts[resync:]...)
		t.sums = append(t.sums, old.sums[resync:]...)
	}
	return t, nil
}

// chunkRows reads the incidents file from the row at position from
// (headStart: from the head) to its end, cut as the loader cuts it, and
// calls fn with each chunk's first row's position (-2 when a chunk does
// not begin at a row) and hash, until fn returns false.
func (s *Store) chunkRows(ctx context.Context, tx *sql.Tx, f snapshotFile, from int64, fn func(start int64, sum uint64) bool) error {
	body := "body"
	if s.dialect == SQLite {
		body = "CAST(body AS BLOB)"
	}
	// In pages of rows (by position, the index's order), so that a read
	// stopped after a few chunks leaves no query to drain: pgx reads a
	// closed query's rows to their end.
	query := s.q("SELECT " + body + ", position FROM features WHERE file = ? AND position >= ? ORDER BY position LIMIT " + fmt.Sprint(rowPage))
	r := &rowStarts{f: f, next0: max(from, math.MinInt64+1), page: func(from int64) (*sql.Rows, error) {
		return tx.QueryContext(ctx, query, geo.IncidentsFile, from)
	}}
	defer r.close()
	if from == headStart {
		r.pending = []byte(f.head)
		r.sep = "\n"
	}
	err := loader.Chunks(r, -1, loader.Options{}, func(off int64, buf []byte) bool {
		start := int64(-2)
		switch {
		case off == 0:
			start = from
		default:
			start = r.startAt(off)
		}
		return fn(start, loader.ChunkSum(buf))
	})
	if err != nil {
		return err
	}
	return r.err
}

// rowPage is how many rows chunkRows reads a query: about 2 MB of
// synthetic incidents.
const rowPage = 2500

// rowStarts lays the incidents file out from a row on, as fileLayout
// writes it, and notes where each row begins.
type rowStarts struct {
	page    func(from int64) (*sql.Rows, error) // the rows from position from on, rowPage at most
	next0   int64                               // the position the next page begins at
	rows    *sql.Rows                           // the page being read, or nil
	inPage  int                                 // rows read of it
	f       snapshotFile
	sep     string // before the next row: "" for the first of a read from a row
	pending []byte
	buf     []byte
	body    sql.RawBytes
	pos     int64
	off     int64 // bytes laid out
	done    bool
	err     error

	mu     sync.Mutex // the reader runs ahead of the chunks
	begins []rowBegin
}

type rowBegin struct{ off, pos int64 }

func (r *rowStarts) close() {
	if r.rows != nil {
		r.rows.Close()
	}
}

// startAt returns the position of the row that begins at offset off, or
// tailStart for the tail, or -2 for neither; and forgets those before.
func (r *rowStarts) startAt(off int64) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.begins) > 0 && r.begins[0].off < off {
		r.begins = r.begins[1:]
	}
	if len(r.begins) > 0 && r.begins[0].off == off {
		return r.begins[0].pos
	}
	return -2
}

func (r *rowStarts) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.pending) > 0 {
			k := copy(p[n:], r.pending)
			r.pending = r.pending[k:]
			n += k
			r.off += int64(k)
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
func (r *rowStarts) next() {
	at := r.off // pending is empty: where the next bytes go
	if r.rows == nil {
		if r.rows, r.err = r.page(r.next0); r.err != nil {
			return
		}
		r.inPage = 0
	}
	if r.rows.Next() {
		if r.err = r.rows.Scan(&r.body, &r.pos); r.err != nil {
			return
		}
		r.inPage++
		r.next0 = r.pos + 1
		r.buf = append(append(r.buf[:0], r.sep...), r.body...)
		r.mu.Lock()
		r.begins = append(r.begins, rowBegin{off: at + int64(len(r.sep)), pos: r.pos})
		r.mu.Unlock()
		r.sep = ",\n"
		r.pending = r.buf
		return
	}
	if r.err = r.rows.Err(); r.err != nil {
		return
	}
	r.rows.Close()
	r.rows = nil
	if r.inPage == rowPage {
		return // the next page
	}
	r.done = true
	r.buf = append(append(r.buf[:0], '\n'), r.f.tail...)
	if r.f.layout.FinalNewline {
		r.buf = append(r.buf, '\n')
	}
	r.mu.Lock()
	r.begins = append(r.begins, rowBegin{off: at + 1, pos: tailStart})
	r.mu.Unlock()
	r.pending = r.buf
}
