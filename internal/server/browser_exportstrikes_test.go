package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestExportStrikesMatchThePageInBrowser: with the strikes layer on, the
// page's own image download draws the very strikes the page shows for its
// dates, and with the layer off (the page's default) neither draws any.
func TestExportStrikesMatchThePageInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	tb := b.newTab(t, 1280, 800)
	for _, tc := range []struct {
		url string
		on  bool
	}{
		{"/?from=2023-11-01&to=2024-01-31", false},
		{"/?layers=bases,incidents,strikes&from=2023-11-01&to=2024-01-31", true},
		{"/?layers=bases,incidents,strikes&from=2024-02-01&to=2024-02-05", true},
	} {
		t.Run(tc.url, func(t *testing.T) {
			tb.open(tc.url)
			var page []string
			if tc.on {
				page = poll[[]string](tb, `(function () { var m = Array.from(document.querySelectorAll('#map .strike-marker')).map(function (e) { return e.dataset.id; }).sort(); return m.length ? m : null; })()`, 10*time.Second)
			} else if n := eval[int](tb, `document.querySelectorAll('#map .strike-marker').length`); n != 0 {
				t.Fatalf("%d strikes on the page with the layer off", n)
			}
			href := poll[string](tb, `document.getElementById('export-svg').getAttribute('href') || null`, 10*time.Second)
			if i := strings.Index(href, "/api/"); i > 0 {
				href = href[i:]
			}
			rec := get(t, s, href)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", href, rec.Code, rec.Body)
			}
			var image []string
			for id := range svgGroupBoxes(rec.Body.String(), "strike") {
				image = append(image, id)
			}
			slices.Sort(image)
			if !slices.Equal(image, page) {
				t.Errorf("%s draws strikes %v\nthe page shows %v", href, image, page)
			}
		})
	}
	tb.checkClean()
}
