package follow_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
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

// peakHeap samples the Go heap every 20 ms until the returned function is
// called, which returns the largest sample in MB.
func peakHeap() func() float64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() float64 {
		close(stop)
		<-done
		return float64(peak.Load()) / 1e6
	}
}

// TestReloadAtScale measures, on the record STRIKEMAP_RELOAD_DB names (a
// large one, e.g. 1,000,000 synthetic incidents imported with dataset db
// import), what an approved change costs: the approval itself (store.Edit,
// which checks the changed features and streams the record's rows for the
// new version's digest), then the follower serving it (applied in place), with the time and the Go heap
// before, at its peak during and after each. It asserts nothing about
// time; docs/editing.md reports its figures. It adds a version to the
// record.
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
	t.Logf("start: version %d, %d incidents loaded in %s; Go heap %.0f MB", d.Record, len(d.Incidents), time.Since(start).Round(time.Millisecond), heapMB())
	old := d.Record

	// The next version: one incident's outcome changed by an editor.
	editor, err := rec.AddUser(ctx, fmt.Sprintf("scale-%d", time.Now().UnixNano()), store.Editor, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	id := d.Incidents[0].ID
	before, after := edited(t, rec, id, "", "Changed at "+time.Now().UTC().Format(time.RFC3339Nano))
	gs := geo.NewStore(d, time.Now())
	d0 := gs.Dataset()
	d = nil
	heapBefore := heapMB()
	peak := peakHeap()
	approved := time.Now()
	res, err := rec.Edit(ctx, editor, "TestReloadAtScale", store.Edit{File: geo.IncidentsFile, ID: id, Before: before, After: after})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the approval (store.Edit of one incident: the changed features checked, the digest of the rows streamed): %s; Go heap %.0f MB before, peak %.0f MB",
		time.Since(approved).Round(time.Millisecond), heapBefore, peak())

	// A second approval by the same process, from the version the first
	// made: the digest reads only the chunks the change moves.
	id = d0.Incidents[len(d0.Incidents)/2].ID
	before, after = edited(t, rec, id, "", "Changed again at "+time.Now().UTC().Format(time.RFC3339Nano))
	heapBefore = heapMB()
	peak = peakHeap()
	approved = time.Now()
	if res, err = rec.Edit(ctx, editor, "TestReloadAtScale, the second", store.Edit{File: geo.IncidentsFile, ID: id, Before: before, After: after}); err != nil {
		t.Fatal(err)
	}
	t.Logf("the next approval (the same, the digest from the chunks kept): %s; Go heap %.0f MB before, peak %.0f MB",
		time.Since(approved).Round(time.Millisecond), heapBefore, peak())

	before1 := heapMB()
	var served atomic.Int64
	gs.OnReplace(func(n *geo.Dataset) { served.Store(n.Record) })
	peak = peakHeap()
	follows := time.Now()
	f := follow.Start(rec, gs, follow.Options{})
	defer f.Close()
	for served.Load() != res.Version {
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(follows)
	p := peak()
	t.Logf("the follower served version %d %s after it started following (the old version served until then)", res.Version, took.Round(time.Millisecond))
	t.Logf("Go heap: %.0f MB serving version %d, peak %.0f MB (sampled every 20 ms) while applying, %.0f MB serving version %d (%d incidents)",
		before1, old, p, heapMB(), res.Version, len(gs.Dataset().Incidents))
}
