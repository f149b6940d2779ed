package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestDrawingWaitsAndGivesUp checks that with every drawing slot taken an
// image waits, and that a client who leaves meanwhile is not answered 5xx.
func TestDrawingWaitsAndGivesUp(t *testing.T) {
	s := fixtureServer(t)
	for range cap(s.drawing) {
		s.drawing <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/api/export/map.svg?width=400&height=300", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != statusClientClosed {
		t.Errorf("status %d, want %d", rec.Code, statusClientClosed)
	}
	for range cap(s.drawing) {
		s.drawing.release()
	}
	if rec := get(t, s, "/api/export/map.svg?width=400&height=300"); rec.Code != http.StatusOK {
		t.Errorf("with free slots: %d", rec.Code)
	}
}
