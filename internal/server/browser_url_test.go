package server

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// mercatorPx is where a point is in Web Mercator pixels at zoom z (256 px
// tiles), as Leaflet draws it.
func mercatorPx(lat, lon, z float64) (x, y float64) {
	scale := 256 * math.Exp2(z)
	s := math.Sin(lat * math.Pi / 180)
	return scale * (lon + 180) / 360, scale * (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi))
}

// viewParam reads map=z/lat/lon from a URL or query string.
func viewParam(t *testing.T, what, raw string) (z, lat, lon float64) {
	t.Helper()
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[i+1:]
	}
	q, err := url.ParseQuery(strings.ReplaceAll(raw, "&amp;", "&"))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	parts := strings.Split(q.Get("map"), "/")
	if len(parts) != 3 {
		t.Fatalf("%s has no map=z/lat/lon: %s", what, raw)
	}
	v := make([]float64, 3)
	for i, p := range parts {
		if v[i], err = strconv.ParseFloat(p, 64); err != nil {
			t.Fatalf("%s: map=%s: %v", what, q.Get("map"), err)
		}
	}
	return v[0], v[1], v[2]
}

// checkURLMatchesView puts each base where the URL's map=z/lat/lon says it
// is (the view a shared link opens) and compares with where the page drew
// it: a reader sees the difference as the map jumping. The embed snippet
// and the image links must name the same view.
func checkURLMatchesView(tb *tab, what string) {
	t := tb.t
	t.Helper()
	loc := eval[string](tb, `location.search`)
	z, lat, lon := viewParam(t, what+": the URL", loc)
	cx, cy := mercatorPx(lat, lon, z)
	drawn := eval[[]map[string]float64](tb, `(function () {
		var m = document.getElementById('map').getBoundingClientRect();
		return Array.from(document.querySelectorAll('#map .base-marker')).map(function (e) {
			// A symbol that would cover another base's is drawn a few
			// pixels off its place (maplabels.js spreads them, moving
			// the icon's anchor, and says by how much in data-offset):
			// where the marker stands is its box's centre less that.
			var r = e.getBoundingClientRect();
			var icon = e.closest('.leaflet-marker-icon') || e, off = (icon.dataset.offset || e.dataset.offset || '0,0').split(',').map(Number), ox = off[0], oy = off[1];
			return {x: r.left + r.width / 2 - ox - m.left, y: r.top + r.height / 2 - oy - m.top, w: m.width, h: m.height};
		});
	})()`)
	if len(drawn) == 0 {
		t.Fatalf("%s: no base marker", what)
	}
	ids := eval[[]string](tb, `Array.from(document.querySelectorAll('#map .base-marker')).map(e => e.dataset.id)`)
	for i, id := range ids {
		blat, blon := basePoint(t, tb.base, id)
		bx, by := mercatorPx(blat, blon, z)
		wantX, wantY := drawn[i]["w"]/2+bx-cx, drawn[i]["h"]/2+by-cy
		if dx, dy := drawn[i]["x"]-wantX, drawn[i]["y"]-wantY; math.Hypot(dx, dy) > 2 {
			t.Errorf("%s: base %s is drawn at (%.0f, %.0f); the URL's map=%v/%v/%v puts it at (%.0f, %.0f)",
				what, id, drawn[i]["x"], drawn[i]["y"], z, lat, lon, wantX, wantY)
			break
		}
	}
	links := map[string]string{
		"the PNG download":   eval[string](tb, `document.getElementById('export-png').getAttribute('href') || ''`),
		"the SVG download":   eval[string](tb, `document.getElementById('export-svg').getAttribute('href') || ''`),
		"the embed snippet":  "",
		"the embed's image":  "",
		"the embed's opener": "",
	}
	// A script click: on a phone the button is in the closed drawer.
	tb.run(chromedp.Evaluate[chromedp.Void](`document.getElementById('embed-open').click()`))
	code := eval[string](tb, `document.getElementById('embed-code').value`)
	if i := strings.Index(code, `src="`); i >= 0 {
		links["the embed snippet"] = code[i+5 : i+5+strings.IndexByte(code[i+5:], '"')]
	}
	links["the embed's image"] = eval[string](tb, `document.getElementById('embed-image').getAttribute('href') || ''`)
	links["the embed's opener"] = eval[string](tb, `document.getElementById('embed-preview').getAttribute('href') || ''`)
	tb.run(chromedp.Evaluate[chromedp.Void](`document.getElementById('embed-dialog').close()`))
	links["the URL"] = loc
	for name, href := range links {
		checkPlainQuery(t, what+": "+name, href)
		lz, llat, llon := viewParam(t, what+": "+name, href)
		if lz != z || llat != lat || llon != lon {
			t.Errorf("%s: %s names map=%v/%v/%v, the URL map=%v/%v/%v", what, name, lz, llat, llon, z, lat, lon)
		}
	}
}

