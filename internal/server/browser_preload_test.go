package server

import (
	"slices"
	"testing"
)

// TestStartFetchesPreloadedInBrowser: the map page and the embed preload,
// in their head, the API requests their first render waits for, and the
// script takes the preloaded answers rather than asking again (issue 12,
// usable at 1M in 2 s: without the preloads these requests went out only
// once the modules had run and the map was made, 791 ms into a quiet load
// of the 1M page). A preload whose URL, mode or credentials
// differ from the script's fetch is downloaded twice, which this counts.
// A filtered page asks for filtered bases, which it does not preload; a
// page filtered by base only asks for the bases unfiltered (their
// summaries leave the base filter out), and preloads them.
func TestStartFetchesPreloadedInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, offlineServer(t))
	for _, c := range []struct {
		path          string
		want, without []string
	}{
		{"/", []string{"/api/timeline.json", "/api/bases.geojson"}, nil},
		{"/embed", []string{"/api/timeline.json", "/api/bases.geojson"}, nil},
		{"/?weapon=drone", []string{"/api/timeline.json"}, []string{"/api/bases.geojson"}},
		{"/?base=ain-al-asad", []string{"/api/timeline.json", "/api/bases.geojson"}, nil},
	} {
		t.Run(c.path, func(t *testing.T) {
			tb := b.newTab(t, 1280, 800)
			tb.open(c.path)
			got := eval[[]string](tb, `Array.from(document.head.querySelectorAll('link[rel=preload][as=fetch]')).map(l => new URL(l.href).pathname + new URL(l.href).search)`)
			for _, u := range c.want {
				if !slices.Contains(got, u) {
					t.Errorf("%s: the head does not preload %s (it preloads %v)", c.path, u, got)
				}
				if n := tb.requested(u); n != 1 {
					t.Errorf("%s: %s was requested %d times, want once (the preload taken by the script)", c.path, u, n)
				}
			}
			for _, u := range c.without {
				if slices.Contains(got, u) {
					t.Errorf("%s: the head preloads %s, which this page asks for with another query or not at all", c.path, u)
				}
			}
			tb.checkClean()
		})
	}
}
