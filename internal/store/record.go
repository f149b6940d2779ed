package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"strikemap/internal/geo"
)

// Files are the dataset files the record holds, in the order they are
// imported and exported.
func Files() []string { return slices.Clone(recordFiles) }

// recordFiles is what Files returns a copy of.
var recordFiles = []string{geo.BasesFile, geo.IncidentsFile, geo.OfficialCountsFile, geo.StrikesFile}

// ImportAuthor is the author of revisions made by dataset db import.
const ImportAuthor = "import"

// ImportResult says what an import changed.
type ImportResult struct {
	Added, Updated, Retracted, Unchanged int
	Revision                             int64 // 0 when nothing changed
	Version                              int64 // the dataset version the import made; 0 when nothing changed
	Digest                               string
}

// feature is one row of a file.
type feature struct {
	id                  string
	body                []byte
	date, dateEnd, base sql.NullString
}

// Import replaces the record with the dataset in fsys, all or nothing: the
// dataset is validated by geo.Load first, then every feature added,
// changed or gone is written in one transaction as one approved revision
// by author (ImportAuthor for dataset db import), with its before and
// after, and a new dataset version. Importing what the record already
// holds changes nothing and makes no version.
//
// The memory is that of one load, not of the files: the loaded dataset is
// dropped once it has given its digest, and a file laid out one feature a
// line (as dataset import and synth write incidents.geojson) is read again
// line by line, each row written as it is read, in batches; the record's
// rows are compared by a hash of each, not held. Other files (a few MB) are
// read whole.
func (s *Store) Import(ctx context.Context, fsys fs.FS, author, reason string) (res ImportResult, err error) {
	d, err := geo.Load(fsys)
	if err != nil {
		return res, err
	}
	digest := d.Version
	d = nil
	res, err = s.importFiles(ctx, fsys, author, reason, digest, true)
	if errors.Is(err, errNotLines) {
		// The file looked one feature a line and was not, after all:
		// nothing was written; read it whole.
		res, err = s.importFiles(ctx, fsys, author, reason, digest, false)
	}
	return res, err
}

// importFiles is Import once fsys is known valid; stream says whether a
// file laid out one feature a line may be streamed.
func (s *Store) importFiles(ctx context.Context, fsys fs.FS, author, reason, digest string, stream bool) (res ImportResult, err error) {
	res.Digest = digest
	var files []*importFile
	defer func() {
		for _, f := range files {
			f.close()
		}
	}()
	for _, name := range recordFiles {
		f, err := openImportFile(fsys, name, stream)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return res, err
		}
		files = append(files, f)
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer rollback(tx, &err)
	if err = s.lockRecord(ctx, tx); err != nil {
		return res, err
	}
	now := timestamp(s.now())
	if reason == "" {
		reason = "imported a dataset directory"
	}
	if err = tx.QueryRowContext(ctx, s.q("INSERT INTO revisions (author, created_at, reason, state) VALUES (?, ?, ?, 'approved') RETURNING id"),
		author, now, reason).Scan(&res.Revision); err != nil {
		return res, fmt.Errorf("record the revision: %w", err)
	}
	w := newBatchWriter(s, tx, res.Revision)
	changed := false
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.name] = true
		fileChanged, err := w.putFile(ctx, f.name, &f.splitFile)
		if err != nil {
			return res, err
		}
		changed = changed || fileChanged
		old, err := s.currentSums(ctx, tx, f.name)
		if err != nil {
			return res, err
		}
		err = f.each(func(i int, r feature) error {
			prev, ok := old[r.id]
			delete(old, r.id)
			switch {
			case !ok:
				res.Added++
				return w.insert(ctx, f.name, int64(i), r, nil)
			case prev.sum != sha256.Sum256(r.body):
				res.Updated++
				before, err := s.body(ctx, tx, f.name, r.id)
				if err != nil {
					return err
				}
				return w.update(ctx, f.name, int64(i), prev.position, r, before)
			case prev.position != int64(i):
				// Only its place changed: the file's bytes change, so
				// the import makes a version, with no change of a
				// feature to record.
				res.Unchanged++
				changed = true
				return w.move(ctx, f.name, r.id, int64(i))
			}
			res.Unchanged++
			return nil
		})
		if err != nil {
			return res, err
		}
		if err = s.retractAll(ctx, tx, w, f.name, old, &res); err != nil {
			return res, err
		}
	}
	// A file the directory no longer has: every row of it is retracted.
	rows, err := tx.QueryContext(ctx, "SELECT name FROM files")
	if err != nil {
		return res, err
	}
	var gone []string
	for rows.Next() {
		var name string
		if err = rows.Scan(&name); err != nil {
			rows.Close()
			return res, err
		}
		if !seen[name] {
			gone = append(gone, name)
		}
	}
	rows.Close()
	for _, name := range gone {
		old, err := s.currentSums(ctx, tx, name)
		if err != nil {
			return res, err
		}
		if err = s.retractAll(ctx, tx, w, name, old, &res); err != nil {
			return res, err
		}
		if err = w.dropFile(ctx, name); err != nil {
			return res, err
		}
		changed = true
	}
	if err = w.flush(ctx); err != nil {
		return res, err
	}
	if res.Added+res.Updated+res.Retracted == 0 && !changed {
		err = tx.Rollback()
		return ImportResult{Unchanged: res.Unchanged, Digest: res.Digest}, err
	}
	if res.Version, err = s.insertVersion(ctx, tx, res.Revision, now, res.Digest); err != nil {
		return res, err
	}
	if err = tx.Commit(); err != nil {
		return res, fmt.Errorf("commit the import: %w", err)
	}
	return res, nil
}

