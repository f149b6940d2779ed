package server

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"strikemap/data"
	"strikemap/internal/geo"
)

// layersServer serves n synthetic incidents round the shipped bases (the
// embedded 12 when n is 0), with tiles from tileURL or, when it is "", the
// offline basemap only (-tiles off).
func layersServer(t *testing.T, n int, tileURL string) *Server {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		d = syntheticDataset(t, n)
	}
	o := Options{Basemap: data.Basemap}
	if tileURL != "" {
		o.TileURL, o.TileAttribution = tileURL, "test tiles"
	}
	return mustNew(t, geo.NewStore(d, time.Now()), o)
}

// greenTiles serves opaque green tiles: whatever they cover is hidden.
func greenTiles(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:], []byte{40, 170, 60, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	tile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(buf.Bytes())
	}))
	t.Cleanup(tile.Close)
	return tile.URL + "/{z}/{x}/{y}.png"
}

// viewport takes a screenshot of what the tab shows.
func (tb *tab) viewport() image.Image {
	tb.t.Helper()
	shot := value(tb, chromedp.CaptureScreenshot())
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		tb.t.Fatal(err)
	}
	return img
}

func rgb(c color.Color) (r, g, b int) {
	r32, g32, b32, _ := c.RGBA()
	return int(r32 >> 8), int(g32 >> 8), int(b32 >> 8)
}

// clusterBlue reports whether a pixel is a cluster's fill (#0b57d0 at 85 %
// over whatever is under it).
func clusterBlue(c color.Color) bool {
	r, g, b := rgb(c)
	return b > 150 && r < 100 && b > g+50
}

// dark reports whether a pixel is the links' ink (the page's text colour).
func dark(c color.Color) bool {
	r, g, b := rgb(c)
	return r+g+b < 3*90
}

// clusterSamples returns, for each cluster drawn, a point inside its disc
// below its count, as viewport pixels, leaving out those a marker or label
// covers (bases and their names are drawn above clusters).
const clusterSamples = `(function () {
  var m = document.getElementById('map').getBoundingClientRect();
  var covers = Array.from(document.querySelectorAll('#map .leaflet-marker-icon, #map .leaflet-tooltip, #map .leaflet-control')).map(function (e) { return e.getBoundingClientRect(); });
  return Array.from(document.querySelectorAll('#cluster-keys .cluster-key[data-count]')).map(function (b) {
    return [m.left + Number(b.dataset.x), m.top + Number(b.dataset.y) + 8];
  }).filter(function (p) {
    return p[0] > m.left && p[0] < m.right && p[1] > m.top && p[1] < m.bottom &&
      !covers.some(function (r) { return p[0] >= r.left - 1 && p[0] <= r.right + 1 && p[1] >= r.top - 1 && p[1] <= r.bottom + 1; });
  });
})()`

// linkSamples returns points every 2 px along each incident link, as
// viewport pixels, one list a link.
const linkSamples = `(function () {
  return Array.from(document.querySelectorAll('#map path.incident-link')).map(function (p) {
    var ctm = p.getScreenCTM(), n = p.getTotalLength(), out = [];
    for (var s = 0; s <= n; s += 2) {
      var q = p.getPointAtLength(s);
      out.push([ctm.a * q.x + ctm.c * q.y + ctm.e, ctm.b * q.x + ctm.d * q.y + ctm.f]);
    }
    return out;
  }).filter(function (l) { return l.length > 8; }).slice(0, 300);
})()`

