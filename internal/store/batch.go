package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
)

// batchRows is how many rows one INSERT carries: few round trips to
// PostgreSQL, and 8 columns x 500 rows stays below SQLite's limit of
// 32766 parameters.
const batchRows = 500

// batchWriter writes one revision's rows: new features and changes go in
// multi-row INSERTs, the rarer updates and retractions one by one.
type batchWriter struct {
	s         *Store
	tx        *sql.Tx
	revision  int64
	features  [][]any
	changes   [][]any
	positions [][]any
	// quiet leaves the features' changes unrecorded: approving a
	// proposal applies changes recorded when it was made.
	quiet bool
}

func newBatchWriter(s *Store, tx *sql.Tx, revision int64) *batchWriter {
	return &batchWriter{s: s, tx: tx, revision: revision}
}

func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// insert adds a feature and its change.
func (w *batchWriter) insert(ctx context.Context, file string, pos int64, f feature, before []byte) error {
	w.features = append(w.features, []any{file, f.id, pos, string(f.body), f.date, f.dateEnd, f.base, w.revision})
	w.place(file, f.id, pos)
	return w.change(ctx, file, f.id, before, f.body)
}

// place records that the revision puts a feature at pos in its file, for
// the files of old versions (FilesAt).
func (w *batchWriter) place(file, id string, pos int64) {
	w.positions = append(w.positions, []any{w.revision, file, id, pos})
}

// change records a feature's before and after.
func (w *batchWriter) change(ctx context.Context, file, id string, before, after []byte) error {
	if !w.quiet || id == "" {
		w.changes = append(w.changes, []any{w.revision, file, id, nullBytes(before), nullBytes(after)})
	}
	if len(w.changes) >= batchRows || len(w.features) >= batchRows || len(w.positions) >= batchRows {
		return w.flush(ctx)
	}
	return nil
}

// update replaces a feature's body.
func (w *batchWriter) update(ctx context.Context, file string, pos, oldPos int64, f feature, before []byte) error {
	if pos != oldPos {
		w.place(file, f.id, pos)
	}
	if _, err := w.tx.ExecContext(ctx, w.s.q("UPDATE features SET body = ?, position = ?, date = ?, date_end = ?, base = ?, revision_id = ? WHERE file = ? AND id = ?"),
		string(f.body), pos, f.date, f.dateEnd, f.base, w.revision, file, f.id); err != nil {
		return err
	}
	return w.change(ctx, file, f.id, before, f.body)
}

// move changes only a feature's place in its file.
func (w *batchWriter) move(ctx context.Context, file, id string, pos int64) error {
	if _, err := w.tx.ExecContext(ctx, w.s.q("UPDATE features SET position = ? WHERE file = ? AND id = ?"), pos, file, id); err != nil {
		return err
	}
	w.place(file, id, pos)
	if len(w.positions) >= batchRows {
		return w.flush(ctx)
	}
	return nil
}

// retract removes a feature from the current record; its history keeps
// it, with a NULL after (a tombstone).
func (w *batchWriter) retract(ctx context.Context, file, id string, before []byte) error {
	if _, err := w.tx.ExecContext(ctx, w.s.q("DELETE FROM features WHERE file = ? AND id = ?"), file, id); err != nil {
		return err
	}
	return w.change(ctx, file, id, before, nil)
}

// fileRow is a files row as a change records it.
type fileRow struct {
	Head string `json:"head"`
	Tail string `json:"tail"`
	fileLayout
}

// putFile writes a file's row when it is new or differs, with a change
// (feature_id ""), and says whether it did.
func (w *batchWriter) putFile(ctx context.Context, name string, sf *splitFile) (bool, error) {
	now := fileRow{Head: sf.head, Tail: sf.tail, fileLayout: sf.layout}
	var old fileRow
	var verbatim sql.NullString
	var finalNL int
	err := w.tx.QueryRowContext(ctx, w.s.q("SELECT head, tail, layout, indent, final_newline, verbatim FROM files WHERE name = ?"), name).
		Scan(&old.Head, &old.Tail, &old.Layout, &old.Indent, &finalNL, &verbatim)
	old.FinalNewline, old.Verbatim = finalNL != 0, verbatim.String
	var before []byte
	switch {
	case isNoRows(err):
		if err := w.flush(ctx); err != nil {
			return false, err
		}
		_, err = w.tx.ExecContext(ctx, w.s.q("INSERT INTO files (name, head, tail, layout, indent, final_newline, verbatim) VALUES (?, ?, ?, ?, ?, ?, ?)"),
			name, now.Head, now.Tail, now.Layout, now.Indent, boolInt(now.FinalNewline), nullString(nilIfEmpty(now.Verbatim)))
	case err != nil:
		return false, err
	case old == now:
		return false, nil
	default:
		before, _ = json.Marshal(old)
		_, err = w.tx.ExecContext(ctx, w.s.q("UPDATE files SET head = ?, tail = ?, layout = ?, indent = ?, final_newline = ?, verbatim = ? WHERE name = ?"),
			now.Head, now.Tail, now.Layout, now.Indent, boolInt(now.FinalNewline), nullString(nilIfEmpty(now.Verbatim)), name)
	}
	if err != nil {
		return false, err
	}
	after, _ := json.Marshal(now)
	return true, w.change(ctx, name, "", before, after)
}

// dropFile removes a file the record no longer holds (its rows are gone).
func (w *batchWriter) dropFile(ctx context.Context, name string) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	var old fileRow
	var verbatim sql.NullString
	var finalNL int
	if err := w.tx.QueryRowContext(ctx, w.s.q("SELECT head, tail, layout, indent, final_newline, verbatim FROM files WHERE name = ?"), name).
		Scan(&old.Head, &old.Tail, &old.Layout, &old.Indent, &finalNL, &verbatim); err != nil {
		return err
	}
	old.FinalNewline, old.Verbatim = finalNL != 0, verbatim.String
	if _, err := w.tx.ExecContext(ctx, w.s.q("DELETE FROM files WHERE name = ?"), name); err != nil {
		return err
	}
	before, _ := json.Marshal(old)
	return w.change(ctx, name, "", before, nil)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// flush writes the pending rows.
func (w *batchWriter) flush(ctx context.Context) error {
	if err := w.insertRows(ctx, "features (file, id, position, body, date, date_end, base, revision_id)", w.features); err != nil {
		return err
	}
	w.features = w.features[:0]
	if err := w.insertRows(ctx, "changes (revision_id, file, feature_id, before, after)", w.changes); err != nil {
		return err
	}
	w.changes = w.changes[:0]
	if err := w.insertRows(ctx, "positions (revision_id, file, feature_id, position)", w.positions); err != nil {
		return err
	}
	w.positions = w.positions[:0]
	return nil
}

// insertRows inserts rows into table (with its column list) in one
// statement.
func (w *batchWriter) insertRows(ctx context.Context, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	b.WriteString(" VALUES ")
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
	args := make([]any, 0, len(rows)*len(rows[0]))
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
		args = append(args, r...)
	}
	_, err := w.tx.ExecContext(ctx, w.s.q(b.String()), args...)
	return err
}
