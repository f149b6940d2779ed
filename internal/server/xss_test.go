package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"strikemap/data"
	"strikemap/internal/geo"
)

// xss is a string that would run script, set window.__xss to where it came
// from and rename the document, were it ever parsed as markup anywhere: in
// an element, an attribute, a script, an SVG.
func xss(where string) string {
	set := fmt.Sprintf(`window.__xss='%s';document.title='XSS %s'`, where, where)
	return fmt.Sprintf(`%s <img src=x onerror="%s"></script><script>%s</script>"><svg onload="%s">'><b onmouseover=%s>{{7*7}}`, where, set, set, set, set)
}

// xssURL is an http(s) link whose query holds a payload: the only kind of
// link the data may hold.
func xssURL(where string) string {
	return "https://example.org/a?q=" + url.QueryEscape(xss(where)) + `&x="><script>window.__xss=1</script>`
}

// xssDataset is a dataset whose every free-text field holds payloads.
func xssDataset(t *testing.T) ([]byte, []byte) {
	t.Helper()
	feature := func(id string, lon, lat float64, props map[string]any) map[string]any {
		return map[string]any{"type": "Feature", "id": id, "geometry": map[string]any{"type": "Point", "coordinates": []float64{lon, lat}}, "properties": props}
	}
	fc := func(fs ...map[string]any) []byte {
		b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": fs})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bases := fc(
		feature("xss-base", 42.44, 33.79, map[string]any{
			"name": xss("base.name"), "aliases": []string{xss("base.alias")}, "country": "IQ", "admin1": xss("base.admin1"),
			"kind": "air_base", "coord_source": xss("base.coord_source"), "coord_source_url": xssURL("base.coord_source_url"), "notes": xss("base.notes"),
		}),
		feature("plain-base", 40.0, 35.0, map[string]any{"name": "Plain", "country": "SY", "kind": "outpost", "coord_source": "x"}),
	)
	source := func(kind, where string) map[string]any {
		return map[string]any{"publisher": xss(where + ".publisher"), "url": xssURL(where + ".url"), "kind": kind, "says": xss(where + ".says"), "published": "2023-10-18"}
	}
	incidents := fc(
		feature("xss-1", 42.44, 33.79, map[string]any{
			"date": "2023-10-18", "weapon": "drone", "count": 2, "base": "xss-base", "status": "confirmed",
			"outcome": xss("incident.outcome"), "claimed_by": []string{xss("incident.claimed_by")}, "location_precision": "base",
			"sources": []any{source("official", "source1"), source("claim", "source2")}, "notes": xss("incident.notes"),
			"disputed": []string{"outcome"}, "injured": 1,
		}),
		feature("xss-2", 42.6, 33.9, map[string]any{
			"date": "2023-10-19", "date_end": "2023-10-20", "weapon": "rocket", "base": "xss-base", "status": "claimed",
			"outcome": xss("incident2.outcome"), "location_precision": "near", "sources": []any{source("claim", "source3")},
		}),
	)
	return bases, incidents
}

// TestDataLinksMustBeHTTP checks that validation refuses every link that is
// not an absolute http(s) URL, wherever the data holds one.
func TestDataLinksMustBeHTTP(t *testing.T) {
	bases, incidents := xssDataset(t)
	if _, err := geo.Parse(bases, incidents); err != nil {
		t.Fatalf("the payload dataset does not load: %v", err)
	}
	for _, bad := range []string{
		"javascript:window.__xss=1", "JavaScript:window.__xss=1", " javascript:alert(1)", "java\tscript:alert(1)",
		"data:text/html,<script>alert(1)</script>", "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
		"vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "/relative", "http:///no-host", "ftp://example.org/x",
	} {
		for _, field := range []string{"coord_source_url", "url"} {
			b, i := bases, incidents
			quoted, _ := json.Marshal(bad)
			if field == "coord_source_url" {
				b = []byte(strings.Replace(string(bases), `"coord_source_url":"`+jsonInner(xssURL("base.coord_source_url"))+`"`, `"coord_source_url":`+string(quoted), 1))
			} else {
				i = []byte(strings.Replace(string(incidents), `"url":"`+jsonInner(xssURL("source1.url"))+`"`, `"url":`+string(quoted), 1))
			}
			if string(b) == string(bases) && string(i) == string(incidents) {
				t.Fatalf("%s: the fixture did not change", field)
			}
			_, err := geo.Parse(b, i)
			var ve *geo.ValidationError
			if !asValidation(err, &ve) {
				t.Errorf("%s %q: accepted (%v)", field, bad, err)
			}
		}
	}
}

func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func asValidation(err error, ve **geo.ValidationError) bool {
	v, ok := err.(*geo.ValidationError)
	*ve = v
	return ok && len(v.Problems) > 0
}