// TestLayersStackInBrowser: whatever basemap is chosen, the clusters and
// the links are drawn above it, where a reader sees them (issue 12, bug
// 1: with -tiles off the offline basemap was painted over the clusters'
// canvas and the links). It reads the pixels of a screenshot.
func TestLayersStackInBrowser(t *testing.T) {
	t.Parallel()
	tiles := greenTiles(t)
	for _, tc := range []struct{ name, tileURL string }{{"offline", ""}, {"tiles", tiles}} {
		t.Run(tc.name+"/clusters", func(t *testing.T) {
			b := newBrowser(t, layersServer(t, 8000, tc.tileURL))
			tb := b.newTab(t, 1280, 800)
			tb.open("/")
			poll[bool](tb, `document.querySelectorAll('#cluster-keys .cluster-key').length > 0`, 20*time.Second)
			if tc.tileURL != "" {
				poll[bool](tb, `document.querySelectorAll('#map .leaflet-tile-loaded').length > 0`, 20*time.Second)
			}
			samples := eval[[][2]float64](tb, clusterSamples)
			if len(samples) < 5 {
				t.Fatalf("only %d clusters to look at", len(samples))
			}
			img := tb.viewport()
			hidden := 0
			for _, p := range samples {
				if c := img.At(int(p[0]), int(p[1])); !clusterBlue(c) {
					hidden++
					if hidden <= 5 {
						r, g, bl := rgb(c)
						t.Errorf("cluster at %.0f,%.0f: the pixel in its disc is rgb(%d,%d,%d), not its blue: something is drawn over it", p[0], p[1], r, g, bl)
					}
				}
			}
			if hidden > 0 {
				t.Errorf("%d of %d clusters are hidden", hidden, len(samples))
			}
			tb.checkClean()
		})
		t.Run(tc.name+"/links", func(t *testing.T) {
			// Few enough incidents to be drawn as points, so links are
			// drawn; the links alone, so that no marker covers them.
			b := newBrowser(t, layersServer(t, 1000, tc.tileURL))
			tb := b.newTab(t, 1280, 800)
			tb.open("/?layers=links")
			if tc.tileURL != "" {
				poll[bool](tb, `document.querySelectorAll('#map .leaflet-tile-loaded').length > 0`, 20*time.Second)
			}
			links := eval[[][][2]float64](tb, linkSamples)
			if len(links) == 0 {
				t.Fatal("no incident link drawn at this view")
			}
			img := tb.viewport()
			for i, l := range links {
				inked := 0
				for _, p := range l {
					if dark(img.At(int(p[0]+0.5), int(p[1]+0.5))) {
						inked++
					}
				}
				// Dashed 4 on 4: about half the points fall on ink.
				if inked*4 < len(l) {
					t.Errorf("link %d: %d of %d points along it show its ink: it is hidden", i, inked, len(l))
				}
			}
			tb.checkClean()
		})
	}
}

// tabStops lists what the Tab key reaches, outside the incident list (the
// list's own Tab stops are its rows' Show buttons, counted apart).
const tabStops = `(function () {
  var all = Array.from(document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]'));
  var stops = all.filter(function (e) {
    if (e.tabIndex < 0 || e.disabled || e.closest('[hidden], [inert]')) { return false; }
    var s = getComputedStyle(e);
    if (s.visibility === 'hidden' || s.display === 'none') { return false; }
    // Only what is in the page's layout (the clusters' list is clipped,
    // not hidden, and counts).
    return e.getClientRects().length > 0;
  });
  return {
    list: stops.filter(function (e) { return e.closest('#incident-list'); }).length,
    rest: stops.filter(function (e) { return !e.closest('#incident-list'); }).map(function (e) {
      return (e.closest('#cluster-keys') ? 'cluster list' : e.closest('#map') ? 'map' : 'page') + ': ' + (e.getAttribute('aria-label') || e.title || e.textContent || e.name || e.id || e.tagName).trim().slice(0, 40);
    })
  };
})()`

