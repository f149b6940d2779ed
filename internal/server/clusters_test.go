package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/request"
	"strikemap/internal/synth"
)

// syntheticServer serves n synthetic incidents round the shipped bases.
func syntheticServer(t *testing.T, n int) *Server {
	t.Helper()
	return mustNew(t, geo.NewStore(syntheticDataset(t, n), time.Now()), Options{Basemap: data.Basemap})
}

type clusterFC struct {
	NumberMatched int `json:"numberMatched"`
	Features      []struct {
		ID         string
		Properties struct {
			Cluster bool `json:"cluster"`
			Count   int  `json:"count"`
		} `json:"properties"`
	} `json:"features"`
}

func TestClusterCountsAreExact(t *testing.T) {
	t.Parallel() // its own server on a shared, read-only synthetic set
	s := syntheticServer(t, 3000)
	for _, filter := range []string{"", "weapon=drone", "status=confirmed&from=2020-01-01&to=2022-12-31", "base=ain-al-asad,al-tanf"} {
		want := s.store.Dataset().Count(mustFilter(t, s, filter))
		for zoom := 0; zoom <= 18; zoom += 3 {
			rec := get(t, s, fmt.Sprintf("/api/clusters.geojson?zoom=%d&%s", zoom, filter))
			if rec.Code != http.StatusOK {
				t.Fatalf("%s zoom %d: %d %s", filter, zoom, rec.Code, rec.Body)
			}
			var fc clusterFC
			if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, f := range fc.Features {
				if f.Properties.Cluster {
					total += f.Properties.Count
				} else {
					total++
				}
			}
			if total != want || fc.NumberMatched != want {
				t.Errorf("%q zoom %d: clusters hold %d incidents (numberMatched %d), the filter matches %d", filter, zoom, total, fc.NumberMatched, want)
			}
		}
	}
	for _, bad := range []string{"zoom=-1", "zoom=21", "zoom=x", "bbox=1,2", "weapon=laser", "limit=5"} {
		if rec := get(t, s, "/api/clusters.geojson?"+bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
}

func mustFilter(t *testing.T, s *Server, query string) geo.Filter {
	t.Helper()
	rec := get(t, s, "/api/timeline.json?"+query)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d", query, rec.Code)
	}
	var tl struct{ Total int }
	if err := json.Unmarshal(rec.Body.Bytes(), &tl); err != nil {
		t.Fatal(err)
	}
	// The timeline counts with the same filter code as the clusters: check
	// it against a brute-force count too.
	d := s.store.Dataset()
	n := 0
	parsed := parseFilterForTest(t, query, d)
	for i := range d.Incidents {
		if parsed.Match(d.Incidents[i]) {
			n++
		}
	}
	if n != tl.Total {
		t.Fatalf("%s: timeline total %d, brute force %d", query, tl.Total, n)
	}
	return parsed
}

func parseFilterForTest(t *testing.T, query string, d *geo.Dataset) geo.Filter {
	t.Helper()
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	f, err := request.Filter(q, d)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestMapPageClustersLargeSets(t *testing.T) {
	t.Parallel()
	requireBrowser(t) // before building the server
	s := syntheticServer(t, 8000)
	// The index built, so that the page draws no provisional clusters,
	// which it would redraw on a timer of its own: the server starts
	// building it as it starts (warmClusters), and the test waits for that.
	s.warming.Wait()
	if !s.clusterCache.ready(s.store.Dataset()) {
		t.Fatal("the cluster index was not built as the server started")
	}
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	poll[bool](tb, `document.querySelectorAll('#cluster-keys .cluster-key').length > 0`, 20*time.Second)
	tb.settle()
	// A filter change redraws the clusters, then the bases: the labels
	// are placed once for the redraw, not once for each layer (each
	// placement lays the page out; at a million incidents, two and three
	// times per click).
	placements := `Number(document.querySelector('.pane-labels').dataset.placements)`
	renders := `Number(document.body.dataset.renders)`
	p0, r0 := eval[int](tb, placements), eval[int](tb, renders)
	tb.run(chromedp.Click(chromedp.CSS(`input[name=weapon][value=drone]`)))
	poll[bool](tb, fmt.Sprintf(`%s > %d && document.body.dataset.busy === '0'`, renders, r0), 20*time.Second)
	if p := eval[int](tb, placements); p != p0+1 {
		t.Errorf("the labels were placed %d times for one filter change, want once", p-p0)
	}
	if count := eval[string](tb, `document.getElementById('incident-count').textContent`); !strings.Contains(count, "clustered") {
		t.Fatalf("without drones the count reads %q, want clusters still", count)
	}
	tb.run(chromedp.Click(chromedp.CSS(`input[name=weapon][value=drone]`)))
	poll[bool](tb, fmt.Sprintf(`%s > %d && document.body.dataset.busy === '0'`, renders, r0+1), 20*time.Second)
	// Clusters are drawn on a canvas, and listed as buttons.
	if n := eval[int](tb, `document.querySelectorAll('#map canvas').length`); n == 0 {
		t.Error("no canvas for the clusters")
	}
	count := eval[string](tb, `document.getElementById('incident-count').textContent`)
	if count != "8,000 incidents (clustered on the map)" {
		t.Errorf("count reads %q", count)
	}
	if rows := eval[int](tb, `document.querySelectorAll('#incident-list tbody tr[data-id]').length`); rows != 500 {
		t.Errorf("%d list rows, want the first 500", rows)
	}
	// A filter small enough to draw brings the points back.
	tb.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name=base]').forEach(function (i) { i.checked = i.value === 'tower-22'; }); document.getElementById('filters').dispatchEvent(new Event('change'))`))
	tb.settle()
	want := apiIDs(t, b.server.URL, "base=tower-22")
	if len(want) > 5000 || len(want) == 0 {
		t.Fatalf("tower-22 has %d incidents", len(want))
	}
	equalIDs(t, "tower-22 only", tb.markers(), want)
	// Back to everything: a click on a cluster's circle zooms in...
	zoom := `Number(new URLSearchParams(location.search).get('map').split('/')[0])`
	tb.run(chromedp.Click(chromedp.CSS(`#reset`)))
	tb.settle()
	poll[bool](tb, `document.querySelectorAll('#cluster-keys .cluster-key').length > 0`, 20*time.Second)
	before := eval[float64](tb, zoom)
	// A cluster a reader can click: one whose centre shows the clusters'
	// canvas, not a base's symbol or label drawn over it (twelve bases now).
	at := eval[[]float64](tb, `(function () {
		var r = document.getElementById('map').getBoundingClientRect();
		var keys = Array.from(document.querySelectorAll('#cluster-keys .cluster-key'));
		for (var i = 0; i < keys.length; i++) {
			var x = r.left + Number(keys[i].dataset.x), y = r.top + Number(keys[i].dataset.y), e = document.elementFromPoint(x, y);
			if (e && e.closest('.pane-clusters')) { return [x, y]; }
		}
		return [r.left + Number(keys[0].dataset.x), r.top + Number(keys[0].dataset.y)];
	})()`)
	tb.run(chromedp.MouseClickXY(at[0], at[1]))
	poll[bool](tb, fmt.Sprintf(`%s > %v`, zoom, before), 10*time.Second)
	tb.settle()
	// ... and so does the keyboard, through the list of clusters.
	poll[bool](tb, `document.querySelectorAll('#cluster-keys .cluster-key').length > 0`, 20*time.Second)
	before = eval[float64](tb, zoom)
	tb.run(chromedp.Focus(chromedp.CSS(`#cluster-keys .cluster-key`)))
	if visible := eval[bool](tb, `document.getElementById('cluster-keys').getBoundingClientRect().width > 50`); !visible {
		t.Error("the list of clusters stays hidden when a button in it has focus")
	}
	tb.run(chromedp.KeyEvent("\r"))
	poll[bool](tb, fmt.Sprintf(`%s > %v`, zoom, before), 10*time.Second)
	tb.checkClean()
}

// cached reports whether the cluster cache holds the index of d's
// incidents for the filter key.
func (cc *clusterCache) cached(d *geo.Dataset, key string) bool {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	_, ok := cc.byKey[d.Version+"\x00"+key]
	return ok
}

// TestClustersWarmed checks that the clusters of a whole dataset too large
// to draw are built when it is loaded and when it is reloaded, before any
// request, and not for one small enough to draw. It waits for the builds
// warmClusters started, not for a while.
func TestClustersWarmed(t *testing.T) {
	t.Parallel()
	s := syntheticServer(t, 8000)
	d := s.store.Dataset()
	built := func(s *Server, d *geo.Dataset) bool {
		t.Helper()
		s.warming.Wait()
		return s.clusterCache.cached(d, "")
	}
	if !built(s, d) {
		t.Fatalf("the clusters of dataset %s were not built at start", d.Version)
	}
	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	again, err := synth.Dataset(basesJSON, d.Bases, 6000, 12)
	if err != nil {
		t.Fatal(err)
	}
	s.store.Replace(again, time.Now())
	if !built(s, again) {
		t.Fatalf("the clusters of the reloaded dataset %s were not built", again.Version)
	}

	small := mustNew(t, geo.NewStore(again, time.Now()), Options{Basemap: data.Basemap})
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	small.store.Replace(shipped, time.Now())
	if built(small, shipped) {
		t.Error("clusters built for a dataset small enough to draw")
	}
}
