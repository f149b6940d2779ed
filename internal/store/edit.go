package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing/fstest"

	"strikemap/internal/geo"
)

// Editing the record: a contributor proposes a change (a revision in state
// proposed, with the before and after of each feature it touches, leaving
// the record alone); an editor approves it (the change is applied and makes
// a dataset version, in one transaction) or rejects it with a reason; an
// editor may also edit directly (propose and approve at once). Every change
// is checked by geo.Load on the whole dataset it would make, so the record
// never holds what the files could not. Nothing is deleted: a retraction
// removes the feature from the current record and keeps it in the history
// as a tombstone (a change whose after is null), with its reason.

// EditableFiles are the files whose features the editing routes change.
func EditableFiles() []string { return slices.Clone(editableFiles) }

// editableFiles is what EditableFiles returns a copy of.
var editableFiles = []string{geo.IncidentsFile, geo.BasesFile}

// Edit is one change to one feature of the record.
type Edit struct {
	// File is geo.IncidentsFile or geo.BasesFile.
	File string `json:"file"`
	// ID is the feature's id.
	ID string `json:"id"`
	// Before is the feature as its author saw it (its JSON, as Feature
	// returns it); null for a new feature. A change whose Before is no
	// longer the record's is refused as a conflict.
	Before json.RawMessage `json:"before"`
	// After is the feature as it should be (a GeoJSON Feature in the
	// file's schema); null retracts it.
	After json.RawMessage `json:"after"`
}

// Kind says what the edit does: "add", "edit" or "retract".
func (e Edit) Kind() string {
	switch {
	case e.Before == nil:
		return "add"
	case e.After == nil:
		return "retract"
	}
	return "edit"
}

// Applied says what an approval or a direct edit made.
type Applied struct {
	Revision int64
	Version  int64  // the new dataset version's number
	Digest   string // the geo.Dataset Version of the record after it
}

// Revision is one change to the record by one author, with its edits
// and, once decided, who decided and why.
type Revision struct {
	ID             int64
	Author         string
	CreatedAt      string
	Reason         string
	State          string // "proposed", "approved" or "rejected"
	DecidedBy      string // the editor's name, or ""
	DecidedAt      string
	DecisionReason string
	Edits          []Edit
}

// The revision states.
const (
	StateProposed = "proposed"
	StateApproved = "approved"
	StateRejected = "rejected"
)

// ConflictError refuses a change made against a feature that has changed
// since: nothing was applied.
type ConflictError struct {
	File, ID string
	Reason   string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("conflict: %s %q %s; nothing was applied: propose the change again against the current record", e.File, e.ID, e.Reason)
}

// EditError refuses an edit that is not a change the record can take
// (a file that is not editable, an id that does not match), before its
// data is looked at.
type EditError struct {
	Field  string
	Reason string
}

func (e *EditError) Error() string { return e.Field + " " + e.Reason }

// Refusals of the decisions.
var (
	ErrNoRevision     = errors.New("there is no proposal with that id")
	ErrDecided        = errors.New("the proposal has been decided already")
	ErrNotAllowed     = errors.New("the user's role does not allow it")
	ErrReasonRequired = errors.New("a reason is required")
)

// author reads u again in tx: the role and the disabled mark are the
// database's, whatever the caller's copy says.
func (s *Store) author(ctx context.Context, tx *sql.Tx, u User, want Role) (User, error) {
	var db User
	var disabled sql.NullString
	err := tx.QueryRowContext(ctx, s.q("SELECT id, name, role, disabled_at FROM users WHERE id = ?"), u.ID).Scan(&db.ID, &db.Name, &db.Role, &disabled)
	if isNoRows(err) {
		return db, fmt.Errorf("user %d: %w", u.ID, ErrNoUser)
	}
	if err != nil {
		return db, err
	}
	if disabled.Valid || !db.Role.AtLeast(want) {
		return db, fmt.Errorf("%s (%s): %w", db.Name, db.Role, ErrNotAllowed)
	}
	return db, nil
}

