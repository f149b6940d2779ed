package store

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// shipped returns the embedded dataset's files.
func shipped(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range Files() {
		b, err := fs.ReadFile(data.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

func mapFS(files map[string][]byte) fstest.MapFS {
	m := fstest.MapFS{}
	for name, b := range files {
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

// The shipped files, laid out by hand (two-space and one-space indents,
// one without a final newline, the official counts one to a line), come
// back byte for byte.
func TestImportExportShippedByteForByte(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if empty, err := s.Empty(ctx); err != nil || !empty {
			t.Fatalf("a new database: Empty = %v, %v", empty, err)
		}
		want := shipped(t)
		res, err := s.Import(ctx, data.FS, ImportAuthor, "")
		if err != nil {
			t.Fatal(err)
		}
		d, _ := geo.Load(data.FS)
		wantRows := len(d.Bases) + len(d.Incidents) + len(d.OfficialCounts) + len(d.Strikes)
		if res.Added != wantRows || res.Updated+res.Retracted+res.Unchanged != 0 || res.Version != 1 || res.Digest != d.Version {
			t.Errorf("import: %+v, want %d added, version 1, digest %s", res, wantRows, d.Version)
		}
		got, err := s.DatasetFiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range Files() {
			if !bytes.Equal(got[name], want[name]) {
				t.Errorf("%s: exported %d bytes differ from the %d imported (first difference at byte %d)", name, len(got[name]), len(want[name]), firstDiff(got[name], want[name]))
			}
		}
		// The same again changes nothing and makes no version.
		res, err = s.Import(ctx, data.FS, ImportAuthor, "")
		if err != nil || res.Version != 0 || res.Unchanged != wantRows || res.Added+res.Updated+res.Retracted != 0 {
			t.Errorf("importing the same data again: %+v, %v; want nothing changed", res, err)
		}
		vs, err := s.Versions(ctx)
		if err != nil || len(vs) != 1 || vs[0].Author != ImportAuthor || vs[0].Digest != d.Version {
			t.Errorf("versions: %+v, %v", vs, err)
		}
	})
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// A second import records the before and after of what changed, keeps a
// retracted incident as a tombstone, and makes a new version; an invalid
// dataset writes nothing.
func TestImportRecordsHistory(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if _, err := s.Import(ctx, data.FS, ImportAuthor, "the shipped dataset"); err != nil {
			t.Fatal(err)
		}
		files := shipped(t)
		d, _ := geo.Load(data.FS)
		first, second := d.Incidents[0], d.Incidents[1]
		var changed []geo.Incident // the first retracted
		for _, inc := range d.Incidents[1:] {
			changed = append(changed, *inc)
		}
		changed[0].Outcome = "An outcome edited by the test."
		inc, err := geo.MarshalIncidents(changed)
		if err != nil {
			t.Fatal(err)
		}
		files[geo.IncidentsFile] = inc
		delete(files, geo.StrikesFile) // strikes name incidents: the first may be one of theirs
		res, err := s.Import(ctx, mapFS(files), ImportAuthor, "a test's edit")
		if err != nil {
			t.Fatal(err)
		}
		if res.Updated != 1 || res.Retracted != 1+len(d.Strikes) || res.Version != 2 {
			t.Fatalf("second import: %+v, want 1 updated, %d retracted, version 2", res, 1+len(d.Strikes))
		}
		changes, err := s.Changes(ctx, res.Revision)
		if err != nil {
			t.Fatal(err)
		}
		var sawEdit, sawTombstone, sawFileGone bool
		for _, c := range changes {
			switch {
			case c.File == geo.IncidentsFile && c.ID == second.ID:
				sawEdit = bytes.Contains(c.After, []byte("edited by the test")) && c.Before != nil && !bytes.Contains(c.Before, []byte("edited by the test"))
			case c.File == geo.IncidentsFile && c.ID == first.ID:
				sawTombstone = c.After == nil && c.Before != nil
			case c.File == geo.StrikesFile && c.ID == "":
				sawFileGone = c.After == nil
			}
		}
		if !sawEdit || !sawTombstone || !sawFileGone {
			t.Errorf("changes of the second import: edit %v, tombstone %v, strikes file gone %v", sawEdit, sawTombstone, sawFileGone)
		}
		got, err := s.DatasetFiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[geo.IncidentsFile], inc) {
			t.Errorf("exported incidents differ from the imported ones at byte %d", firstDiff(got[geo.IncidentsFile], inc))
		}
		if _, ok := got[geo.StrikesFile]; ok {
			t.Errorf("the strikes file is still exported after an import without it")
		}

		// An invalid dataset: nothing is written.
		files[geo.IncidentsFile] = bytes.Replace(inc, []byte(`"weapon": "drone"`), []byte(`"weapon": "catapult"`), 1)
		_, err = s.Import(ctx, mapFS(files), ImportAuthor, "")
		var verr *geo.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("importing an invalid dataset: %v, want a validation error", err)
		}
		if vs, _ := s.Versions(ctx); len(vs) != 2 {
			t.Errorf("after a refused import: %d versions, want 2", len(vs))
		}

		// History cannot be deleted nor rewritten.
		for _, q := range []string{"DELETE FROM changes", "UPDATE changes SET after = NULL", "DELETE FROM versions", "DELETE FROM revisions"} {
			if _, err := s.db.Exec(q); err == nil || !strings.Contains(err.Error(), "history is kept") {
				t.Errorf("%s: %v, want it refused", q, err)
			}
		}
	})
}

