package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// wholePlan is the old check, the oracle: plan on the whole record read
// in a transaction that is rolled back. It returns plan's error and the
// digest of the dataset the edits make.
func wholePlan(t *testing.T, s *Store, edits []Edit) (string, error) {
	t.Helper()
	ctx := context.Background()
	edits, err := normalize(edits)
	if err != nil {
		return "", err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	files, err := s.readFiles(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	_, _, d, err := plan(files, edits)
	if err != nil {
		return "", err
	}
	return d.Version, nil
}

// cutCheck is the new check, in a transaction that is rolled back.
func cutCheck(t *testing.T, s *Store, edits []Edit) error {
	t.Helper()
	ctx := context.Background()
	edits, err := normalize(edits)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	_, _, err = s.check(ctx, tx, edits)
	return err
}

// sameRefusal fails t unless check refuses edits exactly as plan on the
// whole record does (the same error, problem for problem), and Propose
// and Edit refuse them with that error too, recording nothing.
func sameRefusal(t *testing.T, s *Store, carla, eddie User, edits ...Edit) {
	t.Helper()
	ctx := context.Background()
	_, want := wholePlan(t, s, edits)
	if want == nil {
		t.Fatalf("the oracle accepts the edits: not a refusal")
	}
	got := cutCheck(t, s, edits)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("check refuses with\n%v\nplan on the whole record with\n%v", got, want)
	}
	versions, _ := s.Versions(ctx)
	if _, err := s.Propose(ctx, carla, "a test", edits...); !reflect.DeepEqual(err, want) {
		t.Errorf("Propose: %v, want %v", err, want)
	}
	if _, err := s.Edit(ctx, eddie, "a test", edits...); !reflect.DeepEqual(err, want) {
		t.Errorf("Edit: %v, want %v", err, want)
	}
	if after, _ := s.Versions(ctx); len(after) != len(versions) {
		t.Errorf("a refused edit made a version")
	}
	t.Log(want)
}

// sameVersion applies edits with Edit and checks that the version it
// makes has the digest plan on the whole record gives, which is also
// what a load of the record gives.
func sameVersion(t *testing.T, s *Store, eddie User, edits ...Edit) Applied {
	t.Helper()
	want, err := wholePlan(t, s, edits)
	if err != nil {
		t.Fatalf("the oracle refuses the edits: %v", err)
	}
	if err := cutCheck(t, s, edits); err != nil {
		t.Fatalf("check refuses what plan accepts: %v", err)
	}
	res, err := s.Edit(context.Background(), eddie, "a test", edits...)
	if err != nil {
		t.Fatal(err)
	}
	if res.Digest != want {
		t.Errorf("the version's digest is %s, plan on the whole record's %s", res.Digest, want)
	}
	if d := served(t, s); d.Version != res.Digest {
		t.Errorf("the version's digest is %s, a load of the record's %s", res.Digest, d.Version)
	}
	return res
}

// body returns the record's feature, failing t when there is none.
func body(t *testing.T, s *Store, file, id string) json.RawMessage {
	t.Helper()
	b, ok, err := s.Feature(context.Background(), file, id)
	if err != nil || !ok {
		t.Fatalf("%s %s: %v %v", file, id, ok, err)
	}
	return b
}

// Check refuses, on the shipped dataset (indented files, official counts,
// strikes answering incidents), every change plan on the whole record
// refuses, with the same error: each conflict, each kind of problem of a
// feature, a base's change or retraction breaking the incidents that name
// it, a retraction breaking a strike, a base problem hiding the
// incidents' base checks, problems after retractions and with additions
// (their indexes in the whole file), and a syntax error placed by line.
// What it accepts makes the version plan's digest names.
func TestCheckMatchesPlan(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s, carla, eddie := editing(t, url)
		d := served(t, s)
		inFile := d.InFileOrder()
		var incidents []*geo.Incident
		for inc := range inFile {
			incidents = append(incidents, inc)
		}
		late := incidents[len(incidents)-3] // late in the file
		early := incidents[1]
		var answered string // an incident a strike answers
		for _, st := range d.Strikes {
			if len(st.InResponseTo) > 0 {
				answered = st.InResponseTo[0]
			}
		}
		if answered == "" {
			t.Fatal("no shipped strike answers an incident")
		}
		// A base named by incidents with location_precision "base".
		var baseAt string
		for _, inc := range incidents {
			if inc.LocationPrecision == geo.PrecisionBase {
				baseAt = inc.Base
				break
			}
		}
		if baseAt == "" {
			t.Fatal("no shipped incident is placed at its base")
		}
		edit := func(inc *geo.Incident, change func(*geo.Incident)) Edit {
			c := *inc
			change(&c)
			return Edit{File: geo.IncidentsFile, ID: inc.ID, Before: body(t, s, geo.IncidentsFile, inc.ID), After: geo.MarshalIncidentFeature(&c)}
		}
		retract := func(file, id string) Edit {
			return Edit{File: file, ID: id, Before: body(t, s, file, id)}
		}
		baseEdit := func(id string, change func(*geo.Base)) Edit {
			b, _ := d.Base(id)
			c := *b
			change(&c)
			return Edit{File: geo.BasesFile, ID: id, Before: body(t, s, geo.BasesFile, id), After: geo.MarshalBaseFeature(&c)}
		}
		badURL := func(i *geo.Incident) {
			i.Sources = []geo.Source{{Publisher: "x", URL: "javascript:alert(1)", Kind: geo.SourceMedia, Says: "x"}}
		}
		for _, tc := range []struct {
			name  string
			edits func() []Edit
		}{
			{"retracted since", func() []Edit {
				e := edit(late, func(i *geo.Incident) {})
				e.ID, e.After = "not-in-the-record", nil
				return []Edit{e}
			}},
			{"an id the record holds", func() []Edit {
				return []Edit{{File: geo.IncidentsFile, ID: late.ID, After: geo.MarshalIncidentFeature(late)}}
			}},
			{"changed since", func() []Edit {
				e := edit(late, func(i *geo.Incident) { i.Outcome = "x" })
				stale := *late
				stale.Outcome = "As it was before someone else's change."
				e.Before = geo.MarshalIncidentFeature(&stale)
				return []Edit{e}
			}},
			{"a bad url, late in the file", func() []Edit { return []Edit{edit(late, badURL)} }},
			{"an unknown base", func() []Edit { return []Edit{edit(early, func(i *geo.Incident) { i.Base = "nowhere" })} }},
			{"date_end before date", func() []Edit {
				return []Edit{edit(late, func(i *geo.Incident) { i.DateEnd = i.Date - 3 })}
			}},
			{"no sources", func() []Edit { return []Edit{edit(late, func(i *geo.Incident) { i.Sources = nil })} }},
			{"an unknown property, added", func() []Edit {
				return []Edit{{File: geo.IncidentsFile, ID: "x1", After: json.RawMessage(`{"type":"Feature","id":"x1","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"evil":1}}`)}}
			}},
			{"a bad id, added", func() []Edit { i := newIncident(); i.ID = "../x"; return []Edit{addEdit(i)} }},
			{"status above its sources, added", func() []Edit { i := newIncident(); i.Status = geo.StatusConfirmed; return []Edit{addEdit(i)} }},
			{"retractions before problems, and additions", func() []Edit {
				a, b := newIncident(), newIncident()
				b.ID, b.Count = "second-added", geo.Known(0)
				a.Sources[0].URL = "ftp://example.org"
				return []Edit{retract(geo.IncidentsFile, incidents[0].ID), retract(geo.IncidentsFile, incidents[5].ID),
					edit(late, badURL), edit(incidents[3], badURL), addEdit(a), addEdit(b)}
			}},
			{"retracting a base incidents name", func() []Edit { return []Edit{retract(geo.BasesFile, late.Base)} }},
			{"moving a base incidents are placed at", func() []Edit {
				return []Edit{baseEdit(baseAt, func(b *geo.Base) { b.Point[0] += 0.5 })}
			}},
			{"a base problem hides the bases of incidents", func() []Edit {
				return []Edit{baseEdit(baseAt, func(b *geo.Base) { b.Country = "Iraq" }), edit(late, badURL), edit(early, func(i *geo.Incident) { i.Base = "nowhere" })}
			}},
			{"retracting an incident a strike answers", func() []Edit { return []Edit{retract(geo.IncidentsFile, answered)} }},
			{"a syntax error, placed by line", func() []Edit {
				e := edit(late, func(i *geo.Incident) {})
				e.After = bytes.Replace(e.After, []byte(`"outcome":"`), []byte("\"outcome\":\"\xff"), 1)
				return []Edit{e}
			}},
		} {
			t.Run(tc.name, func(t *testing.T) { sameRefusal(t, s, carla, eddie, tc.edits()...) })
		}
		if t.Failed() {
			return
		}
		// Accepted: the version's digest is the whole dataset's.
		sameVersion(t, s, eddie, edit(late, func(i *geo.Incident) { i.Outcome = "Changed by the test." }))
		sameVersion(t, s, eddie, addEdit(newIncident()), retract(geo.IncidentsFile, early.ID))
		sameVersion(t, s, eddie, baseEdit(late.Base, func(b *geo.Base) { b.Notes = "A note." }))
		if rs, _ := s.Revisions(ctx, StateProposed); len(rs) != 0 {
			t.Errorf("%d refused proposals were recorded", len(rs))
		}
	})
}

