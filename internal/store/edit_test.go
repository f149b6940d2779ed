package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/geo"
)

// editing opens a database holding the shipped dataset, with a contributor
// and an editor.
func editing(t *testing.T, url string) (s *Store, contributor, editor User) {
	t.Helper()
	ctx := context.Background()
	s = open(t, url)
	if _, err := s.Import(ctx, data.FS, ImportAuthor, "the shipped dataset"); err != nil {
		t.Fatal(err)
	}
	var err error
	if contributor, err = s.AddUser(ctx, "carla", Contributor, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if editor, err = s.AddUser(ctx, "eddie", Editor, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	return s, contributor, editor
}

// newIncident is a valid incident the shipped dataset does not hold.
func newIncident() geo.Incident {
	return geo.Incident{
		ID: "2024-02-10-tower-22-test", Point: orb.Point{38.7, 33.3}, Date: mustDate("2024-02-10"), DateEnd: mustDate("2024-02-10"),
		Weapon: geo.WeaponDrone, Status: geo.StatusReported, LocationPrecision: geo.PrecisionNear, Base: "tower-22",
		Outcome: "A test incident.", Count: geo.Known(1),
		Sources: []geo.Source{{Publisher: "Test Wire", URL: "https://example.org/a", Kind: geo.SourceMedia, Says: "A drone hit near the base."}},
	}
}

func mustDate(s string) geo.Date {
	d, err := geo.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func addEdit(inc geo.Incident) Edit {
	return Edit{File: geo.IncidentsFile, ID: inc.ID, After: geo.MarshalIncidentFeature(&inc)}
}

// served loads the record as the server does.
func served(t *testing.T, s *Store) *geo.Dataset {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	d, err := geo.Load(snap)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A contributor's proposal leaves the record alone until an editor
// approves it; a contributor cannot approve; the approval makes a version
// whose digest is what the record then serves.
func TestProposeApprove(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s, carla, eddie := editing(t, url)
		inc := newIncident()
		id, err := s.Propose(ctx, carla, "", addEdit(inc))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := served(t, s).Incident(inc.ID); ok {
			t.Fatal("a proposal changed the record")
		}
		queue, err := s.Revisions(ctx, StateProposed)
		if err != nil || len(queue) != 1 || queue[0].ID != id || queue[0].Author != "carla" || len(queue[0].Edits) != 1 || queue[0].Edits[0].Kind() != "add" {
			t.Fatalf("queue: %+v, %v", queue, err)
		}
		if _, err := s.Approve(ctx, carla, id, ""); !errors.Is(err, ErrNotAllowed) {
			t.Fatalf("a contributor approving: %v, want ErrNotAllowed", err)
		}
		res, err := s.Approve(ctx, eddie, id, "checked the wire")
		if err != nil {
			t.Fatal(err)
		}
		d := served(t, s)
		got, ok := d.Incident(inc.ID)
		if !ok || got.Outcome != inc.Outcome || res.Version != 2 || res.Digest != d.Version {
			t.Fatalf("after approval: found %v, %+v, record digest %s", ok, res, d.Version)
		}
		r, err := s.RevisionByID(ctx, id)
		if err != nil || r.State != StateApproved || r.DecidedBy != "eddie" || r.DecisionReason != "checked the wire" {
			t.Errorf("the approved revision: %+v, %v", r, err)
		}
		if _, err := s.Approve(ctx, eddie, id, ""); !errors.Is(err, ErrDecided) {
			t.Errorf("approving twice: %v, want ErrDecided", err)
		}
		if _, err := s.Approve(ctx, eddie, 9999, ""); !errors.Is(err, ErrNoRevision) {
			t.Errorf("approving what does not exist: %v, want ErrNoRevision", err)
		}
		// The decision cannot be rewritten, nor the proposal's author.
		for _, q := range []string{"UPDATE revisions SET state = 'rejected'", "UPDATE revisions SET author = 'mallory'"} {
			if _, err := s.db.Exec(q); err == nil || !strings.Contains(err.Error(), "history is kept") {
				t.Errorf("%s: %v, want it refused", q, err)
			}
		}
	})
}

// An editor's direct edit, a source added, and a retraction (a reason
// required) each make a version; the retraction is a tombstone in the
// history, and nothing is deleted from it.
func TestEditAndRetract(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s, carla, eddie := editing(t, url)
		d := served(t, s)
		target := d.Incidents[3]
		before, ok, err := s.Feature(ctx, geo.IncidentsFile, target.ID)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		edited := *target
		edited.Sources = append(append([]geo.Source(nil), target.Sources...), geo.Source{Publisher: "Ministry", URL: "https://example.org/m", Kind: geo.SourceOfficial, Says: "Confirmed."})
		edited.Status = geo.StatusConfirmed
		if _, err := s.Edit(ctx, carla, "", Edit{File: geo.IncidentsFile, ID: target.ID, Before: before, After: geo.MarshalIncidentFeature(&edited)}); !errors.Is(err, ErrNotAllowed) {
			t.Fatalf("a contributor editing directly: %v, want ErrNotAllowed", err)
		}
		res, err := s.Edit(ctx, eddie, "added the ministry's statement", Edit{File: geo.IncidentsFile, ID: target.ID, Before: before, After: geo.MarshalIncidentFeature(&edited)})
		if err != nil || res.Version != 2 {
			t.Fatalf("edit: %+v, %v", res, err)
		}
		if got, _ := served(t, s).Incident(target.ID); got.Status != geo.StatusConfirmed || len(got.Sources) != len(target.Sources)+1 {
			t.Fatalf("after the edit: %s with %d sources", got.Status, len(got.Sources))
		}
		now, _, _ := s.Feature(ctx, geo.IncidentsFile, target.ID)
		retract := Edit{File: geo.IncidentsFile, ID: target.ID, Before: now}
		if _, err := s.Edit(ctx, eddie, " ", retract); !errors.Is(err, ErrReasonRequired) {
			t.Fatalf("retracting without a reason: %v, want ErrReasonRequired", err)
		}
		res, err = s.Edit(ctx, eddie, "a duplicate of another incident", retract)
		if err != nil || res.Version != 3 {
			t.Fatalf("retraction: %+v, %v", res, err)
		}
		if _, ok := served(t, s).Incident(target.ID); ok {
			t.Fatal("the retracted incident is still served")
		}
		changes, _ := s.Changes(ctx, res.Revision)
		if len(changes) != 1 || changes[0].After != nil || string(changes[0].Before) != string(now) {
			t.Errorf("the retraction's change: %+v, want a tombstone with the last body", changes)
		}
		if r, _ := s.RevisionByID(ctx, res.Revision); r.Reason != "a duplicate of another incident" {
			t.Errorf("the retraction's reason: %q", r.Reason)
		}
	})
}