// A large synthetic set (one feature a line, as dataset synth writes it)
// comes back equal. 20,000 features are 40 INSERT batches of batchRows, enough
// for every path the import takes; 200k (STRIKEMAP_STORE_N=200000) adds only
// minutes to the suite.
func TestImportExportSynth(t *testing.T) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("STRIKEMAP_STORE_N")); err == nil && v > 0 {
		n = v
	}
	if testing.Short() {
		n = 5000
	}
	d, _ := geo.Load(data.FS)
	var inc bytes.Buffer
	if err := synth.WriteIncidents(&inc, synth.Config{N: n, Seed: 1, Bases: d.Bases}); err != nil {
		t.Fatal(err)
	}
	bases, _ := fs.ReadFile(data.FS, geo.BasesFile)
	files := map[string][]byte{geo.BasesFile: bases, geo.IncidentsFile: inc.Bytes()}
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		res, err := s.Import(ctx, mapFS(files), ImportAuthor, "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Added != n+len(d.Bases) {
			t.Errorf("added %d, want %d", res.Added, n+len(d.Bases))
		}
		got, err := s.DatasetFiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range files {
			if !bytes.Equal(got[name], want) {
				t.Errorf("%s: exported %d bytes differ from the %d imported at byte %d", name, len(got[name]), len(want), firstDiff(got[name], want))
			}
		}
	})
}

// Features only put in another order make a version, and the export keeps
// the new order.
func TestImportReordered(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if _, err := s.Import(ctx, data.FS, ImportAuthor, ""); err != nil {
			t.Fatal(err)
		}
		files := shipped(t)
		d, _ := geo.Load(data.FS)
		forward := make([]geo.Incident, len(d.Incidents))
		for i, inc := range d.Incidents {
			forward[i] = *inc
		}
		reversed := slices.Clone(forward)
		slices.Reverse(reversed)
		orig, _ := geo.MarshalIncidents(forward)
		rev, _ := geo.MarshalIncidents(reversed)
		if bytes.Equal(orig, rev) {
			t.Fatal("reversing changed nothing")
		}
		files[geo.IncidentsFile] = rev
		res, err := s.Import(ctx, mapFS(files), ImportAuthor, "")
		if err != nil || res.Version != 2 || res.Added+res.Updated+res.Retracted != 0 {
			t.Fatalf("reordered import: %+v, %v; want version 2 and no feature changed", res, err)
		}
		got, err := s.DatasetFiles(ctx)
		if err != nil || !bytes.Equal(got[geo.IncidentsFile], rev) {
			t.Errorf("export after reordering differs at byte %d (%v)", firstDiff(got[geo.IncidentsFile], rev), err)
		}
	})
}