// On a record laid out one feature a line (as dataset synth and import
// write incidents.geojson), large enough for several of the loader's
// chunks, each version an edit makes has the digest of the whole dataset:
// a change that lengthens a line early in the file (every chunk after it
// cut elsewhere), one that shortens one, a retraction, an addition, an
// approved proposal; and a problem late in the file is reported at its
// index in the whole file.
func TestCheckLinesRecord(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		shippedDS, err := geo.Load(data.FS)
		if err != nil {
			t.Fatal(err)
		}
		var incidents bytes.Buffer
		n := 20_000 // about 17 MB: five chunks of 4 MiB
		if testing.Short() {
			n = 500
		}
		if err := synth.WriteIncidents(&incidents, synth.Config{N: n, Seed: 5, Bases: shippedDS.Bases}); err != nil {
			t.Fatal(err)
		}
		files := shipped(t)
		files[geo.IncidentsFile] = incidents.Bytes()
		delete(files, geo.StrikesFile) // they answer shipped incidents
		if _, err := s.Import(ctx, mapFS(files), ImportAuthor, "synthetic"); err != nil {
			t.Fatal(err)
		}
		if layout := fileLayoutOf(t, s, geo.IncidentsFile); layout != "lines" {
			t.Fatalf("incidents.geojson is laid out %q, want lines", layout)
		}
		carla, _ := s.AddUser(ctx, "carla", Contributor, "correct horse battery")
		eddie, _ := s.AddUser(ctx, "eddie", Editor, "correct horse battery")
		d := served(t, s)
		var inFile []*geo.Incident
		for inc := range d.InFileOrder() {
			inFile = append(inFile, inc)
		}
		edit := func(inc *geo.Incident, change func(*geo.Incident)) Edit {
			c := *inc
			change(&c)
			return Edit{File: geo.IncidentsFile, ID: inc.ID, Before: body(t, s, geo.IncidentsFile, inc.ID), After: geo.MarshalIncidentFeature(&c)}
		}
		longer := func(i *geo.Incident) {
			i.Outcome += " And a much longer outcome than it had, to move the cut of its chunk and maybe of those after it."
		}
		// The first edit reads the whole file; the next ones, made from
		// the version the one before made, only the chunks they move.
		sameVersion(t, s, eddie, edit(inFile[10], longer))
		chunks := s.chunks.get()
		if chunks == nil || len(chunks.sums) < 4 && !testing.Short() {
			t.Fatalf("the chunks kept: %+v, want four or more", chunks)
		}
		total := len(chunks.sums)
		if chunks.read != total {
			t.Errorf("the first edit read %d chunks of %d, want the whole file", chunks.read, total)
		}
		// A version made elsewhere (an import): the table kept is stale,
		// and KeepChunks reads the new version's (as a server does in the
		// background); the next edit then reads only what it moves.
		reimport := shipped(t)
		reimport[geo.IncidentsFile] = []byte(strings.Replace(string(exportOf(t, s)), `"outcome":"`, `"outcome":"Imported. `, 1))
		delete(reimport, geo.StrikesFile)
		if _, err := s.Import(ctx, mapFS(reimport), ImportAuthor, "a version made elsewhere"); err != nil {
			t.Fatal(err)
		}
		if _, kept, err := s.KeepChunks(ctx); err != nil || !kept {
			t.Fatal(kept, err)
		}
		if _, kept, err := s.KeepChunks(ctx); err != nil || kept {
			t.Fatalf("KeepChunks of the version kept already: kept %v, %v", kept, err)
		}
		if c := s.chunks.get(); c == nil || c.read != total {
			t.Fatalf("KeepChunks kept %+v", c)
		}
		inFile = inFile[:0]
		for inc := range served(t, s).InFileOrder() {
			inFile = append(inFile, inc)
		}
		mid := len(inFile) / 2
		for _, e := range [][]Edit{
			{edit(inFile[mid], longer)},
			{edit(inFile[mid+1], func(i *geo.Incident) { i.Outcome = "Short." })},
			{edit(inFile[mid+2], longer), edit(inFile[20], longer)},
			{{File: geo.IncidentsFile, ID: inFile[mid+3].ID, Before: body(t, s, geo.IncidentsFile, inFile[mid+3].ID)}},
			{addEdit(newIncident())},
			{edit(inFile[len(inFile)-1], longer)},
		} {
			res := sameVersion(t, s, eddie, e...)
			c := s.chunks.get()
			if c == nil || c.version != res.Version {
				t.Fatalf("after version %d the chunks kept are %+v", res.Version, c)
			}
			t.Logf("version %d: %d of %d chunks read", res.Version, c.read, len(c.sums))
			if c.read >= total && !testing.Short() {
				t.Errorf("version %d read %d chunks of %d: the whole file", res.Version, c.read, len(c.sums))
			}
		}
		late := inFile[len(inFile)-2]
		sameRefusal(t, s, carla, eddie, edit(late, func(i *geo.Incident) { i.Count = geo.Known(0) }))
		id, err := s.Propose(ctx, carla, "", edit(late, func(i *geo.Incident) { i.Outcome = "Proposed." }))
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Approve(ctx, eddie, id, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := served(t, s).Version; got != res.Digest {
			t.Errorf("the approval's digest is %s, a load of the record's %s", res.Digest, got)
		}
		// The export is the files the digest is of.
		out, err := s.DatasetFiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		exported, err := geo.Load(mapFS(out))
		if err != nil || exported.Version != res.Digest {
			t.Errorf("the export loads as %v (%v), the version says %s", exported, err, res.Digest)
		}
	})
}

// exportOf returns the record's incidents.geojson as export writes it.
func exportOf(t *testing.T, s *Store) []byte {
	t.Helper()
	out, err := s.DatasetFiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out[geo.IncidentsFile]
}

// fileLayoutOf returns the layout the record keeps a file in.
func fileLayoutOf(t *testing.T, s *Store, name string) string {
	t.Helper()
	var l string
	if err := s.db.QueryRow(s.q("SELECT layout FROM files WHERE name = ?"), name).Scan(&l); err != nil {
		t.Fatal(fmt.Errorf("%s: %w", name, err))
	}
	return l
}
