package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"strikemap/internal/geo"
	"strikemap/internal/request"
)

func TestRateLimit(t *testing.T) {
	d := fixtureServer(t).store.Dataset()
	newServer := func(opts Options) *Server {
		opts.RateLimit, opts.RateBurst = 0.5, 2
		return mustNew(t, geo.NewStore(d, time.Now()), opts)
	}
	statuses := func(s *Server, remote string, n int, header ...string) []int {
		var out []int
		for range n {
			out = append(out, doFrom(s, http.MethodGet, "/api/bases.geojson", remote, header...).Code)
		}
		return out
	}

	s := newServer(Options{})
	if got := statuses(s, "192.0.2.1:1", 3); got[0] != 200 || got[1] != 200 || got[2] != 429 {
		t.Errorf("a client's 3 requests at once: %v, want 200 200 429", got)
	}
	rec := doFrom(s, http.MethodGet, "/api/bases.geojson", "192.0.2.1:2")
	var e apiError
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "2" || json.Unmarshal(rec.Body.Bytes(), &e) != nil || !strings.Contains(e.Error, "too many requests") {
		t.Errorf("429: Retry-After %q, body %s", rec.Header().Get("Retry-After"), rec.Body)
	}
	if page := doFrom(s, http.MethodGet, "/", "192.0.2.1:3"); page.Code != 429 || !strings.Contains(page.Body.String(), "<h1>429") {
		t.Errorf("a page over the limit: %d, want the 429 error page", page.Code)
	}
	if got := statuses(s, "192.0.2.2:1", 2); got[0] != 200 || got[1] != 200 {
		t.Errorf("another client is limited apart: %v", got)
	}
	if got := statuses(s, "127.0.0.1:1", 5); strings.Contains(itoaAll(got), "429") {
		t.Errorf("a loopback client was limited by default: %v", got)
	}
	// Without TrustForwarded, X-Forwarded-For cannot dodge the limit.
	if got := statuses(s, "192.0.2.3:1", 3, "X-Forwarded-For", "203.0.113.7"); got[2] != 429 {
		t.Errorf("X-Forwarded-For dodged the limit: %v", got)
	}

	loop := newServer(Options{RateLimitLoopback: true})
	if got := statuses(loop, "127.0.0.1:1", 3); got[2] != 429 {
		t.Errorf("with RateLimitLoopback, loopback: %v", got)
	}

	// Behind a trusted proxy on loopback, each forwarded client has its own
	// budget, and is limited though the proxy is loopback.
	proxied := newServer(Options{Site: request.Site{TrustForwarded: true}})
	if got := statuses(proxied, "127.0.0.1:1", 3, "X-Forwarded-For", "203.0.113.7"); got[2] != 429 {
		t.Errorf("a forwarded client: %v", got)
	}
	if got := statuses(proxied, "127.0.0.1:1", 2, "X-Forwarded-For", "203.0.113.8"); got[1] != 200 {
		t.Errorf("another forwarded client: %v", got)
	}
}

func itoaAll(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString(strconv.Itoa(n) + " ")
	}
	return b.String()
}

func TestURLTooLong(t *testing.T) {
	s := fixtureServer(t)
	long := strings.Repeat("x", DefaultMaxURLBytes)
	rec := get(t, s, "/api/incidents.geojson?q="+long)
	var e apiError
	if rec.Code != http.StatusRequestURITooLong || json.Unmarshal(rec.Body.Bytes(), &e) != nil || !strings.Contains(e.Error, "at most 32768") {
		t.Errorf("API: %d %.200s", rec.Code, rec.Body)
	}
	if rec := get(t, s, "/bases/"+long); rec.Code != http.StatusRequestURITooLong || !strings.Contains(rec.Body.String(), "<h1>414") {
		t.Errorf("page: %d %.200s", rec.Code, rec.Body)
	}
	if rec := get(t, s, "/api/incidents.geojson?limit=1&q="[:len("/api/incidents.geojson?limit=1")]); rec.Code != http.StatusOK {
		t.Errorf("a short URL: %d", rec.Code)
	}
}
