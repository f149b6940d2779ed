package store

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"reflect"
	"testing"
	"testing/iotest"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// A snapshot reads every file as DatasetFiles writes it, byte for byte,
// whether streamed (incidents one feature a line) or built whole (the
// shipped, indented files), and geo.Load reads the same dataset from it;
// an empty record reads as an empty dataset.
func TestSnapshotReadsAsExported(t *testing.T) {
	d, _ := geo.Load(data.FS)
	var inc bytes.Buffer
	if err := synth.WriteIncidents(&inc, synth.Config{N: 3000, Seed: 2, Bases: d.Bases}); err != nil {
		t.Fatal(err)
	}
	synthetic := shipped(t)
	synthetic[geo.IncidentsFile] = inc.Bytes()
	delete(synthetic, geo.StrikesFile) // they answer the shipped incidents
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if empty, err := geo.Load(snap); err != nil || len(empty.Bases)+len(empty.Incidents) != 0 {
			t.Errorf("an empty record: %v", err)
		}
		snap.Close()
		for name, files := range map[string]map[string][]byte{"shipped": shipped(t), "synthetic": synthetic} {
			if _, err := s.Import(ctx, mapFS(files), ImportAuthor, ""); err != nil {
				t.Fatal(err)
			}
			want, err := s.DatasetFiles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			snap, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for file, w := range want {
				f, err := snap.Open(file)
				if err != nil {
					t.Fatal(err)
				}
				// One byte at a time, then in larger reads: every row's edge is crossed.
				got, err := io.ReadAll(iotest.OneByteReader(f))
				f.Close()
				if err != nil || !bytes.Equal(got, w) {
					t.Errorf("%s: %s read from the snapshot differs from the export at byte %d (%v)", name, file, firstDiff(got, w), err)
				}
				if f, err = snap.Open(file); err != nil {
					t.Fatal(err)
				}
				if err := iotest.TestReader(f, w); err != nil {
					t.Errorf("%s: %s: %v", name, file, err)
				}
				f.Close()
			}
			if _, err := snap.Open("nothing.json"); !errorsIsNotExist(err) {
				t.Errorf("%s: a file the record lacks: %v", name, err)
			}
			fromSnap, err := geo.Load(snap)
			snap.Close()
			fromFiles, err2 := geo.Load(mapFS(want))
			if err != nil || err2 != nil || fromSnap.Version != fromFiles.Version || !reflect.DeepEqual(fromSnap.Incidents, fromFiles.Incidents) {
				t.Errorf("%s: geo.Load from the snapshot (%v) differs from the files (%v)", name, err, err2)
			}
		}
	})
}

func errorsIsNotExist(err error) bool {
	pe, ok := err.(*fs.PathError)
	return ok && pe.Err == fs.ErrNotExist
}
