package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"strikemap/internal/cluster"
	"strikemap/internal/geo"
	"strikemap/web/templates"
)

// TestMapConfigCarriesGeosVocabulary: the page's script writes no word,
// label or threshold of its own, so the config it reads must carry exactly
// geo's vocabularies with their labels, and the server's thresholds.
func TestMapConfigCarriesGeosVocabulary(t *testing.T) {
	s := offlineServer(t)
	for _, path := range []string{"/", "/embed"} {
		t.Run(path, func(t *testing.T) {
			raw := doc(t, get(t, s, path)).Find("script#map-config").Text()
			var cfg templates.MapConfig
			if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
				t.Fatalf("map-config %q: %v", raw, err)
			}
			checkTerms(t, "weapons", cfg.Weapons, geo.Weapons())
			checkTerms(t, "statuses", cfg.Statuses, geo.Statuses())
			checkTerms(t, "source kinds", cfg.SourceKinds, geo.SourceKinds())
			if cfg.Statuses[0].Word != geo.StatusConfirmed.String() {
				t.Errorf("statuses start with %q, want the strongest first", cfg.Statuses[0].Word)
			}
			if cfg.PointLimit != clusterPageMin || cfg.ClusterMaxZoom != cluster.DefaultOptions().MaxZoom || cfg.ListLimit != listLimit {
				t.Errorf("pointLimit %d, clusterMaxZoom %d, listLimit %d; want %d, %d, %d",
					cfg.PointLimit, cfg.ClusterMaxZoom, cfg.ListLimit, clusterPageMin, cluster.DefaultOptions().MaxZoom, listLimit)
			}
			// The page asks for pointLimit+1 incidents to learn there are more.
			if cfg.PointLimit+1 > 10000 {
				t.Errorf("pointLimit %d: the API pages at most 10000", cfg.PointLimit)
			}
		})
	}
}

func checkTerms[T interface {
	geo.Term
	Label() string
}](t *testing.T, what string, got []templates.Term, vocabulary []T) {
	t.Helper()
	var want []templates.Term
	for _, v := range vocabulary {
		if v.Label() == "" {
			t.Errorf("%s: %q has no label", what, v)
		}
		want = append(want, templates.Term{Word: v.String(), Label: v.Label()})
	}
	sortTerms := func(ts []templates.Term) []templates.Term {
		ts = slices.Clone(ts)
		slices.SortFunc(ts, func(a, b templates.Term) int {
			if a.Word < b.Word {
				return -1
			}
			if a.Word > b.Word {
				return 1
			}
			return 0
		})
		return ts
	}
	if !slices.Equal(sortTerms(got), sortTerms(want)) {
		t.Errorf("config's %s %v, want geo's %v", what, got, want)
	}
}

// TestMapModulesRevalidate: the page's modules import each other by plain
// relative URLs, which carry no asset version, so they must not be cached
// unchecked: a new main.js must never run with an old state.js.
func TestMapModulesRevalidate(t *testing.T) {
	s := offlineServer(t)
	rec := get(t, s, "/static/js/map/state.js")
	etag := rec.Header().Get("ETag")
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-cache" || etag == "" {
		t.Fatalf("state.js: %d, Cache-Control %q, ETag %q", rec.Code, rec.Header().Get("Cache-Control"), etag)
	}
	if rec := get(t, s, "/static/js/map/state.js", "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("state.js with If-None-Match %s: %d, want 304", etag, rec.Code)
	}
}