// retractAll retracts the rows of file that old still holds, in id order
// (the order the changes are written in does not matter, but a fixed one
// makes two runs alike).
func (s *Store) retractAll(ctx context.Context, tx *sql.Tx, w *batchWriter, file string, old map[string]rowSum, res *ImportResult) error {
	ids := slices.Sorted(maps.Keys(old))
	for _, id := range ids {
		before, err := s.body(ctx, tx, file, id)
		if err != nil {
			return err
		}
		res.Retracted++
		if err := w.retract(ctx, file, id, before); err != nil {
			return err
		}
	}
	return nil
}

// insertVersion records the dataset version an approved revision makes,
// numbered after the last: the one way a version is made (Import, Approve
// and Edit). The caller holds the record's lock (lockRecord), so two
// writers cannot take the same number.
func (s *Store) insertVersion(ctx context.Context, tx *sql.Tx, revision int64, now, digest string) (number int64, err error) {
	err = tx.QueryRowContext(ctx, s.q("INSERT INTO versions (number, revision_id, created_at, digest) SELECT COALESCE(MAX(number), 0) + 1, ?, ?, ? FROM versions RETURNING number"),
		revision, now, digest).Scan(&number)
	if err != nil {
		return 0, fmt.Errorf("record the version: %w", err)
	}
	return number, nil
}

// featureRows reads the id and the indexed columns of each element. An
// element without an id (an official count) is keyed by its place.
func featureRows(file string, elems [][]byte) ([]feature, error) {
	rows := make([]feature, len(elems))
	seen := make(map[string]int, len(elems))
	for i, e := range elems {
		r, err := featureRow(file, i, e)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[r.id]; dup {
			return nil, fmt.Errorf("%s: elements %d and %d have the same id %q: the record keys features by id", file, j, i, r.id)
		}
		seen[r.id] = i
		rows[i] = r
	}
	return rows, nil
}

// featureRow reads the id and the indexed columns of element i of file.
func featureRow(file string, i int, e []byte) (feature, error) {
	var f struct {
		ID         any `json:"id"`
		Properties struct {
			Date    *string `json:"date"`
			DateEnd *string `json:"date_end"`
			Base    *string `json:"base"`
		} `json:"properties"`
		Date *string `json:"date"` // an official count's
	}
	if err := json.Unmarshal(e, &f); err != nil {
		return feature{}, fmt.Errorf("%s: element %d: %w", file, i, err)
	}
	r := feature{body: e}
	switch id := f.ID.(type) {
	case string:
		r.id = id
	case float64:
		r.id = string(bytes.TrimSpace(mustID(e)))
	case nil:
		r.id = fmt.Sprintf("#%d", i+1)
	}
	r.date = nullString(f.Properties.Date)
	if f.Date != nil {
		r.date = nullString(f.Date)
	}
	r.dateEnd, r.base = nullString(f.Properties.DateEnd), nullString(f.Properties.Base)
	return r, nil
}

// mustID returns the raw JSON of an element's id.
func mustID(e []byte) []byte {
	var f struct {
		ID json.RawMessage `json:"id"`
	}
	json.Unmarshal(e, &f)
	return f.ID
}

func nullString(s *string) sql.NullString {
	if s == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: *s, Valid: true}
}

