package server

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"strikemap/web/templates"
)

// render renders a templ component into a buffer before writing it, so a
// failing render becomes an error response rather than half a page.
func render(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// home answers GET /.
func (s *Server) home(c echo.Context) error {
	if _, err := queryParams(c.QueryString()); err != nil {
		return err
	}
	d := s.store.Dataset()
	data := templates.HomeData{Bases: len(d.Bases), Incidents: len(d.Incidents)}
	if first, last, ok := d.Span(); ok {
		data.FirstDate, data.LastDate = first.String(), last.String()
	}
	return render(c, http.StatusOK, templates.Home(templates.Page{Title: "Map", DatasetVersion: d.Version}, data))
}