// A proposal made against a feature that has changed since is refused
// when approved, and nothing is applied.
func TestApproveConflict(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s, carla, eddie := editing(t, url)
		target := served(t, s).Incidents[0]
		before, _, _ := s.Feature(ctx, geo.IncidentsFile, target.ID)
		change := func(outcome string) Edit {
			inc := *target
			inc.Outcome = outcome
			return Edit{File: geo.IncidentsFile, ID: target.ID, Before: before, After: geo.MarshalIncidentFeature(&inc)}
		}
		first, err := s.Propose(ctx, carla, "", change("First outcome."))
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.Propose(ctx, carla, "", change("Second outcome."))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Approve(ctx, eddie, first, ""); err != nil {
			t.Fatal(err)
		}
		_, err = s.Approve(ctx, eddie, second, "")
		var conflict *ConflictError
		if !errors.As(err, &conflict) || conflict.ID != target.ID {
			t.Fatalf("approving a stale proposal: %v, want a ConflictError on %s", err, target.ID)
		}
		t.Log(err)
		if got, _ := served(t, s).Incident(target.ID); got.Outcome != "First outcome." {
			t.Errorf("after the refused approval the outcome is %q", got.Outcome)
		}
		if vs, _ := s.Versions(ctx); len(vs) != 2 {
			t.Errorf("%d versions, want 2", len(vs))
		}
		if r, _ := s.RevisionByID(ctx, second); r.State != StateProposed {
			t.Errorf("the refused proposal is %s, want it still proposed", r.State)
		}
		// A stale form is refused at once too, and so is a new id taken.
		if _, err := s.Propose(ctx, carla, "", change("Third.")); !errors.As(err, &conflict) {
			t.Errorf("proposing against a stale before: %v, want a ConflictError", err)
		}
		inc := *target
		if _, err := s.Propose(ctx, carla, "", addEdit(inc)); !errors.As(err, &conflict) {
			t.Errorf("adding an id the record holds: %v, want a ConflictError", err)
		}
	})
}

// Reject needs a reason, changes nothing in the record, and decides once.
func TestReject(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s, carla, eddie := editing(t, url)
		id, err := s.Propose(ctx, carla, "", addEdit(newIncident()))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Reject(ctx, eddie, id, ""); !errors.Is(err, ErrReasonRequired) {
			t.Fatalf("rejecting without a reason: %v", err)
		}
		if err := s.Reject(ctx, carla, id, "no"); !errors.Is(err, ErrNotAllowed) {
			t.Fatalf("a contributor rejecting: %v", err)
		}
		if err := s.Reject(ctx, eddie, id, "no source says so"); err != nil {
			t.Fatal(err)
		}
		r, _ := s.RevisionByID(ctx, id)
		if r.State != StateRejected || r.DecisionReason != "no source says so" || r.DecidedBy != "eddie" {
			t.Errorf("rejected: %+v", r)
		}
		if _, err := s.Approve(ctx, eddie, id, ""); !errors.Is(err, ErrDecided) {
			t.Errorf("approving a rejected proposal: %v", err)
		}
		if vs, _ := s.Versions(ctx); len(vs) != 1 {
			t.Errorf("%d versions after a rejection, want 1", len(vs))
		}
		// A disabled user can no longer propose.
		if err := s.DisableUser(ctx, "carla"); err != nil {
			t.Fatal(err)
		}
		inc := newIncident()
		inc.ID = "another"
		if _, err := s.Propose(ctx, carla, "", addEdit(inc)); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("a disabled user proposing: %v", err)
		}
	})
}