// linesFile writes incidents one feature a line, as dataset synth and
// dataset import write them.
func linesFile(t *testing.T, incidents []geo.Incident) []byte {
	t.Helper()
	var b bytes.Buffer
	iw := geo.NewIncidentWriter(&b)
	for i := range incidents {
		if err := iw.Write(&incidents[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := iw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A large file laid out one feature a line is streamed into the record (a
// row written as each line is read), and an import into a record holding
// it finds what was added, changed and retracted by the rows' hashes; a
// file that only begins and ends like one falls back to being read whole.
// Each comes back byte for byte.
func TestImportStreamsLines(t *testing.T) {
	d, _ := geo.Load(data.FS)
	bases, _ := fs.ReadFile(data.FS, geo.BasesFile)
	synthDS, err := synth.Dataset(bases, d.Bases, 2500, 1)
	if err != nil {
		t.Fatal(err)
	}
	var incidents []geo.Incident
	for inc := range synthDS.InFileOrder() {
		incidents = append(incidents, *inc)
	}
	first := linesFile(t, incidents)
	if len(first) < streamAbove {
		t.Fatalf("the file is %d bytes, below streamAbove", len(first))
	}
	files := map[string][]byte{geo.BasesFile: bases, geo.IncidentsFile: first}
	if f, err := openImportFile(mapFS(files), geo.IncidentsFile, true); err != nil || f.lines == nil {
		t.Fatalf("the synthetic file is not streamed: %v", err)
	}
	if f, err := openImportFile(data.FS, geo.IncidentsFile, true); err != nil || f.lines != nil {
		t.Fatalf("the shipped file (indented) is streamed: %v", err)
	}

	// The next: the first retracted, the second changed, one added last.
	next := slices.Clone(incidents[1:])
	next[0].Outcome = "An outcome edited by the test."
	added := incidents[2]
	added.ID = "added-by-the-test"
	next = append(next, added)
	second := linesFile(t, next)

	// Lines laid out one feature a line except one, indented.
	lines := bytes.Split(first, []byte("\n"))
	lines[5] = bytes.Replace(lines[5], []byte(`"type":"Feature"`), []byte(`"type": "Feature"`), 1)
	third := bytes.Join(lines, []byte("\n"))

	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		for i, step := range []struct {
			incidents                       []byte
			added, updated, retracted, kept int
		}{
			{first, len(incidents) + len(d.Bases), 0, 0, 0},
			{second, 1, 1, 1, len(incidents) - 2 + len(d.Bases)},
			{third, 1, 1, 1, len(incidents) - 2 + len(d.Bases)},
		} {
			files[geo.IncidentsFile] = step.incidents
			res, err := s.Import(ctx, mapFS(files), ImportAuthor, "")
			if err != nil {
				t.Fatalf("import %d: %v", i+1, err)
			}
			if res.Added != step.added || res.Updated != step.updated || res.Retracted != step.retracted || res.Unchanged != step.kept {
				t.Errorf("import %d: %+v, want added %d, updated %d, retracted %d, unchanged %d", i+1, res, step.added, step.updated, step.retracted, step.kept)
			}
			got, err := s.DatasetFiles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got[geo.IncidentsFile], step.incidents) {
				t.Errorf("import %d: the export differs at byte %d", i+1, firstDiff(got[geo.IncidentsFile], step.incidents))
			}
			if i != 1 {
				continue
			}
			changes, err := s.Changes(ctx, res.Revision)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]string{}
			for _, c := range changes {
				switch {
				case c.ID == "":
				case c.Before == nil:
					kinds[c.ID] = "added"
				case c.After == nil:
					kinds[c.ID] = "retracted"
				case bytes.Contains(c.After, []byte("edited by the test")) && !bytes.Contains(c.Before, []byte("edited by the test")):
					kinds[c.ID] = "changed"
				}
			}
			want := map[string]string{added.ID: "added", incidents[0].ID: "retracted", incidents[1].ID: "changed"}
			if !maps.Equal(kinds, want) {
				t.Errorf("changes of the second import: %v, want %v", kinds, want)
			}
		}
	})
}
