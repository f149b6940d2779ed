package server

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// entries is how many indexes and subsets the cluster cache holds.
func (cc *clusterCache) entries() int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return len(cc.byKey)
}

// TestClusterCacheKey checks that the cluster cache keys an index on the
// filter a request means, not on how its query spells it: the clusters and
// density endpoints and the image export share one subset for one filter
// (lists in any order, as_of naming the version served), and filters that
// select differently never share one.
func TestClusterCacheKey(t *testing.T) {
	t.Parallel()
	s := syntheticServer(t, 14000) // past clusterPageMin, filtered too: the export draws clusters
	s.warming.Wait()
	d := s.store.Dataset()
	ask := func(target string) {
		t.Helper()
		if rec := get(t, s, target); rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	whole := s.clusterCache.entries()
	if whole != 1 {
		t.Fatalf("%d entries after the warm build, want the whole dataset's index alone", whole)
	}

	// One filter, spelt four ways, through three endpoints: one subset.
	for _, target := range []string{
		"/api/clusters.geojson?zoom=3&weapon=drone,rocket",
		"/api/density.geojson?zoom=4&weapon=rocket,drone",
		"/api/export/map.svg?width=400&height=300&weapon=rocket,drone",
		"/api/clusters.geojson?zoom=5&weapon=drone,rocket,drone&as_of=" + url.QueryEscape(d.Version),
	} {
		ask(target)
		if n := s.clusterCache.entries(); n != whole+1 {
			t.Errorf("after %s: %d entries, want %d: the same filter built another index", target, n, whole+1)
		}
	}
	// No filter, with or without as_of: the whole dataset's index.
	ask("/api/clusters.geojson?zoom=3&as_of=" + url.QueryEscape(d.Version))
	ask("/api/export/map.svg?width=400&height=300")
	if n := s.clusterCache.entries(); n != whole+1 {
		t.Errorf("unfiltered requests made %d entries, want %d", n, whole+1)
	}

	// The box of an export is a filter of what it draws (the clusters
	// endpoint's only chooses what it shows): an exported box has its own
	// subset, holding only the incidents inside it.
	// A box holding most incidents, so that the export draws clusters,
	// but not all of them.
	weapons := []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket}
	all := d.Select(geo.Filter{Weapons: weapons})
	bound := orb.MultiPoint(geo.Points(all)).Bound()
	bound.Max[0] = bound.Min[0] + 0.95*(bound.Max[0]-bound.Min[0])
	f := geo.Filter{Weapons: weapons, BBox: &bound}
	if n := len(d.Select(f)); n <= clusterPageMin || n == len(all) {
		t.Fatalf("the box holds %d of %d incidents: want more than %d, not all", n, len(all), clusterPageMin)
	}
	box := fmt.Sprintf("%g,%g,%g,%g", bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1])
	ask("/api/export/map.svg?width=400&height=300&bbox=" + box + "&weapon=drone,rocket")
	if n := s.clusterCache.entries(); n != whole+2 {
		t.Errorf("an export of a box made %d entries, want %d", n, whole+2)
	}
	ask("/api/clusters.geojson?zoom=3&bbox=" + box + "&weapon=rocket,drone")
	if n := s.clusterCache.entries(); n != whole+2 {
		t.Errorf("the clusters of a box made %d entries, want %d: the box is not indexed there", n, whole+2)
	}
	entry, err := s.clusterCache.get(s.life, d, f)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := entry.index.Len(), len(d.Select(f)); got != want {
		t.Errorf("the exported box's index holds %d incidents, want the %d inside it", got, want)
	}
}
