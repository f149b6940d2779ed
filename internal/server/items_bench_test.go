package server

import (
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"strikemap/internal/geo"
	"strikemap/internal/request"
	"strikemap/internal/testenv"
)

// BenchmarkSmallPages serves the requests QGIS and the map pan with, a page
// of 10 in a bbox, on /api and /ogc, plain and gzipped, from the dataset in
// $STRIKEMAP_BENCH_DATA if set (e.g. `go run ./cmd/dataset synth -n 1000000
// DIR`), else 200,000 synthetic incidents (5,000 with STRIKEMAP_BENCH_SMALL):
// with -benchmem it shows what one request allocates, which is what makes
// the GC run, and under the default memory limit the GC's cycles are what
// the one-client p99 of these pages waits for (docs/performance.md,
// issue 14).
//
//	go test ./internal/server -run '^$' -bench SmallPages -benchmem
func BenchmarkSmallPages(b *testing.B) {
	var d *geo.Dataset
	if dir := os.Getenv("STRIKEMAP_BENCH_DATA"); dir != "" {
		var err error
		if d, err = geo.Load(os.DirFS(dir)); err != nil {
			b.Fatal(err)
		}
	} else {
		n := 200000
		if os.Getenv("STRIKEMAP_BENCH_SMALL") != "" {
			n = 5000
		}
		d = syntheticDataset(b, n)
	}
	s := mustNew(b, geo.NewStore(d, time.Now()), Options{})
	s.warming.Wait() // the clusters' build would count as the pages' allocations
	for _, tc := range []struct{ name, url string }{
		{"api", "/api/incidents.geojson?limit=10&bbox=38,31,46,37"},
		{"ogc", "/ogc/collections/incidents/items?limit=10&bbox=38,31,46,37"},
	} {
		for _, gzip := range []bool{false, true} {
			name := tc.name
			if gzip {
				name += "/gzip"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				size := 0
				// The request is parsed once and copied, and the answer
				// counted, not kept: what net/http allocates for these
				// is not the handlers' (it reads a keep-alive
				// connection's requests with one buffer).
				parsed := httptest.NewRequest(http.MethodGet, tc.url, nil)
				if gzip {
					parsed.Header.Set("Accept-Encoding", "gzip")
				}
				w := &countingWriter{header: http.Header{}}
				for b.Loop() {
					req := *parsed
					clear(w.header)
					w.code, w.n = 0, 0
					s.ServeHTTP(w, &req)
					if w.code != 200 {
						b.Fatalf("status %d", w.code)
					}
					if gzip != (w.header.Get("Content-Encoding") == "gzip") {
						b.Fatalf("Content-Encoding %q", w.header.Get("Content-Encoding"))
					}
					size = w.n
				}
				b.ReportMetric(float64(size), "bytes/page")
			})
		}
	}
}

// countingWriter is an http.ResponseWriter that keeps the status and the
// headers and counts the body's bytes.
type countingWriter struct {
	header http.Header
	code   int
	n      int
}

func (w *countingWriter) Header() http.Header { return w.header }

func (w *countingWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(p)
	return len(p), nil
}

// TestSmallPageAllocation holds what one page of 10 in a country-sized box
// allocates, through the whole handler, to a few KB on /api and /ogc: the
// rate at which pages allocate is the rate at which the collector runs
// under the default memory limit, and its cycles were the one-client p99 of
// these pages at 1M (docs/performance.md). It was 75 KB and 137 KB.
func TestSmallPageAllocation(t *testing.T) {
	// Under the race detector sync.Pool drops a quarter of what is put
	// back, so what a request allocates is not measured under it.
	if testenv.Race {
		t.Skip("sync.Pool drops buffers at random under the race detector")
	}
	// Enough incidents that the box's 768 grid cells are fewer than the
	// index's, so the query reads them cell by cell.
	s := mustNew(t, geo.NewStore(syntheticDataset(t, 50000), time.Now()), Options{})
	s.warming.Wait()
	for _, target := range []string{
		"/api/incidents.geojson?limit=10&bbox=38,31,46,37",
		"/ogc/collections/incidents/items?limit=10&bbox=38,31,46,37",
	} {
		parsed := httptest.NewRequest(http.MethodGet, target, nil)
		w := &countingWriter{header: http.Header{}}
		serve := func() {
			req := *parsed
			clear(w.header)
			w.code = 0
			s.ServeHTTP(w, &req)
			if w.code != 200 {
				t.Fatalf("%s: status %d", target, w.code)
			}
		}
		serve()
		const runs = 200
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range runs {
			serve()
		}
		runtime.ReadMemStats(&after)
		t.Logf("%s: %d bytes a page", target, (after.TotalAlloc-before.TotalAlloc)/runs)
		if perPage := (after.TotalAlloc - before.TotalAlloc) / runs; perPage > 8<<10 {
			t.Errorf("%s allocated %d bytes a page, want at most 8 KiB", target, perPage)
		}
	}
}

// TestSecurityHeadersBuiltOnce: echo applies its Pre middleware for each
// request, so what securityHeaders returns must only wrap, not build the
// policies again.
func TestSecurityHeadersBuiltOnce(t *testing.T) {
	s := mustNew(t, geo.NewStore(syntheticDataset(t, 100), time.Now()), Options{Site: request.Site{TileURL: "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"}})
	mw := s.securityHeaders()
	next := func(echo.Context) error { return nil }
	if allocs := testing.AllocsPerRun(100, func() { _ = mw(next) }); allocs > 1 {
		t.Errorf("wrapping a request's handler allocated %v times, want at most 1 (the closure)", allocs)
	}
}
