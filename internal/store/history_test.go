package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/testenv"
)

// historyVersions are testenv.HistorySteps as files.
func historyVersions(t *testing.T) (steps []map[string][]byte, changed, retracted string) {
	t.Helper()
	fss, changed, retracted := testenv.HistorySteps(t)
	for _, m := range fss {
		files := map[string][]byte{}
		for name, f := range m {
			files[name] = f.Data
		}
		steps = append(steps, files)
	}
	return steps, changed, retracted
}

// importSteps imports each step as a version.
func importSteps(t *testing.T, s *Store, steps []map[string][]byte) {
	t.Helper()
	for i, files := range steps {
		res, err := s.Import(context.Background(), mapFS(files), ImportAuthor, "history step")
		if err != nil || res.Version != int64(i+1) {
			t.Fatalf("import step %d: %+v, %v", i+1, res, err)
		}
	}
}

// The files of every version come back as they were imported, byte for
// byte, whatever came after (a change, a retraction, a reordering, a file
// dropped): so geo.Load gives each version's own digest, and an answer at
// ?as_of=N is the one published at N.
func TestFilesAtEveryVersion(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		steps, _, _ := historyVersions(t)
		importSteps(t, s, steps)
		vs, err := s.Versions(ctx)
		if err != nil || len(vs) != len(steps) {
			t.Fatalf("versions: %v, %v", vs, err)
		}
		for i, want := range steps {
			n := int64(i + 1)
			got, err := s.FilesAt(ctx, n)
			if err != nil {
				t.Fatalf("version %d: %v", n, err)
			}
			if len(got) != len(want) {
				t.Errorf("version %d: %d files, want %d", n, len(got), len(want))
			}
			for name, b := range want {
				if !bytes.Equal(got[name], b) {
					t.Errorf("version %d: %s differs at byte %d of %d", n, name, firstDiff(got[name], b), len(b))
				}
			}
			fsys, err := s.FSAt(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			d, err := geo.Load(fsys)
			if err != nil {
				t.Fatalf("version %d: %v", n, err)
			}
			if d.Version != vs[i].Digest {
				t.Errorf("version %d loads as %s, want the version's digest %s", n, d.Version, vs[i].Digest)
			}
		}
		if _, err := s.FilesAt(ctx, 4); !errors.Is(err, ErrNoVersion) {
			t.Errorf("FilesAt(4): %v, want ErrNoVersion", err)
		}
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Close()
		if v := snap.Version(); v.Number != 3 {
			t.Fatalf("Snapshot: version %+v, want number 3", v)
		}
		if d, err := geo.Load(snap); err != nil || d.Version != vs[2].Digest {
			t.Errorf("the snapshot loads with %v; want version %s", err, vs[2].Digest)
		}
	})
}

// A feature's history lists every revision that touched it, with its
// before and after, retractions as tombstones; the version log counts
// what each version did.
func TestHistoryAndVersionLog(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		steps, changed, retracted := historyVersions(t)
		importSteps(t, s, steps)
		h, err := s.History(ctx, geo.IncidentsFile, changed)
		if err != nil || len(h) != 2 {
			t.Fatalf("history of %s: %d revisions (%v), want 2", changed, len(h), err)
		}
		if h[0].Before != nil || h[0].Version != 1 || h[1].Version != 2 || !bytes.Contains(h[1].After, []byte("Changed by the history test")) || h[1].State != "approved" || h[1].Reason != "history step" {
			t.Errorf("history of %s: %+v", changed, h)
		}
		h, err = s.History(ctx, geo.IncidentsFile, retracted)
		if err != nil || len(h) != 3 || h[1].After != nil || h[1].Before == nil || h[2].Before != nil {
			t.Fatalf("history of %s: %+v, %v; want added, retracted (a tombstone), added again", retracted, h, err)
		}
		log, err := s.VersionLog(ctx)
		if err != nil || len(log) != 3 {
			t.Fatalf("version log: %v, %v", log, err)
		}
		d, _ := geo.Load(data.FS)
		n := len(d.Incidents)
		want := []FileChanges{{Added: n, Count: n}, {Updated: 1, Retracted: 1, Count: n - 1}, {Added: 2, Count: n + 1}}
		for i, w := range want {
			if got := log[i].Files[geo.IncidentsFile]; got != w {
				t.Errorf("version %d: incidents %+v, want %+v", i+1, got, w)
			}
		}
		if got := log[1].Files[geo.StrikesFile]; got.Count != 0 || got.Retracted != len(d.Strikes) {
			t.Errorf("version 2: strikes %+v, want all %d retracted", got, len(d.Strikes))
		}
	})
}

// Watch hears of a version another connection makes: on PostgreSQL by
// its notification, on SQLite by its poll.
func TestWatchSeesOtherWriters(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		watcher := open(t, url)
		writer := open(t, url)
		seen := make(chan int64, 10)
		done := make(chan struct{})
		// A poll far longer than the test: only a notification (or
		// SQLite's own poll) can tell PostgreSQL's watcher in time.
		poll := time.Minute
		if watcher.Dialect() == SQLite {
			poll = 50 * time.Millisecond
		}
		go func() {
			defer close(done)
			watcher.Watch(ctx, WatchOptions{Poll: poll, OnError: func(err error) { t.Log(err) }}, func(n int64) { seen <- n })
		}()
		// Watch reports the first number once it listens (PostgreSQL's
		// LISTEN comes before its first check): from here on a new
		// version reaches it.
		if n := <-seen; n != 0 {
			t.Fatalf("first seen %d, want 0 (no version yet)", n)
		}
		if _, err := writer.Import(ctx, data.FS, ImportAuthor, ""); err != nil {
			t.Fatal(err)
		}
		select {
		case n := <-seen:
			if n != 1 {
				t.Errorf("seen %d, want 1", n)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the new version was not seen in 30 s")
		}
		cancel()
		<-done
	})
}
