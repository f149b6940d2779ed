package follow_test

import (
	"context"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/store"
)

// heapMB is the live heap after a collection, in MB.
func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / 1e6
}

// TestReloadAtScale measures, on the record STRIKEMAP_RELOAD_DB names (a
// large one, e.g. 1,000,000 synthetic incidents imported with dataset db
// import), what following a new version costs: the time from its commit to
// its being served, and the Go heap before, at its peak during, and after.
// It asserts nothing about time; docs/editing.md reports its figures.
//
//	STRIKEMAP_RELOAD_DB=sqlite:/tmp/1m.db go test ./internal/follow -run TestReloadAtScale -v -timeout 60m
func TestReloadAtScale(t *testing.T) {
	url := os.Getenv("STRIKEMAP_RELOAD_DB")
	if url == "" {
		t.Skip("STRIKEMAP_RELOAD_DB is not set: a measurement, run by hand")
	}
	ctx := context.Background()
	rec := open(t, url)
	start := time.Now()
	d, err := follow.Load(ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("start: version %d, %d incidents loaded in %s", d.Record, len(d.Incidents), time.Since(start).Round(time.Millisecond))
	old := d.Record

	// The next version: one incident's outcome changed, the file in its
	// own order, so that the import is one update.
	inFile := make([]geo.Incident, 0, len(d.Incidents))
	for inc := range d.InFileOrder() {
		inFile = append(inFile, *inc)
	}
	inFile[0].Outcome = "Changed at " + time.Now().UTC().Format(time.RFC3339)
	incidents, err := geo.MarshalIncidents(inFile)
	if err != nil {
		t.Fatal(err)
	}
	files, err := rec.DatasetFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	next := fstest.MapFS{}
	for name, b := range files {
		next[name] = &fstest.MapFile{Data: b}
	}
	next[geo.IncidentsFile] = &fstest.MapFile{Data: incidents}
	inFile, incidents, files = nil, nil, nil

	// The version is made first (here, as another process would), so
	// that the heap measured is the follower's alone.
	imported := time.Now()
	res, err := rec.Import(ctx, next, store.ImportAuthor, "TestReloadAtScale")
	if err != nil || res.Updated != 1 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	t.Logf("import of one changed incident: %s", time.Since(imported).Round(time.Millisecond))
	next = nil

	gs := geo.NewStore(d, time.Now())
	d = nil
	before := heapMB()
	var served atomic.Int64
	gs.OnReplace(func(n *geo.Dataset) { served.Store(n.Record) })
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
		}
	}()
	follows := time.Now()
	f := follow.Start(rec, gs, follow.Options{})
	defer f.Close()
	for served.Load() != res.Version {
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(follows)
	close(stop)
	after := heapMB()
	t.Logf("the follower read and loaded version %d in %s (the old one served until then)", res.Version, took.Round(time.Millisecond))
	t.Logf("Go heap: %.0f MB serving version %d, peak %.0f MB (sampled every 20 ms) while loading, %.0f MB serving version %d", before, old, float64(peak.Load())/1e6, after, res.Version)

	// An old version, as ?as_of= loads it.
	start = time.Now()
	fsys, err := rec.FSAt(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	read := time.Since(start)
	od, err := geo.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	fsys = nil
	t.Logf("version %d rebuilt from the history in %s, loaded in %s more; Go heap with it cached beside the current: %.0f MB (%d incidents)",
		old, read.Round(time.Millisecond), (time.Since(start) - read).Round(time.Millisecond), heapMB(), len(od.Incidents))
	runtime.KeepAlive(od)
}
