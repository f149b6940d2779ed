package reload_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"strikemap/internal/geo"
	"strikemap/internal/reload"
)

// dataDir copies the shipped dataset into a temporary directory and returns
// it with the incidents file's content.
func dataDir(t *testing.T) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	var incidents []byte
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile} {
		b, err := os.ReadFile(filepath.Join("../../data", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		incidents = b
	}
	return dir, incidents
}

// replace writes name in dir the way an import does: a temporary file
// renamed over the old one.
func replace(t *testing.T, dir, name string, content []byte) {
	t.Helper()
	tmp := filepath.Join(dir, ".tmp-"+name)
	if err := os.WriteFile(tmp, content, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// results collects reload outcomes.
type results struct {
	c chan reload.Result
}

func (r *results) next(t *testing.T) reload.Result {
	t.Helper()
	select {
	case res := <-r.c:
		return res
	case <-time.After(time.Minute): // a bound for a failure, not a wait: the event ends it
		t.Fatal("no reload within a minute")
		return reload.Result{}
	}
}

func TestWatcherGoodBadGood(t *testing.T) {
	dir, incidents := dataDir(t)
	d, err := geo.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-time.Hour)
	store := geo.NewStore(d, t0)
	got := &results{c: make(chan reload.Result, 16)}
	var logs bytes.Buffer
	var logMu sync.Mutex
	w, err := reload.Start(dir, store, reload.Options{
		Debounce: 50 * time.Millisecond,
		Logger:   newLogger(&logs, &logMu),
		OnReload: func(r reload.Result) { got.c <- r },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	// Start checks once: same files, same version, the load time stays.
	if r := got.next(t); r.Err != nil || r.Version != d.Version || !store.LoadedAt().Equal(t0) {
		t.Fatalf("initial check: %+v, loaded at %v", r, store.LoadedAt())
	}

	// Bad: a misspelt weapon. The last good dataset stays.
	bad := bytes.Replace(incidents, []byte(`"weapon": "rocket"`), []byte(`"weapon": "rockets"`), 1)
	replace(t, dir, geo.IncidentsFile, bad)
	r := got.next(t)
	if r.Err == nil || !strings.Contains(r.Err.Error(), `weapon "rockets" is not one of drone, rocket, missile, unknown`) || !strings.Contains(r.Err.Error(), dir) {
		t.Fatalf("bad change: error %v, want the validation error naming the directory", r.Err)
	}
	if store.Dataset() != d || r.Version != d.Version {
		t.Error("an invalid change replaced the dataset")
	}
	if last, ok := w.Last(); !ok || last.Err == nil {
		t.Errorf("Last() = %+v, %v; want the failure", last, ok)
	}
	logMu.Lock()
	if !strings.Contains(logs.String(), "reload failed") || !strings.Contains(logs.String(), "rockets") {
		t.Errorf("failure not logged:\n%s", logs.String())
	}
	logMu.Unlock()

	// Good again, with an edited outcome: a new version is served.
	good := bytes.Replace(incidents, []byte(`"outcome": "",`), []byte(`"outcome": "Edited.",`), 1)
	if bytes.Equal(good, incidents) {
		t.Fatal("fixture edit changed nothing")
	}
	replace(t, dir, geo.IncidentsFile, good)
	r = got.next(t)
	if r.Err != nil {
		t.Fatalf("good change: %v", r.Err)
	}
	now, at := store.Snapshot()
	if now.Version == d.Version || r.Version != now.Version || !at.Equal(r.At) {
		t.Errorf("after a good change: serving %s loaded %v, result %+v (old version %s)", now.Version, at, r, d.Version)
	}
	if last, _ := w.Last(); last.Err != nil {
		t.Errorf("Last() still reports %v", last.Err)
	}
}

// TestWatcherIgnoresOtherFiles writes a file beside the data files: the
// watcher sees it and does not reload for it. It then writes a data file,
// which does reload, so the test ends on an event rather than a wait.
func TestWatcherIgnoresOtherFiles(t *testing.T) {
	dir, incidents := dataDir(t)
	d, err := geo.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	type change struct {
		name    string
		reloads bool
	}
	changes := make(chan change, 64)
	got := &results{c: make(chan reload.Result, 16)}
	w, err := reload.Start(dir, geo.NewStore(d, time.Now()), reload.Options{
		Debounce: 20 * time.Millisecond,
		OnReload: func(r reload.Result) { got.c <- r },
		OnChange: func(name string, reloads bool) { changes <- change{filepath.Base(name), reloads} },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	got.next(t)
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	replace(t, dir, geo.IncidentsFile, incidents)
	// Every change up to the data file's: only the data file reloads.
	seenNotes := false
	for {
		var c change
		select {
		case c = <-changes:
		case <-time.After(time.Minute): // a bound for a failure, not a wait: the event ends it
			t.Fatal("the change of the data file not seen within a minute")
		}
		if c.name == geo.IncidentsFile {
			if !c.reloads {
				t.Errorf("the change of %s does not reload", c.name)
			}
			break
		}
		seenNotes = seenNotes || c.name == "notes.txt"
		if c.reloads {
			t.Errorf("the change of %s reloads", c.name)
		}
	}
	if !seenNotes {
		t.Error("the watcher never saw notes.txt")
	}
	if r := got.next(t); r.Err != nil {
		t.Errorf("reload for the data file: %v", r.Err)
	}
}

func TestStartMissingDir(t *testing.T) {
	d, err := geo.Load(os.DirFS("../../data"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = reload.Start(filepath.Join(t.TempDir(), "nope"), geo.NewStore(d, time.Now()), reload.Options{})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("got %v, want an error naming the directory", err)
	}
}

// TestStartSkipsTheSecondLoad: with LoadedFrom after the files' last change,
// Start does not read the dataset again; with a change after it, it does.
func TestStartSkipsTheSecondLoad(t *testing.T) {
	dir, _ := dataDir(t)
	loadedFrom := time.Now().Add(time.Second) // after the files were written
	d, err := geo.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	w, err := reload.Start(dir, geo.NewStore(d, time.Now()), reload.Options{LoadedFrom: loadedFrom})
	if err != nil {
		t.Fatal(err)
	}
	if _, ran := w.Last(); ran {
		t.Error("reloaded at start though nothing changed since the load began")
	}
	w.Close()

	w, err = reload.Start(dir, geo.NewStore(d, time.Now()), reload.Options{LoadedFrom: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, ran := w.Last(); !ran {
		t.Error("no reload at start though the files changed after the load began")
	}
}