// normalize checks each edit's shape and makes its JSON compact, as the
// record keeps it.
func normalize(edits []Edit) ([]Edit, error) {
	if len(edits) == 0 {
		return nil, &EditError{Field: "changes", Reason: "is empty: a proposal changes at least one feature"}
	}
	out := make([]Edit, len(edits))
	seen := map[[2]string]bool{}
	for i, e := range edits {
		field := func(name string) string { return fmt.Sprintf("changes[%d].%s", i, name) }
		if !slices.Contains(editableFiles, e.File) {
			return nil, &EditError{Field: field("file"), Reason: fmt.Sprintf("%q is not one of %s", e.File, strings.Join(editableFiles, ", "))}
		}
		k := [2]string{e.File, e.ID}
		if seen[k] {
			return nil, &EditError{Field: field("id"), Reason: fmt.Sprintf("%q is changed twice in one proposal", e.ID)}
		}
		seen[k] = true
		var err error
		if e.Before, err = compact(e.Before); err != nil {
			return nil, &EditError{Field: field("before"), Reason: err.Error()}
		}
		if e.After, err = compact(e.After); err != nil {
			return nil, &EditError{Field: field("after"), Reason: err.Error()}
		}
		if e.Before == nil && e.After == nil {
			return nil, &EditError{Field: field("after"), Reason: "is null and so is before: give the new feature, or the one to retract as before"}
		}
		if e.After != nil {
			id := mustID(e.After)
			var s string
			if json.Unmarshal(id, &s) != nil || s != e.ID {
				return nil, &EditError{Field: field("after"), Reason: fmt.Sprintf("has the id %s, not %q", bytes.TrimSpace(id), e.ID)}
			}
		}
		out[i] = e
	}
	return out, nil
}

// compact returns b as compact JSON, nil for null or nothing.
func compact(b []byte) ([]byte, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		return nil, fmt.Errorf("is not JSON: %v", err)
	}
	return c.Bytes(), nil
}

// newFile is a data file the record does not hold yet.
func newFile(name string) *recordFile {
	return &recordFile{name: name, head: `{"type":"FeatureCollection","features":[`, tail: `]}`,
		layout: fileLayout{Layout: "indent", Indent: "  ", FinalNewline: true}, maxPosition: -1}
}

// planned is an edit checked against the record: where it goes.
type planned struct {
	Edit
	position int64
	file     *recordFile
}

// plan checks edits against the record's files (read in the same
// transaction) and applies them there, in memory: a Before that is not the
// record's is a *ConflictError; a dataset geo.Load refuses is its
// *geo.ValidationError. It returns where each edit goes and the dataset
// the record becomes.
func plan(files []*recordFile, edits []Edit) ([]planned, []*recordFile, *geo.Dataset, error) {
	byName := map[string]*recordFile{}
	for _, f := range files {
		byName[f.name] = f
	}
	var created []*recordFile
	out := make([]planned, len(edits))
	for i, e := range edits {
		f := byName[e.File]
		if f == nil {
			f = newFile(e.File)
			byName[e.File] = f
			files = append(files, f)
			created = append(created, f)
		}
		at := slices.Index(f.ids, e.ID)
		switch {
		case at < 0 && e.Before != nil:
			return nil, nil, nil, &ConflictError{File: e.File, ID: e.ID, Reason: "is no longer in the record (retracted since)"}
		case at >= 0 && e.Before == nil:
			return nil, nil, nil, &ConflictError{File: e.File, ID: e.ID, Reason: "is already in the record: a new feature needs a new id"}
		case at >= 0 && !bytes.Equal(f.bodies[at], e.Before):
			return nil, nil, nil, &ConflictError{File: e.File, ID: e.ID, Reason: "has changed since the change was made"}
		}
		p := planned{Edit: e, file: f}
		switch {
		case at < 0:
			f.maxPosition++
			p.position = f.maxPosition
			f.ids = append(f.ids, e.ID)
			f.bodies = append(f.bodies, e.After)
			f.positions = append(f.positions, p.position)
		case e.After == nil:
			p.position = f.positions[at] // where it was
			f.ids = slices.Delete(f.ids, at, at+1)
			f.bodies = slices.Delete(f.bodies, at, at+1)
			f.positions = slices.Delete(f.positions, at, at+1)
		default:
			p.position = f.positions[at]
			f.bodies[at] = e.After
		}
		out[i] = p
	}
	m := fstest.MapFS{}
	for _, f := range files {
		b, err := f.bytes()
		if err != nil {
			return nil, nil, nil, err
		}
		m[f.name] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile} {
		if _, ok := m[name]; !ok {
			m[name] = &fstest.MapFile{Data: []byte(`{"type":"FeatureCollection","features":[]}`), Mode: 0o444}
		}
	}
	d, err := geo.Load(m)
	if err != nil {
		return nil, nil, nil, err
	}
	return out, created, d, nil
}