// checkClustersRead checks the map page with 200,000 incidents at the
// default view (TestFirstView200kInBrowser): the clusters' discs must not
// overlap, their buttons must say where they are and how many they hold,
// and the Tab key must not walk through hundreds of them (issue 12: 647
// cluster buttons named by coordinates, over 1,200 Tab stops). It moves the
// focus: run it after the checks that only read.
func checkClustersRead(t *testing.T, tb *tab) {
	t.Helper()
	poll[bool](tb, `document.querySelectorAll('#cluster-keys .cluster-key').length > 0`, 50*time.Second)
	type disc struct {
		X, Y, R float64
		Name    string
	}
	// The list holds the clusters (with their counts), then the
	// single incidents and stacks.
	discs := eval[[]disc](tb, `Array.from(document.querySelectorAll('#cluster-keys .cluster-key[data-count]')).map(function (b) {
		return {X: Number(b.dataset.x), Y: Number(b.dataset.y), R: Number(b.dataset.r), Name: b.textContent};
	})`)
	if len(discs) < 3 {
		t.Fatalf("%d clusters", len(discs))
	}
	// Each disc has a 2 px white rim (1 px outside its radius);
	// centres are rounded to the pixel.
	overlaps := 0
	for i := range discs {
		for j := i + 1; j < len(discs); j++ {
			a, c := discs[i], discs[j]
			if d := math.Hypot(a.X-c.X, a.Y-c.Y); d+1 < a.R+c.R+2 {
				overlaps++
				if overlaps <= 5 {
					t.Errorf("clusters %q at %v,%v (r %v) and %q at %v,%v (r %v) overlap: %.1f px apart", a.Name, a.X, a.Y, a.R, c.Name, c.X, c.Y, c.R, d)
				}
			}
		}
	}
	if overlaps > 0 {
		t.Errorf("%d pairs of the %d clusters overlap", overlaps, len(discs))
	}
	named := regexp.MustCompile(`^(Near .+|[0-9,]+ km from .+): [0-9]{1,3}(,[0-9]{3})* incidents$`)
	for _, d := range discs {
		if !named.MatchString(d.Name) {
			t.Errorf("cluster button %q does not name its place and count", d.Name)
			break
		}
	}
	// The panel has some 27 controls (skip link, dates, play, 4
	// weapons, 3 statuses, 6 targets, reset, 6 downloads, embed),
	// the map a dozen (itself, zoom, layers, attribution, 6 bases),
	// and what the map draws one: the list of its clusters and
	// incidents. 60 leaves room for more bases or downloads.
	stops := eval[struct {
		List int
		Rest []string
	}](tb, tabStops)
	if len(stops.Rest) >= 60 {
		t.Errorf("%d Tab stops outside the incident list, want under 60: %v", len(stops.Rest), stops.Rest)
	}
	t.Logf("%d Tab stops outside the incident list, %d in it", len(stops.Rest), stops.List)
	// The list of clusters is one Tab stop; the arrow keys walk it.
	tb.run(chromedp.Focus(chromedp.CSS(`#cluster-keys .cluster-key[tabindex="0"]`)), chromedp.KeyEvent(kb.ArrowDown))
	if got := eval[string](tb, `document.activeElement.textContent`); got != discs[1].Name {
		t.Errorf("ArrowDown in the clusters' list moved to %q, want the second, %q", got, discs[1].Name)
	}
}

