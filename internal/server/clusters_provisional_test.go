package server

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"strikemap/internal/geo"
)

// forget drops the index of all of d's incidents from the cache, as if it
// had not been built yet.
func (cc *clusterCache) forget(d *geo.Dataset) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if el, ok := cc.byKey[d.Version+"\x00"]; ok {
		cc.order.Remove(el)
		delete(cc.byKey, d.Version+"\x00")
	}
}

// TestClustersProvisional checks that while the dataset's cluster index is
// not built, the clusters endpoint answers at once, provisionally, with
// exact counts and nothing a cache may keep, and that the index is then
// built, so that a later request gets the real clusters.
func TestClustersProvisional(t *testing.T) {
	s := syntheticServer(t, 8000)
	s.warming.Wait()
	d := s.store.Dataset()
	s.clusterCache.forget(d)
	type answer struct {
		clusterFC
		Provisional bool `json:"provisional"`
	}
	ask := func(filter string) (answer, http.Header) {
		t.Helper()
		rec := get(t, s, "/api/clusters.geojson?zoom=6&bbox=30,25,55,40&"+filter)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", filter, rec.Code, rec.Body)
		}
		var a answer
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		return a, rec.Header()
	}
	for _, filter := range []string{"", "weapon=drone&status=confirmed"} {
		a, h := ask(filter)
		if !a.Provisional {
			t.Fatalf("%q: not provisional, with no index built", filter)
		}
		if cc := h.Get("Cache-Control"); cc != "no-store" || h.Get("ETag") != "" {
			t.Errorf("%q: Cache-Control %q, ETag %q: a cache may keep a provisional answer", filter, cc, h.Get("ETag"))
		}
		want := d.Count(mustFilter(t, s, filter))
		total := 0
		ids := map[string]bool{}
		for _, f := range a.Features {
			if ids[f.ID] {
				t.Errorf("%q: feature id %s twice", filter, f.ID)
			}
			ids[f.ID] = true
			if f.Properties.Cluster {
				total += f.Properties.Count
			} else {
				total++
			}
		}
		if a.NumberMatched != want || total != want {
			t.Errorf("%q: numberMatched %d, clusters hold %d; the filter matches %d", filter, a.NumberMatched, total, want)
		}
		if len(a.Features) >= want/4 {
			t.Errorf("%q: %d features for %d incidents: not clustered", filter, len(a.Features), want)
		}
	}
	// The provisional answer started the build: poll for its end.
	deadline := time.Now().Add(2 * time.Minute)
	for !s.clusterCache.ready(d) {
		if time.Now().After(deadline) {
			t.Fatal("the index was not built after a provisional answer")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if a, h := ask(""); a.Provisional || h.Get("ETag") == "" {
		t.Errorf("still provisional (ETag %q) once the index is built", h.Get("ETag"))
	}
}