// Propose records edits by u (any role) as a proposal, leaving the record
// alone, and returns its id. The edits must apply to the record as it is
// and leave a dataset geo.Load accepts; otherwise the error is a
// *ConflictError, an *EditError or a *geo.ValidationError and nothing is
// recorded. A retraction needs a reason.
func (s *Store) Propose(ctx context.Context, u User, reason string, edits ...Edit) (id int64, err error) {
	edits, err = normalize(edits)
	if err != nil {
		return 0, err
	}
	reason, err = editReason(reason, edits)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer rollback(tx, &err)
	if err = s.lockRecord(ctx, tx); err != nil {
		return 0, err
	}
	if u, err = s.author(ctx, tx, u, Contributor); err != nil {
		return 0, err
	}
	if _, _, err = s.check(ctx, tx, edits); err != nil {
		return 0, err
	}
	if err = tx.QueryRowContext(ctx, s.q("INSERT INTO revisions (author, user_id, created_at, reason, state) VALUES (?, ?, ?, ?, 'proposed') RETURNING id"),
		u.Name, u.ID, timestamp(s.now()), reason).Scan(&id); err != nil {
		return 0, fmt.Errorf("record the proposal: %w", err)
	}
	w := newBatchWriter(s, tx, id)
	for _, e := range edits {
		if err = w.change(ctx, e.File, e.ID, e.Before, e.After); err != nil {
			return 0, err
		}
	}
	if err = w.flush(ctx); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// editReason checks a proposal's reason: a retraction must say why;
// anything else without one is described by what it does.
func editReason(reason string, edits []Edit) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason != "" {
		return reason, nil
	}
	var kinds []string
	for _, e := range edits {
		if e.Kind() == "retract" {
			return "", fmt.Errorf("retracting %s: %w: say why it is retracted", e.ID, ErrReasonRequired)
		}
		kinds = append(kinds, e.Kind()+" "+e.ID)
	}
	return strings.Join(kinds, ", "), nil
}

// Approve applies the proposal id, decided by u (an editor or admin) with
// reason (which may be empty), in one transaction: the record changes, the
// revision is marked approved and a dataset version is made. A proposal
// made against features that have changed since is refused with a
// *ConflictError, one that would leave a dataset geo.Load refuses (say a
// base retracted since) with its *geo.ValidationError; nothing is applied.
func (s *Store) Approve(ctx context.Context, u User, id int64, reason string) (res Applied, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer rollback(tx, &err)
	if err = s.lockRecord(ctx, tx); err != nil {
		return res, err
	}
	if u, err = s.author(ctx, tx, u, Editor); err != nil {
		return res, err
	}
	if err = s.proposed(ctx, tx, id); err != nil {
		return res, err
	}
	edits, err := s.changes(ctx, tx, id, false)
	if err != nil {
		return res, err
	}
	now := timestamp(s.now())
	var chunks *incidentChunks
	if res, chunks, err = s.apply(ctx, tx, id, edits, false, now); err != nil {
		return res, err
	}
	if _, err = tx.ExecContext(ctx, s.q("UPDATE revisions SET state = 'approved', decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?"),
		u.ID, now, strings.TrimSpace(reason), id); err != nil {
		return res, err
	}
	if err = tx.Commit(); err == nil {
		s.chunks.set(chunks)
	}
	return res, err
}