// TestStacksFanOutInBrowser: incidents that share a place are drawn at it,
// with their count, and a click fans them out, each one apart and opening
// its own popup (issue 12: they were spread on rings of pixels, tens of
// kilometres away at a small zoom).
func TestStacksFanOutInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, layersServer(t, 0, ""))
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	// Ain al-Asad's incidents (22 in the campaign's data) are at the base's
	// own point: every one must be in its stack, and fan out apart.
	ids := apiIDs(t, b.server.URL, "base=ain-al-asad")
	if len(ids) < 5 {
		t.Fatalf("Ain al-Asad has %d incidents, want a stack of at least 5", len(ids))
	}
	n := len(ids)
	first := `.incident-stack:has(.incident-marker[data-id="` + ids[0] + `"])`
	got := eval[map[string]any](tb, `(function () {
		var stack = document.querySelector('`+first+`'), icon = stack.closest('.leaflet-marker-icon');
		var base = document.querySelector('.base-marker[data-id="ain-al-asad"]').closest('.leaflet-marker-icon');
		var c = function (e) { var r = e.getBoundingClientRect(); return [(r.left + r.right) / 2, (r.top + r.bottom) / 2]; };
		return {members: stack.querySelectorAll('.incident-marker').length, count: stack.querySelector('.stack-count').textContent, at: c(icon), base: c(base)};
	})()`)
	at, base := got["at"].([]any), got["base"].([]any)
	if d := math.Hypot(at[0].(float64)-base[0].(float64), at[1].(float64)-base[1].(float64)); d > 1 {
		t.Errorf("the stack is drawn %.1f px from its place (the base's point)", d)
	}
	if got["members"].(float64) != float64(n) || got["count"] != strconv.Itoa(n) {
		t.Errorf("the stack holds %v incidents and says %q, want %d", got["members"], got["count"], n)
	}
	tb.run(chromedp.Click(chromedp.CSS(first + ` .stack-count`)))
	type mark struct {
		ID   string
		X, Y float64
	}
	fan := poll[[]mark](tb, `(function () {
		var m = Array.from(document.querySelectorAll('#map .incident-icon:not(.stack-icon) .incident-marker')).map(function (e) {
			var r = e.getBoundingClientRect(); return {ID: e.dataset.id, X: (r.left + r.right) / 2, Y: (r.top + r.bottom) / 2};
		});
		return m.length === `+strconv.Itoa(n)+` && document.querySelectorAll('#map path.fan-leg').length === `+strconv.Itoa(n)+` ? m : null;
	})()`, 10*time.Second)
	bx, by := base[0].(float64), base[1].(float64)
	for i, m := range fan {
		if d := math.Hypot(m.X-bx, m.Y-by); d < 20 {
			t.Errorf("fanned-out %s is %.1f px from the place, under its base's symbol", m.ID, d)
		}
		for _, o := range fan[:i] {
			if d := math.Hypot(m.X-o.X, m.Y-o.Y); d < 20 {
				t.Errorf("fanned-out %s and %s are %.1f px apart", m.ID, o.ID, d)
			}
		}
	}
	// One opens its popup (TestMapPageInBrowser's popup test opens one
	// of Harir's two the same way).
	tb.run(chromedp.Click(chromedp.CSS(`#map .incident-icon:not(.stack-icon):has(.incident-marker[data-id="` + ids[0] + `"])`)))
	poll[bool](tb, `!!document.querySelector('.incident-popup[data-id="`+ids[0]+`"]')`, 10*time.Second)
	tb.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('.leaflet-popup-close-button').click()`))
	// A click on the map folds them back.
	r := eval[[]float64](tb, `(function () { var r = document.getElementById('map').getBoundingClientRect(); return [r.left + 40, r.bottom - 80]; })()`)
	tb.run(chromedp.MouseClickXY(r[0], r[1]))
	poll[bool](tb, `!!document.querySelector('`+first+`') && !document.querySelector('#map path.fan-leg')`, 10*time.Second)
	tb.checkClean()
}

// TestDensityLayerInBrowser: the density layer is a choice in the layer
// control and the URL, and draws the server's hexagons under the clusters.
func TestDensityLayerInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, layersServer(t, 8000, ""))
	tb := b.newTab(t, 1280, 800)
	tb.open("/")
	tb.run(chromedp.Evaluate[chromedp.Void](`Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).find(function (l) { return /Density/.test(l.textContent); }).querySelector('input').click()`))
	poll[bool](tb, `/(^|,)density(,|$)/.test(new URLSearchParams(location.search).get('layers') || '')`, 10*time.Second)
	painted := func(tb *tab) int {
		return poll[int](tb, `(function () {
			var c = document.querySelector('#map .pane-density canvas');
			if (!c || !(Number(document.getElementById('map').dataset.density) > 0)) { return 0; }
			var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;
			for (var i = 3; i < d.length; i += 16) { if (d[i] > 0) { n++; } }
			return n;
		})()`, 20*time.Second)
	}
	if n := painted(tb); n < 100 {
		t.Errorf("the density layer painted %d pixels", n)
	}
	// The URL reopens it.
	again := b.newTab(t, 1280, 800)
	again.open("/" + eval[string](tb, `location.search`))
	if n := painted(again); n < 100 {
		t.Errorf("reopened from its URL, the density layer painted %d pixels", n)
	}
	tb.checkClean()
	again.checkClean()
}
