package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"strikemap/internal/geo"
)

// Checking a change at the cost of the change, not of the record.
//
// plan checks edits by geo.Load on the dataset they make. Given the whole
// record, that is a million incidents read, laid out and loaded for one
// changed (two minutes and 2.8 GB at 1M on PostgreSQL). But what Load
// checks of one incident depends only on the incident itself, the bases,
// and the ids of the others; of a base, on the bases and the incidents
// that name it; and the strikes name incidents. So check gives plan the
// record with incidents.geojson cut down to the incidents that can be
// refused by these edits:
//
//   - the incidents edited (their rows, for the conflict checks);
//   - the incidents naming a base that is edited or retracted (read by
//     the features' base column), which a moved or retracted base may
//     break;
//   - the incidents a strike answers (in_response_to), so that the
//     strikes are checked against every incident they name;
//
// and every other file whole (bases, official counts, strikes: a few KB).
// Ids are kept unique by the conflict checks (an added id the record
// holds is a ConflictError, an id twice in one proposal an EditError), so
// the incidents left out cannot make a duplicate. Load's problems then
// name the features of the cut-down file: check moves each to its index
// in the whole file (counted in the features' position order). The only
// problems whose text depends on the whole file's bytes (a syntax error's
// line and column) send check to plan on the whole record, so that the
// error is the one it always was (TestCheckMatchesPlan holds check to plan
// as its oracle, on both engines).

// check is plan on the record in tx, reading only what edits can touch
// (above). It returns where each edit goes and the files the edits make;
// the dataset plan returns is that of the cut-down record, and is not
// returned.
func (s *Store) check(ctx context.Context, tx *sql.Tx, edits []Edit) ([]planned, []*recordFile, error) {
	files, err := s.readFileRows(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	var incidents *recordFile
	for _, f := range files {
		if f.name == geo.IncidentsFile {
			incidents = f
			continue
		}
		if err := s.readAllRows(ctx, tx, f); err != nil {
			return nil, nil, err
		}
	}
	// where[id] is the position of each incident of the cut-down file,
	// in the record as it is.
	where := map[string]int64{}
	if incidents != nil {
		if err := s.readSomeIncidents(ctx, tx, incidents, files, edits); err != nil {
			return nil, nil, err
		}
		for i, id := range incidents.ids {
			where[id] = incidents.positions[i]
		}
	}
	var recordMax int64 = -1 // the largest position in the record's incidents
	if incidents != nil {
		recordMax = incidents.maxPosition
	}
	plans, created, _, err := plan(files, edits)
	var ve *geo.ValidationError
	if !errors.As(err, &ve) {
		return plans, created, err
	}
	if incidents == nil {
		return nil, nil, err // there was no file to cut down
	}
	// The cut-down file as plan made it: incidents.positions[i] is the
	// position of its feature i, added ones included.
	for _, p := range ve.Problems {
		if p.File == geo.IncidentsFile && p.Line > 0 {
			// A syntax error, placed by line and column in the file as
			// laid out: only the whole file says where.
			if files, err = s.readFiles(ctx, tx); err != nil {
				return nil, nil, err
			}
			plans, created, _, err = plan(files, edits)
			return plans, created, err
		}
	}
	retracted := []int64{} // positions the edits retract
	for _, e := range edits {
		if e.File == geo.IncidentsFile && e.After == nil {
			if at, ok := where[e.ID]; ok {
				retracted = append(retracted, at)
			}
		}
	}
	var rowsBefore int64 // the record's incidents, for the added ones
	counted := false
	for i := range ve.Problems {
		p := &ve.Problems[i]
		if p.File != geo.IncidentsFile || p.Index < 0 {
			continue
		}
		if p.Index >= len(incidents.positions) {
			return nil, nil, fmt.Errorf("check: problem at feature %d of %d: %w", p.Index, len(incidents.positions), err)
		}
		at := incidents.positions[p.Index]
		// Its index in the whole file: the record's features before it,
		// less those the edits retract, plus those they add before it
		// (added ones come last, in the order of their positions).
		var n int64
		if at <= recordMax {
			if err := tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM features WHERE file = ? AND position < ?"), geo.IncidentsFile, at).Scan(&n); err != nil {
				return nil, nil, err
			}
		} else {
			if !counted {
				if err := tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM features WHERE file = ?"), geo.IncidentsFile).Scan(&rowsBefore); err != nil {
					return nil, nil, err
				}
				counted = true
			}
			n = rowsBefore
			for _, q := range incidents.positions {
				if q > recordMax && q < at {
					n++
				}
			}
		}
		for _, r := range retracted {
			if r < at {
				n--
			}
		}
		p.Index = int(n)
	}
	return nil, nil, err
}

