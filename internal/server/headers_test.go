package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
)

// headerTargets is a request for every route of the server, keyed by the
// route as Routes names it.
var headerTargets = map[string]string{
	"/":                              "/",
	"/embed":                         "/embed",
	"/healthz":                       "/healthz",
	"/bases/:id":                     "/bases/alpha",
	"/incidents/:id":                 "/incidents/i1-alpha-drone",
	"/api/bases.geojson":             "/api/bases.geojson",
	"/api/incidents.geojson":         "/api/incidents.geojson",
	"/api/incidents.csv":             "/api/incidents.csv",
	"/api/rings.geojson":             "/api/rings.geojson",
	"/api/links.geojson":             "/api/links.geojson",
	"/api/basemap.geojson":           "/api/basemap.geojson",
	"/api/clusters.geojson":          "/api/clusters.geojson?zoom=5",
	"/api/density.geojson":           "/api/density.geojson?zoom=5",
	"/api/timeline.json":             "/api/timeline.json",
	"/api/official-counts.json":      "/api/official-counts.json",
	"/api/strikes.geojson":           "/api/strikes.geojson",
	"/api/strikes.csv":               "/api/strikes.csv",
	"/api/export/:format":            "/api/export/map.svg?width=400&height=300",
	"/api/versions.json":             "/api/versions.json",
	"/ogc":                           "/ogc",
	"/ogc/":                          "/ogc/?f=html",
	"/ogc/conformance":               "/ogc/conformance",
	"/ogc/api":                       "/ogc/api",
	"/ogc/collections":               "/ogc/collections?f=html",
	"/ogc/collections/:collectionId": "/ogc/collections/incidents",
	"/ogc/collections/:collectionId/queryables":       "/ogc/collections/incidents/queryables",
	"/ogc/collections/:collectionId/items":            "/ogc/collections/incidents/items?f=html",
	"/ogc/collections/:collectionId/items/:featureId": "/ogc/collections/incidents/items/i1-alpha-drone",
	"/static/*": "/static/js/map.js",
}

// checkSecurityHeaders fails unless h carries every security header, with
// frame-ancestors as given.
func checkSecurityHeaders(t *testing.T, what string, h http.Header, frameAncestors string) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors " + frameAncestors} {
		if !slices.Contains(strings.Split(csp, "; "), want) && !strings.Contains(csp, want+";") && !strings.HasSuffix(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", what, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-") {
		t.Errorf("%s: CSP allows something unsafe: %q", what, csp)
	}
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
		"Permissions-Policy":     "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %s %q, want %q", what, name, got, want)
		}
	}
	if frameAncestors == "'self'" && h.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("%s: X-Frame-Options %q", what, h.Get("X-Frame-Options"))
	}
}

// TestSecurityHeadersOnEveryRoute checks the headers on every route the
// server has, answered with 200, as HEAD, as 304, and on every kind of
// error: 400, 404, 405, 414 and 429.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	d := fixtureServer(t).store.Dataset()
	for _, embed := range []string{"", "https://news.example 'self'"} {
		s := mustNew(t, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap, EmbedAncestors: embed, RateLimit: 1, RateBurst: 1, RateLimitLoopback: true, MaxURLBytes: 4096})
		embedAncestors := embed
		if embed == "" {
			embedAncestors = "*"
		}
		ancestors := func(target string) string {
			if strings.HasPrefix(target, "/embed") {
				return embedAncestors
			}
			return "'self'"
		}
		var seen []string
		for _, route := range s.Routes() {
			path := route[strings.Index(route, " ")+1:]
			if _, ok := recordTargets[path]; ok {
				continue // TestRecordRoutesSecurityHeaders, on a record
			}
			target, ok := headerTargets[path]
			if !ok {
				t.Errorf("route %s has no request in headerTargets", route)
				continue
			}
			if slices.Contains(seen, target) {
				continue // GET and HEAD of one path
			}
			seen = append(seen, target)
			// Each request comes from its own address, so the rate limit
			// (1 a second) lets it through.
			n := len(seen) * 10
			from := func(i int) string { return "192.0.2." + strconv.Itoa(n+i) + ":1234" }
			rec := doFrom(s, http.MethodGet, target, from(0))
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s: status %d", target, rec.Code)
			}
			checkSecurityHeaders(t, "GET "+target, rec.Header(), ancestors(target))
			head := doFrom(s, http.MethodHead, target, from(1))
			checkSecurityHeaders(t, "HEAD "+target, head.Header(), ancestors(target))
			if etag := rec.Header().Get("ETag"); etag != "" {
				nm := doFrom(s, http.MethodGet, target, from(2), "If-None-Match", etag)
				if nm.Code != http.StatusNotModified {
					t.Errorf("GET %s with its ETag: status %d", target, nm.Code)
				}
				checkSecurityHeaders(t, "304 "+target, nm.Header(), ancestors(target))
			}
			sep := "?"
			if strings.Contains(target, "?") {
				sep = "&"
			}
			for _, e := range []struct {
				method, target string
				status         int
			}{
				{http.MethodGet, target + sep + "no-such-parameter=1", 0}, // 400, or 200 where the query is free
				{http.MethodPost, target, http.StatusMethodNotAllowed},
				{http.MethodGet, target + sep + "x=" + strings.Repeat("y", 5000), http.StatusRequestURITooLong},
			} {
				rec := doFrom(s, e.method, e.target, from(3))
				if e.status != 0 && rec.Code != e.status {
					t.Errorf("%s %.60s: status %d, want %d", e.method, e.target, rec.Code, e.status)
				}
				checkSecurityHeaders(t, e.method+" "+e.target[:min(len(e.target), 60)]+" ("+strconv.Itoa(rec.Code)+")", rec.Header(), ancestors(target))
			}
			// The second request within the second from one address is
			// over the limit.
			doFrom(s, http.MethodGet, target, from(4))
			limited := doFrom(s, http.MethodGet, target, from(4))
			if limited.Code != http.StatusTooManyRequests {
				t.Errorf("GET %s twice at once: status %d, want 429", target, limited.Code)
			}
			checkSecurityHeaders(t, "429 "+target, limited.Header(), ancestors(target))
		}
		for i, target := range []string{"/no/such/page", "/api/nothing", "/ogc/collections/nothing", "/static/nothing.js", "/bases/nothing", "/embed/x"} {
			rec := doFrom(s, http.MethodGet, target, "198.51.100."+strconv.Itoa(i+1)+":1")
			if rec.Code != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", target, rec.Code)
			}
			checkSecurityHeaders(t, "404 "+target, rec.Header(), "'self'")
		}
	}
}

// doFrom sends a request from the client address remote ("ip:port").
func doFrom(h http.Handler, method, target, remote string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
