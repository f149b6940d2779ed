package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"strikemap/internal/server"
)

// startServer runs the command's own run() on a loopback port, as main
// does, and stops it when the test ends.
func startServer(t *testing.T, cfg Config) string {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.LogFormat == "" {
		cfg.LogFormat = "json"
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 5 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, io.Discard, ready) }()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
		})
		return addr
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(time.Minute): // a bound for a failure, not a wait: the event ends it
		t.Fatal("server did not start")
	}
	return ""
}

// rawRequest sends one request exactly as written, on its own connection,
// so that the server, not a client library, sees what a hostile client
// would send.
func rawRequest(t *testing.T, addr, method, target string, header []string, body string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: strikemap.test\r\nConnection: close\r\n", method, target)
	for i := 0; i+1 < len(header); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", header[i], header[i+1])
	}
	if body != "" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.WriteString(body)
	go io.Copy(conn, strings.NewReader(b.String())) // the server may answer before reading it all
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %.80s: %v", method, target, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %.80s: reading the body: %v", method, target, err)
	}
	return resp, got
}

// What a hostile request's answer must be.
const (
	apiJSON = "api"  // {"error": "..."}
	ogcJSON = "ogc"  // {"code": "...", "description": "..."}
	page    = "html" // the site's error page (or, for a 2xx, a page)
	headErr = "head" // a HEAD: the status alone
	goText  = "go"   // refused by net/http before any handler: its plain-text 4xx
	okData  = "data" // a valid request: 200 with data
)

type hostile struct {
	name, method, target string
	header               []string
	body                 string
	status               int // 0: any 4xx
	kind                 string
}

