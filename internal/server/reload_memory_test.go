package server

import (
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// After three reloads under use the server holds one dataset: the cluster
// cache keeps only the indexes of the version being served, and the
// previous datasets are garbage the collector frees.
func TestReloadsLeaveOneDataset(t *testing.T) {
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	dataset := func(seed uint64) *geo.Dataset {
		d, err := synth.Dataset(basesJSON, shipped.Bases, clusterPageMin+1000, seed)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	store := geo.NewStore(dataset(1), time.Now())
	s := mustNew(t, store, Options{})
	var freed atomic.Int32
	gone := make(chan struct{}, 3) // a previous dataset's incidents were freed
	use := func() {
		s.warming.Wait()
		for _, q := range []string{"zoom=3", "zoom=5&weapon=drone", "zoom=4&status=confirmed"} {
			if rec := get(t, s, "/api/clusters.geojson?"+q); rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", q, rec.Code, rec.Body)
			}
		}
	}
	use()
	for seed := uint64(2); seed <= 4; seed++ {
		old := store.Dataset()
		// The cache's indexes point into the incidents, not at the
		// Dataset: watch the incidents' array.
		runtime.AddCleanup(old.Incidents[0], func(*atomic.Int32) { freed.Add(1); gone <- struct{}{} }, &freed)
		store.Replace(dataset(seed), time.Now())
		use()
	}
	if v := s.clusterCache.versions(); len(v) != 1 || v[store.Dataset().Version] == 0 {
		t.Errorf("after 3 reloads the cluster cache holds indexes of %d versions (%v); want only the one served, %s", len(v), v, store.Dataset().Version)
	}
	// Cleanups run on their own goroutine after a collection: collect
	// again until the three have run (each says so at once), for at most
	// a generous while, then say how many datasets are still held.
	deadline := time.After(10 * time.Second)
collect:
	for freed.Load() < 3 {
		runtime.GC()
		select {
		case <-gone:
		case <-time.After(50 * time.Millisecond): // not yet collectable: collect again
		case <-deadline:
			break collect
		}
	}
	if n := freed.Load(); n != 3 {
		t.Errorf("after 3 reloads %d of the 3 previous datasets were freed; the heap still holds %d", n, 1+3-n)
	}
	runtime.KeepAlive(s) // the server, and its cache, live on through the check
}
