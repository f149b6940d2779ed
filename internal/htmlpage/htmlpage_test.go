package htmlpage_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"strikemap/internal/htmlpage"
)

// TestWriteWholeOrNothing: a page that fails half way writes nothing, so
// the error handler can still answer; one that renders is written whole.
func TestWriteWholeOrNothing(t *testing.T) {
	e := echo.New()
	broken := templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, _ = io.WriteString(w, "<p>half")
		return errors.New("broken")
	})
	rec := httptest.NewRecorder()
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
	if err := htmlpage.Write(c, http.StatusOK, broken); err == nil || c.Response().Committed || rec.Body.Len() > 0 {
		t.Fatalf("a broken page: err %v, committed %v, body %q", err, c.Response().Committed, rec.Body.String())
	}
	whole := templ.Raw("<p>whole</p>")
	rec = httptest.NewRecorder()
	c = e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
	if err := htmlpage.Write(c, http.StatusTeapot, whole); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusTeapot || rec.Body.String() != "<p>whole</p>" || rec.Header().Get("Content-Type") != "text/html; charset=UTF-8" {
		t.Errorf("got %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}