func hostileRequests() []hostile {
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	return []hostile{
		// Path traversal on static files.
		{"static dotdot", "GET", "/static/../go.mod", nil, "", 404, page},
		{"static dotdot deep", "GET", "/static/../../../../etc/passwd", nil, "", 404, page},
		{"static encoded dots", "GET", "/static/%2e%2e/static.go", nil, "", 404, page},
		{"static encoded slash", "GET", "/static/..%2f..%2fgo.mod", nil, "", 404, page},
		{"static encoded slash in a real file", "GET", "/static/css%2fsite.css", nil, "", 404, page},
		{"static NUL", "GET", "/static/css/site.css%00", nil, "", 404, page},
		{"static NUL then dotdot", "GET", "/static/%00/../go.mod", nil, "", 404, page},
		{"static directory", "GET", "/static/", nil, "", 404, page},
		{"static subdirectory", "GET", "/static/css/", nil, "", 404, page},
		{"static dot element", "GET", "/static/./css/site.css", nil, "", 404, page},
		{"static absolute", "GET", "/static//etc/passwd", nil, "", 404, page},
		{"static backslashes", "GET", `/static/..\..\go.mod`, nil, "", 404, page},
		{"static the Go file", "GET", "/static/static.go", nil, "", 404, page},
		{"static double-encoded", "GET", "/static/%252e%252e/go.mod", nil, "", 404, page},
		// Path traversal and junk in ids.
		{"base id traversal", "GET", "/bases/..%2f..%2fetc%2fpasswd", nil, "", 404, page},
		{"base id dots", "GET", "/bases/%2e%2e", nil, "", 404, page},
		{"base id NUL", "GET", "/bases/%00", nil, "", 404, page},
		{"base id invalid UTF-8", "GET", "/bases/ain-al-asad%ff", nil, "", 404, page},
		{"incident id traversal", "GET", "/incidents/..%2fbases%2fain-al-asad", nil, "", 404, page},
		{"incident id markup", "GET", "/incidents/%3Cscript%3Ealert(1)%3C%2Fscript%3E", nil, "", 404, page},
		{"incident id long", "GET", "/incidents/" + rep("x", 20000), nil, "", 404, page},
		{"ogc item traversal", "GET", "/ogc/collections/incidents/items/..%2f..%2fapi", nil, "", 404, ogcJSON},
		{"ogc collection traversal", "GET", "/ogc/collections/..%2fapi/items", nil, "", 404, ogcJSON},
		{"export format", "GET", "/api/export/map.exe", nil, "", 404, apiJSON},
		{"export traversal", "GET", "/api/export/..%2fmap.svg", nil, "", 404, apiJSON},
		// Huge, negative, NaN and Inf numbers.
		{"limit huge", "GET", "/api/incidents.geojson?limit=99999999999999999999", nil, "", 400, apiJSON},
		{"limit negative", "GET", "/api/incidents.geojson?limit=-1", nil, "", 400, apiJSON},
		{"limit NaN", "GET", "/api/incidents.geojson?limit=NaN", nil, "", 400, apiJSON},
		{"offset negative", "GET", "/api/incidents.geojson?limit=1&offset=-5", nil, "", 400, apiJSON},
		{"offset huge", "GET", "/api/incidents.geojson?limit=1&offset=1e99", nil, "", 400, apiJSON},
		{"radius Inf", "GET", "/api/rings.geojson?radii=Inf", nil, "", 400, apiJSON},
		{"radius NaN", "GET", "/api/rings.geojson?radii=NaN", nil, "", 400, apiJSON},
		{"radius negative", "GET", "/api/rings.geojson?radii=-10", nil, "", 400, apiJSON},
		{"image width huge", "GET", "/api/export/map.png?width=1e308", nil, "", 400, apiJSON},
		{"image width negative", "GET", "/api/export/map.png?width=-1200", nil, "", 400, apiJSON},
		{"image scale Inf", "GET", "/api/export/map.png?scale=Inf", nil, "", 400, apiJSON},
		{"image too many pixels", "GET", "/api/export/map.png?width=4000&height=4000&scale=4", nil, "", 400, apiJSON},
		{"image svg too many pixels", "GET", "/api/export/map.svg?width=4000&height=4000&scale=2", nil, "", 400, apiJSON},
		{"image pdf NaN", "GET", "/api/export/map.pdf?height=NaN", nil, "", 400, apiJSON},
		{"image zoom huge", "GET", "/api/export/map.png?map=1e9/0/0", nil, "", 400, apiJSON},
		{"image latitude NaN", "GET", "/api/export/map.png?map=7/NaN/0", nil, "", 400, apiJSON},
		{"ogc limit huge", "GET", "/ogc/collections/incidents/items?limit=1e9", nil, "", 400, ogcJSON},
		{"ogc offset negative", "GET", "/ogc/collections/incidents/items?offset=-1", nil, "", 400, ogcJSON},
		// Bounding boxes.
		{"bbox inverted latitudes", "GET", "/api/incidents.geojson?bbox=45,37.5,38,32", nil, "", 400, apiJSON},
		{"bbox out of the world", "GET", "/api/incidents.geojson?bbox=-181,0,0,1", nil, "", 400, apiJSON},
		{"bbox three numbers", "GET", "/api/bases.geojson?bbox=1,2,3", nil, "", 400, apiJSON},
		{"bbox overflow", "GET", "/api/links.geojson?bbox=1e999,0,1,1", nil, "", 400, apiJSON},
		{"ogc bbox inverted", "GET", "/ogc/collections/bases/items?bbox=0,10,10,0", nil, "", 400, ogcJSON},
		// A box whose minLon is east of its maxLon crosses the antimeridian
		// (RFC 7946 §5.2): a valid request, answered with what lies in it.
		{"bbox across the antimeridian", "GET", "/api/incidents.geojson?bbox=170,-10,-170,10", nil, "", 200, okData},
		{"ogc bbox across the antimeridian", "GET", "/ogc/collections/incidents/items?bbox=170,-10,-170,10", nil, "", 200, okData},
		// Datetime garbage.
		{"datetime month 13", "GET", "/ogc/collections/incidents/items?datetime=2023-13-45", nil, "", 400, ogcJSON},
		{"datetime backwards", "GET", "/ogc/collections/incidents/items?datetime=2023-10-18/2023-10-17", nil, "", 400, ogcJSON},
		{"datetime three parts", "GET", "/ogc/collections/incidents/items?datetime=a/b/c", nil, "", 400, ogcJSON},
		{"datetime NUL", "GET", "/ogc/collections/incidents/items?datetime=%00", nil, "", 400, ogcJSON},
		{"date 30 February", "GET", "/api/incidents.geojson?from=2023-02-30", nil, "", 400, apiJSON},
		{"date five-digit year", "GET", "/api/incidents.csv?from=99999-01-01", nil, "", 400, apiJSON},
		{"date with a time", "GET", "/api/incidents.geojson?to=2023-10-18T00:00:00Z", nil, "", 400, apiJSON},
		// Lists of 10,000 items.
		{"10,000 base ids", "GET", "/api/incidents.geojson?base=" + rep("a,", 9999) + "a", nil, "", 400, apiJSON},
		{"10,000 radii", "GET", "/api/rings.geojson?radii=" + rep("1,", 9999) + "1", nil, "", 400, apiJSON},
		{"10,000 statuses (OGC)", "GET", "/ogc/collections/incidents/items?status=" + rep("x,", 9999) + "x", nil, "", 400, ogcJSON},
		{"10,000 weapons, too long a URL", "GET", "/api/incidents.geojson?weapon=" + rep("drone,", 9999) + "drone", nil, "", 414, apiJSON},
		{"10,000 parameters", "GET", "/api/bases.geojson?" + rep("a=1&", 5000), nil, "", 400, apiJSON},
		// Very long URLs and headers.
		{"40 KB query, API", "GET", "/api/incidents.geojson?x=" + rep("y", 40<<10), nil, "", 414, apiJSON},
		{"40 KB query, page", "GET", "/?x=" + rep("y", 40<<10), nil, "", 414, page},
		{"40 KB query, OGC", "GET", "/ogc/collections?x=" + rep("y", 40<<10), nil, "", 414, ogcJSON},
		{"40 KB path", "GET", "/bases/" + rep("a", 40<<10), nil, "", 414, page},
		// Beyond MaxHeaderBytes net/http itself answers 431 and closes.
		{"100 KB query", "GET", "/api/incidents.geojson?x=" + rep("y", 100<<10), nil, "", 431, goText},
		{"70 KB header", "GET", "/healthz", []string{"X-Big", rep("z", 70<<10)}, "", 431, goText},
		{"1,500 headers", "GET", "/healthz", manyHeaders(1500), "", 431, goText},
		{"huge Accept on OGC", "GET", "/ogc/collections", []string{"Accept", rep("text/html;q=0.1,", 2000)}, "", 200, okData},
		{"huge If-None-Match", "GET", "/api/bases.geojson", []string{"If-None-Match", rep(`W/"x",`, 5000)}, "", 200, okData},
		// Invalid UTF-8 and percent-encoding.
		{"query invalid UTF-8", "GET", "/api/incidents.geojson?weapon=%ff%fe", nil, "", 400, apiJSON},
		{"query bad escape", "GET", "/api/incidents.geojson?%zz=1", nil, "", 400, apiJSON},
		{"query truncated escape", "GET", "/api/bases.geojson?base=%c", nil, "", 400, apiJSON},
		{"query overlong UTF-8", "GET", "/api/bases.geojson?base=%c0%af", nil, "", 400, apiJSON},
		{"page query bad escape", "GET", "/incidents/x?%zz", nil, "", 400, page},
		{"embed bad flag", "GET", "/embed?legend=maybe", nil, "", 400, page},
		{"ogc f invalid UTF-8", "GET", "/ogc/collections/incidents/items?f=%ff", nil, "", 400, ogcJSON},
		{"path bad escape", "GET", "/bases/%zz", nil, "", 400, goText},
		{"path raw invalid UTF-8", "GET", "/bases/\xff\xfe", nil, "", 404, page},
		// Every method but GET and HEAD.
		{"POST", "POST", "/api/incidents.geojson", []string{"Content-Type", "application/json"}, `{"a":1}`, 405, apiJSON},
		{"POST 100 KB", "POST", "/", []string{"Content-Type", "text/plain"}, rep("x", 100<<10), 405, page},
		{"PUT", "PUT", "/", nil, "x", 405, page},
		{"DELETE", "DELETE", "/bases/ain-al-asad", nil, "", 405, page},
		{"PATCH", "PATCH", "/ogc/collections", nil, "{}", 405, ogcJSON},
		{"OPTIONS", "OPTIONS", "/api/bases.geojson", []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "GET"}, "", 405, apiJSON},
		{"OPTIONS *", "OPTIONS", "*", nil, "", 405, page},
		{"TRACE", "TRACE", "/", []string{"Cookie", "secret=1"}, "", 405, page},
		{"CONNECT", "CONNECT", "strikemap.test:443", nil, "", 405, page},
		{"PROPFIND", "PROPFIND", "/static/css/site.css", nil, "", 405, page},
		{"custom method", "BREW", "/healthz", nil, "", 405, apiJSON},
		{"HEAD of nothing", "HEAD", "/api/nothing.geojson", nil, "", 404, headErr},
		{"HEAD bad query", "HEAD", "/api/incidents.geojson?limit=-1", nil, "", 400, headErr},
	}
}

