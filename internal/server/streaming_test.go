package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// writeRecorder is a ResponseWriter that keeps the body and the size of
// the largest single write, which tells a streamed body (many writes of a
// buffer's size) from one built whole in memory first (one write of all).
type writeRecorder struct {
	header  http.Header
	status  int
	body    strings.Builder
	largest int
}

func (w *writeRecorder) Header() http.Header  { return w.header }
func (w *writeRecorder) WriteHeader(code int) { w.status = code }
func (w *writeRecorder) Write(b []byte) (int, error) {
	w.largest = max(w.largest, len(b))
	return w.body.Write(b)
}

// The large answers stream: no write holds more than a buffer, however
// long the body, so a page of 10,000 or a CSV of everything costs the
// server a buffer, not the whole body (with 32 clients, 32 bodies).
func TestLargeAnswersStream(t *testing.T) {
	t.Parallel()
	s := syntheticServer(t, 5000)
	const buffer = 128 << 10
	for _, target := range []string{
		"/ogc/collections/incidents/items?limit=5000",
		"/api/incidents.csv",
		"/api/incidents.geojson?limit=5000&count=1",
	} {
		w := &writeRecorder{header: http.Header{}}
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.status != http.StatusOK || w.body.Len() < 8*buffer {
			t.Fatalf("%s: status %d, %d bytes; want 200 and a body of more than %d bytes", target, w.status, w.body.Len(), 8*buffer)
		}
		if w.largest > buffer {
			t.Errorf("%s: one write of %d bytes (of %d in all): the body was built in memory, not streamed", target, w.largest, w.body.Len())
		}
		if strings.HasSuffix(target, ".csv") {
			continue
		}
		var fc struct {
			Features      []json.RawMessage
			NumberMatched *int
		}
		if err := json.Unmarshal([]byte(w.body.String()), &fc); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if len(fc.Features) != 5000 || fc.NumberMatched == nil || *fc.NumberMatched != 5000 {
			t.Errorf("%s: %d features, numberMatched %v; want 5000 of 5000", target, len(fc.Features), fc.NumberMatched)
		}
	}
}

// A request whose client went away does no more work and writes nothing:
// every scan looks at the request's context.
func TestDroppedRequestsStop(t *testing.T) {
	s := syntheticServer(t, 3000)
	for _, target := range []string{
		"/ogc/collections/incidents/items?limit=10000",
		"/ogc/collections/incidents/items?limit=10&f=html",
		"/api/incidents.geojson",
		"/api/incidents.geojson?limit=100&count=1",
		"/api/incidents.csv",
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if n := rec.Body.Len(); n > 0 {
			t.Errorf("%s with its client gone: wrote %d bytes (%.80s...); want nothing", target, n, rec.Body.String())
		}
	}
}
