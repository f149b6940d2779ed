package server

import (
	"regexp"
	"slices"
	"testing"

	"strikemap/web/static"
)

// TestMapPagePreloadsItsModules: the map page's head preloads exactly the
// modules main.js imports, directly or through another module, at the URLs
// the imports resolve to. A module missing from the head is fetched a
// round trip late, after the main thread has parsed the one importing it;
// a preload no module imports is a wasted download.
func TestMapPagePreloadsItsModules(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^import .* from '\./([a-z]+\.js)';`)
	want := map[string]bool{}
	var walk func(name string)
	walk = func(name string) {
		src, err := static.FS.ReadFile("js/map/" + name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, m := range imports.FindAllStringSubmatch(string(src), -1) {
			if u := "/static/js/map/" + m[1]; !want[u] {
				want[u] = true
				walk(m[1])
			}
		}
	}
	walk("main.js")
	if len(want) < 10 {
		t.Fatalf("found %d imports in main.js's graph; the pattern no longer reads them", len(want))
	}
	s := offlineServer(t)
	for _, path := range []string{"/", "/embed"} {
		var got []string
		for _, n := range doc(t, get(t, s, path)).Find(`head link[rel=modulepreload]`).Nodes {
			for _, a := range n.Attr {
				if a.Key == "href" {
					got = append(got, a.Val)
				}
			}
		}
		slices.Sort(got)
		var w []string
		for u := range want {
			w = append(w, u)
		}
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("%s preloads %v;\nmain.js imports %v", path, got, w)
		}
	}
}