// checkPlainQuery: a link as written (not as a URL parser reads it) says
// map=9/33.8/42.44 and weapon=drone,rocket, not 9%2F33.8%2F42.44: "/", ","
// and ":" need no escape in a query, and a reader copies what they see.
func checkPlainQuery(t *testing.T, what, raw string) {
	t.Helper()
	for _, esc := range []string{"%2F", "%2C", "%3A", "%2f", "%2c", "%3a"} {
		if strings.Contains(raw, esc) {
			t.Errorf("%s writes %s for what needs no escape: %s", what, esc, raw)
			return
		}
	}
}

// basePoint asks the API where a base is.
func basePoint(t *testing.T, base, id string) (lat, lon float64) {
	t.Helper()
	var fc struct {
		Features []struct {
			Geometry struct{ Coordinates [2]float64 }
		}
	}
	getJSONInto(t, base+"/api/bases.geojson?base="+id, &fc)
	if len(fc.Features) != 1 {
		t.Fatalf("base %s: %d features", id, len(fc.Features))
	}
	return fc.Features[0].Geometry.Coordinates[1], fc.Features[0].Geometry.Coordinates[0]
}

func getJSONInto(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}

// waitStill waits until the URL has changed from before and the map has
// stopped moving: no animation, and the markers where they were a poll ago.
func waitStill(tb *tab, before string) {
	tb.t.Helper()
	poll[bool](tb, fmt.Sprintf(`(function () {
		var pos = Array.from(document.querySelectorAll('#map .base-marker')).map(function (e) { var r = e.getBoundingClientRect(); return r.left + ',' + r.top; }).join(' ');
		var still = location.search !== %q && !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim') && pos === window.__lastPos;
		window.__lastPos = pos;
		return still;
	})()`, before), 10*time.Second)
	tb.settle()
}

// TestURLMatchesViewInBrowser: the URL, the embed snippet and the image
// links describe exactly the view on screen, on load (with and without a
// view in the URL, with one the map must snap), after a zoom and a pan, at
// desktop and phone width.
func TestURLMatchesViewInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	for _, size := range [][2]int64{{1280, 800}, {375, 740}} {
		for _, path := range []string{"/", "/?map=6.5/33.9/42.1", "/?weapon=drone,rocket&map=8/33.8/42.4"} {
			t.Run(fmt.Sprintf("%dx%d %s", size[0], size[1], path), func(t *testing.T) {
				tb := b.newTab(t, size[0], size[1])
				tb.open(path)
				checkURLMatchesView(tb, "on load")
				before := eval[string](tb, `location.search`)
				tb.run(chromedp.Click(chromedp.CSS(`.leaflet-control-zoom-in`)))
				waitStill(tb, before)
				checkURLMatchesView(tb, "after zooming in")
				before = eval[string](tb, `location.search`)
				tb.run(chromedp.Focus(chromedp.CSS(`#map`)), chromedp.KeyEvent(kb.ArrowLeft), chromedp.KeyEvent(kb.ArrowUp))
				waitStill(tb, before)
				checkURLMatchesView(tb, "after panning")
				tb.checkClean()
			})
		}
	}
}

// TestNothingTickedInBrowser: unticking every weapon (or status, or
// target) selects nothing, and every part of the page says so: no marker, a
// count of 0, and no link that answers 400 — each download, image and embed
// link either works or is disabled, with a note saying why.
func TestNothingTickedInBrowser(t *testing.T) {
	t.Parallel()
	s := offlineServer(t)
	b := newBrowser(t, s)
	for _, group := range []string{"weapon", "status", "base"} {
		t.Run(group, func(t *testing.T) {
			tb := b.newTab(t, 1280, 800)
			tb.open("/")
			n := eval[int](tb, `document.querySelectorAll('input[name=`+group+`]').length`)
			for range n {
				tb.run(chromedp.Click(chromedp.CSS(`input[name=` + group + `]:checked`)))
				tb.settle()
			}
			if m := tb.markers(); len(m) != 0 {
				t.Errorf("nothing ticked, yet %d markers", len(m))
			}
			if count := eval[string](tb, `document.getElementById('incident-count').textContent`); !strings.HasPrefix(count, "0 incidents") {
				t.Errorf("count reads %q", count)
			}
			tb.run(chromedp.Evaluate[chromedp.Void](`document.getElementById('embed-open').click()`))
			links := eval[[]map[string]string](tb, `Array.from(document.querySelectorAll('.downloads a, #embed-dialog a')).map(a => ({id: a.id, href: a.href, disabled: a.getAttribute('aria-disabled') || ''}))`)
			note := eval[string](tb, `(function () { var n = document.getElementById('downloads-none'); return n && !n.hidden && n.getBoundingClientRect().height > 0 ? n.textContent : ''; })()`)
			disabled := 0
			for _, l := range links {
				if l["href"] == "" {
					disabled++
					if l["disabled"] != "true" {
						t.Errorf("%s has no href but does not say it is disabled", l["id"])
					}
					continue
				}
				resp, err := http.Get(l["href"])
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s: %s answers %s", l["id"], l["href"], resp.Status)
				}
			}
			if disabled > 0 && !strings.Contains(note, "Nothing is selected") {
				t.Errorf("%d links are disabled and the page does not say why (note %q)", disabled, note)
			}
			tb.checkClean()
		})
	}
}