// What the data files could not hold, the record refuses: each edit is
// checked by the geo package's own rules on the whole dataset it makes.
func TestProposeValidates(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s, carla, _ := editing(t, url)
		d := served(t, s)
		baseUsed := d.Incidents[0].Base
		baseBody, _, _ := s.Feature(ctx, geo.BasesFile, baseUsed)
		for _, tc := range []struct {
			name  string
			edit  func() Edit
			field string // the problem's field, or "" for an EditError
		}{
			{"unknown base", func() Edit { i := newIncident(); i.Base = "nowhere"; return addEdit(i) }, "base"},
			{"javascript url", func() Edit { i := newIncident(); i.Sources[0].URL = "javascript:alert(1)"; return addEdit(i) }, "sources[0].url"},
			{"date_end before date", func() Edit { i := newIncident(); i.DateEnd = mustDate("2024-02-01"); return addEdit(i) }, "date_end"},
			{"status above its sources", func() Edit { i := newIncident(); i.Status = geo.StatusConfirmed; return addEdit(i) }, "status"},
			{"no sources", func() Edit { i := newIncident(); i.Sources = nil; return addEdit(i) }, "sources"},
			{"zero count", func() Edit { i := newIncident(); i.Count = geo.Known(0); return addEdit(i) }, "count"},
			{"base precision away from the base", func() Edit { i := newIncident(); i.LocationPrecision = geo.PrecisionBase; return addEdit(i) }, "location_precision"},
			{"bad id", func() Edit { i := newIncident(); i.ID = "../x"; return addEdit(i) }, "id"},
			{"retracting a base incidents name", func() Edit { return Edit{File: geo.BasesFile, ID: baseUsed, Before: baseBody} }, "base"},
			{"an unknown property", func() Edit {
				return Edit{File: geo.IncidentsFile, ID: "x1", After: json.RawMessage(`{"type":"Feature","id":"x1","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"evil":1}}`)}
			}, "evil"},
			{"a file not editable", func() Edit { e := addEdit(newIncident()); e.File = geo.StrikesFile; return e }, ""},
			{"an id that is not the feature's", func() Edit { e := addEdit(newIncident()); e.ID = "other"; return e }, ""},
			{"not JSON", func() Edit { return Edit{File: geo.IncidentsFile, ID: "x", After: json.RawMessage(`{`)} }, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Propose(ctx, carla, "a test", tc.edit())
				var ve *geo.ValidationError
				var ee *EditError
				switch {
				case tc.field == "" && !errors.As(err, &ee):
					t.Fatalf("%v, want an EditError", err)
				case tc.field != "" && !errors.As(err, &ve):
					t.Fatalf("%v, want a validation error on %s", err, tc.field)
				case tc.field != "":
					found := false
					for _, p := range ve.Problems {
						found = found || strings.HasPrefix(p.Field, tc.field)
					}
					if !found {
						t.Errorf("%v: no problem with %s", err, tc.field)
					}
				}
				t.Log(err)
			})
		}
		if rs, _ := s.Revisions(ctx, StateProposed); len(rs) != 0 {
			t.Errorf("%d refused proposals were recorded", len(rs))
		}
	})
}

// An empty record takes its first base and incident by edits.
func TestEditEmptyRecord(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		eddie, err := s.AddUser(ctx, "eddie", Editor, "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		d, _ := geo.Load(data.FS)
		b, _ := d.Base("tower-22")
		if _, err := s.Edit(ctx, eddie, "", Edit{File: geo.BasesFile, ID: b.ID, After: geo.MarshalBaseFeature(b)}); err != nil {
			t.Fatal(err)
		}
		res, err := s.Edit(ctx, eddie, "", addEdit(newIncident()))
		if err != nil || res.Version != 2 {
			t.Fatalf("%+v, %v", res, err)
		}
		got := served(t, s)
		if len(got.Bases) != 1 || len(got.Incidents) != 1 || got.Version != res.Digest {
			t.Errorf("served %d bases, %d incidents, version %s (the edit said %s)", len(got.Bases), len(got.Incidents), got.Version, res.Digest)
		}
	})
}