// rowSum is a row of the record as an import compares it: a hash of its
// body, not the body, so that a million rows take a hundred MB, not a GB.
type rowSum struct {
	sum      [sha256.Size]byte
	position int64
}

// currentSums returns the file's rows by id.
func (s *Store) currentSums(ctx context.Context, tx *sql.Tx, file string) (map[string]rowSum, error) {
	rows, err := tx.QueryContext(ctx, s.q("SELECT id, body, position FROM features WHERE file = ?"), file)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]rowSum{}
	var body sql.RawBytes
	for rows.Next() {
		var id string
		var c rowSum
		if err := rows.Scan(&id, &body, &c.position); err != nil {
			return nil, err
		}
		c.sum = sha256.Sum256(body)
		out[id] = c
	}
	return out, rows.Err()
}

// body returns a row's body.
func (s *Store) body(ctx context.Context, tx *sql.Tx, file, id string) ([]byte, error) {
	var b string
	if err := tx.QueryRowContext(ctx, s.q("SELECT body FROM features WHERE file = ? AND id = ?"), file, id).Scan(&b); err != nil {
		return nil, fmt.Errorf("%s: read %q: %w", file, id, err)
	}
	return []byte(b), nil
}

// Empty says whether the record holds no dataset yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM files").Scan(&n)
	return n == 0, err
}

// DatasetFiles returns the record as the files of a dataset directory,
// laid out as they were imported, read in one transaction so that they
// are of one version. An empty record gives no files.
func (s *Store) DatasetFiles(ctx context.Context) (map[string][]byte, error) {
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return s.datasetFiles(ctx, tx)
}

// datasetFiles is DatasetFiles in tx.
func (s *Store) datasetFiles(ctx context.Context, tx *sql.Tx) (map[string][]byte, error) {
	files, err := s.readFiles(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := f.bytes()
		if err != nil {
			return nil, err
		}
		out[f.name] = b
	}
	return out, nil
}

// recordFile is one file of the record as rows: what surrounds its array,
// its layout, and its elements in order.
type recordFile struct {
	name, head, tail string
	layout           fileLayout
	ids              []string
	bodies           [][]byte
	positions        []int64
	maxPosition      int64 // the largest position of its rows, -1 when it has none
}

// bytes lays the file out as export writes it.
func (f *recordFile) bytes() ([]byte, error) {
	b, err := f.layout.write(f.head, f.tail, f.bodies, nil)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", f.name, err)
	}
	return b, nil
}

// readFiles reads every file of the record, with its rows in order, in tx.
func (s *Store) readFiles(ctx context.Context, tx *sql.Tx) ([]*recordFile, error) {
	files, err := s.readFileRows(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := s.readAllRows(ctx, tx, f); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// beginRead begins a read-only transaction that reads several tables as
// one snapshot: PostgreSQL's repeatable read; on SQLite a deferred
// transaction (with write-ahead logging, a snapshot taken at its first
// read), which holds no lock a writer waits for. Not read-only, SQLite's
// transactions begin as the DSN's _txlock says, IMMEDIATE: every read
// took the write lock for as long as it lasted (a whole record's snapshot,
// minutes at a million incidents), and a writer gave up after the busy
// timeout with "database is locked".
func (s *Store) beginRead(ctx context.Context) (*sql.Tx, error) {
	iso := sql.LevelDefault
	if s.dialect == Postgres {
		iso = sql.LevelRepeatableRead
	}
	return s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: iso})
}

// Version is a dataset version: what an approved revision made.
type Version struct {
	Number     int64
	RevisionID int64
	CreatedAt  string
	Author     string
	Reason     string
	Digest     string // the geo.Dataset's Version of the record at this version
}

// Versions lists the dataset versions, oldest first.
func (s *Store) Versions(ctx context.Context) ([]Version, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT v.number, v.revision_id, v.created_at, r.author, r.reason, v.digest
FROM versions v JOIN revisions r ON r.id = v.revision_id ORDER BY v.number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		if err := rows.Scan(&v.Number, &v.RevisionID, &v.CreatedAt, &v.Author, &v.Reason, &v.Digest); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Changes lists what a revision changed: the before and after of each
// feature, and of each file's own row (ID "": the JSON around the array and
// the layout), in file and id order.
func (s *Store) Changes(ctx context.Context, revision int64) ([]Edit, error) {
	return s.changes(ctx, s.db, revision, true)
}