func manyHeaders(n int) []string {
	var h []string
	for i := range n {
		h = append(h, fmt.Sprintf("X-H%d", i), strings.Repeat("v", 40))
	}
	return h
}

// TestHostileRequests sends each hostile request to a server started as
// main starts it: every one gets a 4xx with a clear error (JSON for the
// APIs, the error page for pages), none a 5xx; afterwards the server still
// answers and its memory stays bounded.
func TestHostileRequests(t *testing.T) {
	addr := startServer(t, Config{Options: server.Options{MaxURLBytes: 32 << 10}})
	cases := hostileRequests()
	if len(cases) < 60 {
		t.Fatalf("only %d hostile requests", len(cases))
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := rawRequest(t, addr, tc.method, tc.target, tc.header, tc.body)
			ct := resp.Header.Get("Content-Type")
			if resp.StatusCode >= 500 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if (tc.status != 0 && resp.StatusCode != tc.status) || (tc.status == 0 && resp.StatusCode/100 != 4) {
				t.Fatalf("status %d, want %d; %s %.300s", resp.StatusCode, tc.status, ct, body)
			}
			if !utf8.Valid(body) && tc.kind != okData {
				t.Errorf("body is not valid UTF-8: %.200q", body)
			}
			if strings.Contains(string(body), "<script>alert") {
				t.Errorf("body echoes markup: %.300s", body)
			}
			if len(body) > 64<<10 && tc.kind != okData {
				t.Errorf("error body of %d bytes", len(body))
			}
			switch tc.kind {
			case apiJSON, ogcJSON:
				field := map[string]string{apiJSON: "error", ogcJSON: "description"}[tc.kind]
				var e map[string]any
				if !strings.Contains(ct, "json") || json.Unmarshal(body, &e) != nil {
					t.Fatalf("not a JSON error: %s %.300s", ct, body)
				}
				if msg, _ := e[field].(string); len(msg) < 10 {
					t.Errorf("JSON error without a clear %s: %s", field, body)
				}
			case page:
				if !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(body), fmt.Sprintf("<h1>%d", resp.StatusCode)) {
					t.Errorf("not the error page: %s %.300s", ct, body)
				}
			case headErr:
				if len(body) != 0 {
					t.Errorf("HEAD with a body: %.100s", body)
				}
			case goText:
				if len(body) == 0 {
					t.Error("empty body")
				}
			}
			if tc.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("405 with Allow %q", resp.Header.Get("Allow"))
			}
			if tc.kind != goText && resp.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
		})
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	const bound = 64 << 20
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > bound {
		t.Errorf("heap grew by %d MB over the hostile requests; bound %d MB", grew>>20, bound>>20)
	}
	t.Logf("%d hostile requests; heap in use %d MB before, %d MB after", len(cases), before.HeapInuse>>20, after.HeapInuse>>20)
	resp, body := rawRequest(t, addr, "GET", "/api/incidents.geojson?limit=1", nil, "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "FeatureCollection") {
		t.Errorf("after the hostile requests: %d %.200s", resp.StatusCode, body)
	}
}
