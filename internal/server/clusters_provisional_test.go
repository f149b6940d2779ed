package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
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
	// The provisional answers started the build: wait for it to end.
	s.warming.Wait()
	if !s.clusterCache.ready(d) {
		t.Fatal("the index was not built after a provisional answer")
	}
	if a, h := ask(""); a.Provisional || h.Get("ETag") == "" {
		t.Errorf("still provisional (ETag %q) once the index is built", h.Get("ETag"))
	}
}

// TestAnswersWhileClustersBuild holds the build of the dataset's cluster
// index, as if the one a start begins were still running, and asks for
// what the map page's first view asks for: each is answered while the
// build is held, the clusters provisionally. A handler that waited for
// the build would not answer until the test released it.
func TestAnswersWhileClustersBuild(t *testing.T) {
	s := syntheticServer(t, 8000)
	s.warming.Wait()
	d := s.store.Dataset()
	s.clusterCache.forget(d)
	held, release, ended := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		s.clusterCache.builds.Do(d.Version+"\x00", func() (any, error) {
			close(held)
			<-release
			return nil, errors.New("the test's stand-in build")
		})
	}()
	<-held
	defer func() { close(release); <-ended }()
	for _, path := range []string{
		"/healthz",
		"/",
		"/api/clusters.geojson?zoom=5&bbox=30,25,55,42",
		"/api/timeline.json",
		"/api/incidents.geojson?limit=500",
		"/api/bases.geojson",
		"/api/official-counts.json",
	} {
		answered := make(chan *httptest.ResponseRecorder, 1)
		go func() {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			answered <- rec
		}()
		var rec *httptest.ResponseRecorder
		select {
		case rec = <-answered:
		case <-time.After(time.Minute): // not a timing: a handler waiting for the build never answers
			t.Fatalf("%s: no answer while the cluster build runs", path)
		}
		if rec.Code != http.StatusOK {
			t.Errorf("%s: %d %.200s", path, rec.Code, rec.Body)
			continue
		}
		if strings.HasPrefix(path, "/api/clusters") {
			var a struct {
				Provisional bool `json:"provisional"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || !a.Provisional {
				t.Errorf("%s: provisional %v (%v), with the build still running", path, a.Provisional, err)
			}
		}
	}
	if s.clusterCache.ready(d) {
		t.Error("the index was built while the test held its build")
	}
}

// TestProvisionalFirstViewReadsNoPoints holds the reading of the whole
// set's points (what the index is built from), as at a start, when the
// build has begun reading them, and asks for the first view's clusters
// of the whole set: they are answered from the dataset's spatial index
// while the points are held, with the same counts as the grid of every
// point, and cells across the view's edge read point by point. A
// provisional answer that read the whole set's points would wait for
// them, as the first visitor at a million incidents did.
func TestProvisionalFirstViewReadsNoPoints(t *testing.T) {
	s := syntheticServer(t, 8000)
	s.warming.Wait()
	d := s.store.Dataset()
	s.clusterCache.forget(d)
	s.clusterCache.mu.Lock()
	s.clusterCache.whole = nil
	s.clusterCache.mu.Unlock()
	held, release, ended := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		s.clusterCache.builds.Do(d.Version+"\x00points", func() (any, error) {
			close(held)
			<-release
			return &wholeSet{version: d.Version, incidents: d.Select(geo.Filter{}), points: geo.Points(d.Select(geo.Filter{}))}, nil
		})
	}()
	<-held
	defer func() { close(release); <-ended }()
	// bbox edges cut through the index's 0.25° cells, and one at zoom 9 is
	// finer than a cell: both read points.
	for _, q := range []string{"zoom=7&bbox=36.4,32.3,46.6,37.9", "zoom=5&bbox=30,25,55,42", "zoom=9&bbox=43.1,33.1,44.3,34.0", "zoom=2"} {
		answered := make(chan *httptest.ResponseRecorder, 1)
		go func() {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/clusters.geojson?"+q, nil))
			answered <- rec
		}()
		var rec *httptest.ResponseRecorder
		select {
		case rec = <-answered:
		case <-time.After(time.Minute): // not a timing: a handler waiting for the held points never answers
			t.Fatalf("%s: no answer while the whole set's points are held", q)
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %.200s", q, rec.Code, rec.Body)
		}
		var a struct {
			clusterFC
			Provisional bool `json:"provisional"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if !a.Provisional {
			t.Errorf("%s: not provisional", q)
		}
		// The view's incidents, counted one by one.
		vq, _ := url.ParseQuery(q)
		vq.Del("zoom")
		f := parseFilterForTest(t, vq.Encode(), d)
		inView := len(d.Incidents)
		if f.BBox != nil {
			inView = 0
			for i := range d.Incidents {
				if geo.InBBox(*f.BBox, d.Incidents[i].Point) {
					inView++
				}
			}
		}
		total, singles := 0, 0
		for _, ft := range a.Features {
			if ft.Properties.Cluster {
				total += ft.Properties.Count
			} else {
				total++
				singles++
				if ft.ID == "" {
					t.Errorf("%s: a lone incident without its id", q)
				}
			}
		}
		if a.NumberMatched != len(d.Incidents) || total != inView {
			t.Errorf("%s: numberMatched %d (want %d), clusters hold %d of the %d in view", q, a.NumberMatched, len(d.Incidents), total, inView)
		}
		if inView > 0 && len(a.Features) >= inView/2 && !strings.HasPrefix(q, "zoom=9") {
			t.Errorf("%s: %d features for %d incidents: not clustered", q, len(a.Features), inView)
		}
	}
}
