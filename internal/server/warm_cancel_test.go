package server

import (
	"context"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/synth"
)

// TestWarmBuildStops: a warm build whose context is done builds nothing
// (the cluster build gives up), a reload cancels the warm build of the
// dataset it replaces, and Close cancels the server's.
func TestWarmBuildStops(t *testing.T) {
	t.Parallel()
	s := syntheticServer(t, 8000)
	s.warming.Wait()
	d := s.store.Dataset()
	s.clusterCache.forget(d)
	done, cancel := context.WithCancel(context.Background())
	cancel()
	s.warmClusters(done, d)
	s.warming.Wait()
	if s.clusterCache.ready(d) {
		t.Fatal("a cancelled warm build built the clusters")
	}

	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	again, err := synth.Dataset(basesJSON, d.Bases, 6000, 12)
	if err != nil {
		t.Fatal(err)
	}
	// Stand in for the warm build of d, to see the reload cancel it.
	var firstCtx context.Context
	s.warmMu.Lock()
	firstCtx, s.stopWarm = context.WithCancel(s.life)
	stop := s.stopWarm
	s.warmMu.Unlock()
	s.store.Replace(again, time.Now())
	if firstCtx.Err() == nil {
		t.Error("the reload did not cancel the warm build of the dataset it replaced")
	}
	stop()
	s.warming.Wait()
	if !s.clusterCache.ready(again) {
		t.Error("the reloaded dataset's clusters were not built")
	}
	s.Close()
	if s.life.Err() == nil {
		t.Error("Close left the server's builds running")
	}
	s.warm(again)
	s.warming.Wait()
}