// readFileRows reads the files table: each file of the record without
// its rows.
func (s *Store) readFileRows(ctx context.Context, tx *sql.Tx) ([]*recordFile, error) {
	rows, err := tx.QueryContext(ctx, "SELECT name, head, tail, layout, indent, final_newline, verbatim FROM files ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var files []*recordFile
	for rows.Next() {
		f := &recordFile{maxPosition: -1}
		var verbatim sql.NullString
		var finalNL int
		if err := rows.Scan(&f.name, &f.head, &f.tail, &f.layout.Layout, &f.layout.Indent, &finalNL, &verbatim); err != nil {
			return nil, err
		}
		f.layout.FinalNewline, f.layout.Verbatim = finalNL != 0, verbatim.String
		files = append(files, f)
	}
	return files, rows.Err()
}

// readAllRows reads every row of f, in order.
func (s *Store) readAllRows(ctx context.Context, tx *sql.Tx, f *recordFile) error {
	return s.readRows(ctx, tx, f, "SELECT id, body, position FROM features WHERE file = ? ORDER BY position", f.name)
}

// readRows appends to f the rows query returns (id, body, position).
func (s *Store) readRows(ctx context.Context, tx *sql.Tx, f *recordFile, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var body []byte
		var pos int64
		if err := rows.Scan(&id, &body, &pos); err != nil {
			return err
		}
		f.ids = append(f.ids, id)
		f.bodies = append(f.bodies, body)
		f.positions = append(f.positions, pos)
		f.maxPosition = max(f.maxPosition, pos)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", f.name, err)
	}
	return nil
}

// readSomeIncidents fills incidents with the rows check needs (above), in
// position order, and its maxPosition with the whole file's, so that an
// added incident goes where plan on the whole record puts it.
func (s *Store) readSomeIncidents(ctx context.Context, tx *sql.Tx, incidents *recordFile, files []*recordFile, edits []Edit) error {
	var maxPos sql.NullInt64
	if err := tx.QueryRowContext(ctx, s.q("SELECT MAX(position) FROM features WHERE file = ?"), geo.IncidentsFile).Scan(&maxPos); err != nil {
		return err
	}
	var ids []string
	for _, e := range edits {
		switch {
		case e.File == geo.IncidentsFile:
			ids = append(ids, e.ID)
		case e.File == geo.BasesFile && e.Before != nil:
			// The incidents that name a base changed or retracted.
			if err := s.readRows(ctx, tx, incidents, "SELECT id, body, position FROM features WHERE file = ? AND base = ?", geo.IncidentsFile, e.ID); err != nil {
				return err
			}
		}
	}
	for _, f := range files {
		if f.name == geo.StrikesFile {
			ids = append(ids, answered(f.bodies)...)
		}
	}
	for _, id := range ids {
		if slices.Contains(incidents.ids, id) {
			continue
		}
		if err := s.readRows(ctx, tx, incidents, "SELECT id, body, position FROM features WHERE file = ? AND id = ?", geo.IncidentsFile, id); err != nil {
			return err
		}
	}
	// Sorted by position, without the same row twice.
	order := make([]int, len(incidents.ids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(incidents.positions[a], incidents.positions[b]) })
	var ids2 []string
	var bodies [][]byte
	var positions []int64
	for k, i := range order {
		if k > 0 && incidents.positions[i] == positions[len(positions)-1] {
			continue
		}
		ids2 = append(ids2, incidents.ids[i])
		bodies = append(bodies, incidents.bodies[i])
		positions = append(positions, incidents.positions[i])
	}
	incidents.ids, incidents.bodies, incidents.positions = ids2, bodies, positions
	incidents.maxPosition = -1
	if maxPos.Valid {
		incidents.maxPosition = maxPos.Int64
	}
	return nil
}

// answered returns the incident ids the strikes (features of
// strikes.geojson) answer: each one's properties.in_response_to. A strike
// that does not parse names none (the record's strikes were checked when
// they were written; geo.Load reports any problem with them anyway).
func answered(strikes [][]byte) []string {
	var ids []string
	for _, b := range strikes {
		var f struct {
			Properties struct {
				InResponseTo []json.RawMessage `json:"in_response_to"`
			} `json:"properties"`
		}
		if json.Unmarshal(b, &f) != nil {
			continue
		}
		for _, raw := range f.Properties.InResponseTo {
			var id string
			if json.Unmarshal(raw, &id) == nil {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