// Reject marks the proposal id rejected by u (an editor or admin), with a
// reason, which is required. The record does not change.
func (s *Store) Reject(ctx context.Context, u User, id int64, reason string) (err error) {
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("rejecting proposal %d: %w: say why it is rejected", id, ErrReasonRequired)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer rollback(tx, &err)
	if err = s.lockRecord(ctx, tx); err != nil {
		return err
	}
	if u, err = s.author(ctx, tx, u, Editor); err != nil {
		return err
	}
	if err = s.proposed(ctx, tx, id); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, s.q("UPDATE revisions SET state = 'rejected', decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?"),
		u.ID, timestamp(s.now()), strings.TrimSpace(reason), id); err != nil {
		return err
	}
	return tx.Commit()
}

// Edit applies edits by u (an editor or admin) at once: a revision
// proposed and approved by its author, with its version, in one
// transaction, refused as Propose and Approve refuse.
func (s *Store) Edit(ctx context.Context, u User, reason string, edits ...Edit) (res Applied, err error) {
	edits, err = normalize(edits)
	if err != nil {
		return res, err
	}
	reason, err = editReason(reason, edits)
	if err != nil {
		return res, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer rollback(tx, &err)
	if err = s.lockRecord(ctx, tx); err != nil {
		return res, err
	}
	if u, err = s.author(ctx, tx, u, Editor); err != nil {
		return res, err
	}
	now := timestamp(s.now())
	var id int64
	if err = tx.QueryRowContext(ctx, s.q("INSERT INTO revisions (author, user_id, created_at, reason, state, decided_by, decided_at, decision_reason) VALUES (?, ?, ?, ?, 'approved', ?, ?, '') RETURNING id"),
		u.Name, u.ID, now, reason, u.ID, now).Scan(&id); err != nil {
		return res, fmt.Errorf("record the revision: %w", err)
	}
	var chunks *incidentChunks
	if res, chunks, err = s.apply(ctx, tx, id, edits, true, now); err != nil {
		return res, err
	}
	if err = tx.Commit(); err == nil {
		s.chunks.set(chunks)
	}
	return res, err
}

// proposed checks that revision id exists and awaits a decision.
func (s *Store) proposed(ctx context.Context, tx *sql.Tx, id int64) error {
	var state string
	err := tx.QueryRowContext(ctx, s.q("SELECT state FROM revisions WHERE id = ?"), id).Scan(&state)
	switch {
	case isNoRows(err):
		return fmt.Errorf("proposal %d: %w", id, ErrNoRevision)
	case err != nil:
		return err
	case state != StateProposed:
		return fmt.Errorf("proposal %d is %s: %w", id, state, ErrDecided)
	}
	return nil
}

// changes reads a revision's changes of features, and of files' own rows
// (ID "") when fileRows is set: the one reader of the changes table's rows
// for Changes, Approve and Revisions.
func (s *Store) changes(ctx context.Context, q queryer, id int64, fileRows bool) ([]Edit, error) {
	query := "SELECT file, feature_id, before, after FROM changes WHERE revision_id = ? ORDER BY file, feature_id"
	if !fileRows {
		query = "SELECT file, feature_id, before, after FROM changes WHERE revision_id = ? AND feature_id <> '' ORDER BY file, feature_id"
	}
	rows, err := q.QueryContext(ctx, s.q(query), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Edit
	for rows.Next() {
		var e Edit
		var before, after sql.NullString
		if err := rows.Scan(&e.File, &e.ID, &before, &after); err != nil {
			return nil, err
		}
		if before.Valid {
			e.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			e.After = json.RawMessage(after.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// apply writes edits to the record as revision id, checked as plan checks
// them, and makes the dataset version; record says whether the edits'
// changes are to be recorded too (they are already when a proposal is
// approved).
//
// It returns the chunks of the new version's incidents file, for the
// caller to keep (Store.chunks) once the transaction is committed.
func (s *Store) apply(ctx context.Context, tx *sql.Tx, id int64, edits []Edit, record bool, now string) (res Applied, chunks *incidentChunks, err error) {
	plans, created, err := s.check(ctx, tx, edits)
	if err != nil {
		return res, nil, err
	}
	w := newBatchWriter(s, tx, id)
	w.quiet = !record
	for _, f := range created {
		if _, err := w.putFile(ctx, f.name, &splitFile{head: f.head, tail: f.tail, layout: f.layout}); err != nil {
			return res, nil, err
		}
	}
	for _, p := range plans {
		if p.After == nil {
			err = w.retract(ctx, p.File, p.ID, p.Before)
		} else {
			var rows []feature
			if rows, err = featureRows(p.File, [][]byte{p.After}); err != nil {
				return res, nil, err
			}
			if p.Before == nil {
				err = w.insert(ctx, p.File, p.position, rows[0], nil)
			} else {
				err = w.update(ctx, p.File, p.position, p.position, rows[0], p.Before) // in place: no new position
			}
		}
		if err != nil {
			return res, nil, err
		}
	}
	if err = w.flush(ctx); err != nil {
		return res, nil, err
	}
	var changed []int64 // where incidents changed, for the digest
	for _, p := range plans {
		if p.File == geo.IncidentsFile {
			changed = append(changed, p.position)
		}
	}
	prev, _, err := s.latest(ctx, tx)
	if err != nil {
		return res, nil, err
	}
	digest, chunks, err := s.digestFrom(ctx, tx, prev.Number, changed)
	if err != nil {
		return res, nil, err
	}
	res = Applied{Revision: id, Digest: digest}
	if res.Version, err = s.insertVersion(ctx, tx, id, now, digest); err != nil {
		return res, nil, err
	}
	if chunks != nil {
		chunks.version = res.Version
	}
	return res, chunks, nil
}

// Feature returns a feature of the record as it is now (its JSON, which
// an edit gives as its Before), or ok false when the record has none.
func (s *Store) Feature(ctx context.Context, file, id string) (body []byte, ok bool, err error) {
	var b string
	err = s.db.QueryRowContext(ctx, s.q("SELECT body FROM features WHERE file = ? AND id = ?"), file, id).Scan(&b)
	if isNoRows(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return []byte(b), true, nil
}

// Revisions lists the revisions in state (all when state is ""), oldest
// first, with their edits. The review queue is Revisions(ctx,
// StateProposed).
func (s *Store) Revisions(ctx context.Context, state string) ([]Revision, error) {
	return s.revisions(ctx, "WHERE (? = '' OR r.state = ?) ORDER BY r.id", state, state)
}

// RevisionByID returns one revision with its edits, or ErrNoRevision.
func (s *Store) RevisionByID(ctx context.Context, id int64) (Revision, error) {
	rs, err := s.revisions(ctx, "WHERE r.id = ?", id)
	if err != nil {
		return Revision{}, err
	}
	if len(rs) == 0 {
		return Revision{}, fmt.Errorf("proposal %d: %w", id, ErrNoRevision)
	}
	return rs[0], nil
}

func (s *Store) revisions(ctx context.Context, where string, args ...any) ([]Revision, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.id, r.author, r.created_at, r.reason, r.state, COALESCE(u.name, ''), COALESCE(r.decided_at, ''), COALESCE(r.decision_reason, '')
FROM revisions r LEFT JOIN users u ON u.id = r.decided_by `+where), args...)
	if err != nil {
		return nil, err
	}
	var out []Revision
	for rows.Next() {
		var r Revision
		if err := rows.Scan(&r.ID, &r.Author, &r.CreatedAt, &r.Reason, &r.State, &r.DecidedBy, &r.DecidedAt, &r.DecisionReason); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Edits, err = s.changes(ctx, s.db, out[i].ID, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}