// TestXSSInBrowser shows the payload dataset on every page, with popups
// open, and in the error pages that echo a path, in Chromium: no payload
// may run, and no CSP violation may occur (one would mean markup from the
// data reached the page, stopped only by the policy).
func TestXSSInBrowser(t *testing.T) {
	t.Parallel()
	bases, incidents := xssDataset(t)
	d, err := geo.Parse(bases, incidents)
	if err != nil {
		t.Fatal(err)
	}
	s := mustNew(t, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap})
	b := newBrowser(t, s)
	payload := url.PathEscape(xss("path"))
	for _, tc := range []struct {
		path  string
		ready string // a JavaScript condition for "rendered"
		then  string // JavaScript to run once rendered, e.g. opening popups
	}{
		{"/", "document.body.dataset.ready === '1' && document.body.dataset.busy === '0'",
			`document.querySelector('#incident-list tbody tr button.focus-incident').click()`},
		{"/?sel=xss-2", "document.body.dataset.ready === '1' && !!document.querySelector('.incident-popup')", ""},
		{"/", "document.body.dataset.ready === '1' && document.body.dataset.busy === '0'",
			`document.querySelector('.base-marker').click()`},
		{"/embed?title=" + url.QueryEscape(xss("embed.title")), "document.body.dataset.ready === '1'", ""},
		{"/bases/xss-base", "document.readyState === 'complete'", ""},
		{"/incidents/xss-1", "document.readyState === 'complete'", ""},
		{"/incidents/xss-2", "document.readyState === 'complete'", ""},
		{"/ogc?f=html", "document.readyState === 'complete'", ""},
		{"/ogc/collections?f=html", "document.readyState === 'complete'", ""},
		{"/ogc/collections/bases?f=html", "document.readyState === 'complete'", ""},
		{"/ogc/collections/incidents/items?f=html", "document.querySelectorAll('#ogc-map path.leaflet-interactive').length > 0", ""},
		{"/ogc/collections/incidents/items/xss-1?f=html", "document.querySelectorAll('#ogc-map path.leaflet-interactive').length > 0", ""},
		{"/ogc/collections/bases/items/xss-base?f=html", "document.querySelectorAll('#ogc-map path.leaflet-interactive').length > 0", ""},
		{"/api/export/map.svg?title=" + url.QueryEscape(xss("svg.title")), "document.readyState === 'complete'", ""},
		{"/" + payload, "document.readyState === 'complete'", ""},
		{"/bases/" + payload, "document.readyState === 'complete'", ""},
		{"/ogc/collections/" + payload + "?f=html", "document.readyState === 'complete'", ""},
		{"/embed?legend=" + url.QueryEscape(xss("embed.legend")), "document.readyState === 'complete'", ""},
	} {
		t.Run(tc.path[:min(len(tc.path), 40)], func(t *testing.T) {
			t.Parallel()
			tb := b.newTab(t, 1280, 800)
			tb.run(chromedp.Navigate(tb.base + tc.path))
			poll[bool](tb, tc.ready, 20*time.Second)
			if tc.then != "" {
				tb.run(chromedp.Evaluate[chromedp.Void](tc.then))
				poll[bool](tb, `!!document.querySelector('.leaflet-popup-content')`, 5*time.Second)
			}
			// Give a payload's handlers (onerror of a broken image, onload) time
			// to fire. A wait, not an event: a payload that never runs emits
			// nothing, and the strict CSP refuses inline handlers without an
			// event the page can see (securitypolicyviolation fires only for
			// some of them). The check below of the markup left is the strong
			// one; this one only adds to it.
			tb.run(chromedp.Sleep(300 * time.Millisecond))
			if fired := eval[string](tb, `String(window.__xss || '') + (document.title.startsWith('XSS') ? ' title: ' + document.title : '')`); fired != "" {
				t.Errorf("a payload ran: %s", fired)
			}
			// Markup from the data must be text: no element with an inline
			// handler, no script but the site's own, no link but http(s) or
			// the site's.
			injected := eval[[]string](tb, `(function () {
				var out = [];
				document.querySelectorAll('*').forEach(function (e) {
					for (var i = 0; i < e.attributes.length; i++) {
						if (/^on/i.test(e.attributes[i].name)) { out.push(e.tagName + ' ' + e.attributes[i].name); }
					}
				});
				document.querySelectorAll('script').forEach(function (s) {
					if (!s.src && s.type !== 'application/json') { out.push('inline script: ' + s.textContent.slice(0, 60)); }
				});
				document.querySelectorAll('a[href]').forEach(function (a) {
					if (!/^(https?:|#|\/)/.test(a.getAttribute('href')) && !/^\?/.test(a.getAttribute('href'))) { out.push('link ' + a.getAttribute('href').slice(0, 60)); }
				});
				return out;
			})()`)
			for _, e := range injected {
				t.Errorf("injected into the page: %s", e)
			}
			if tc.then != "" || strings.HasPrefix(tc.path, "/?sel") {
				text := eval[string](tb, `document.querySelector('.leaflet-popup-content').textContent`)
				if !strings.Contains(text, "<img src=x onerror=") {
					t.Errorf("the popup does not show the payload as text: %.300s", text)
				}
			}
			// An error page is an error to the browser, as is the favicon
			// it asks for beside an SVG: those are the only failed loads.
			tb.mu.Lock()
			var kept []string
			for _, p := range tb.problems {
				if strings.HasPrefix(p, "log error (network): Failed to load resource") &&
					(strings.HasSuffix(p, tb.base+tc.path) || strings.HasSuffix(p, "/favicon.ico")) {
					continue
				}
				kept = append(kept, p)
			}
			tb.problems = kept
			tb.mu.Unlock()
			tb.checkClean()
		})
	}
}
