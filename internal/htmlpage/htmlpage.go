// Package htmlpage writes a templ page as an HTTP response, for every
// package that serves HTML (server, ogcapi): rendered whole into a buffer
// first, so that a failing render becomes an error response rather than
// half a page with status 200, and in the language the request asks for.
package htmlpage

import (
	"bytes"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"strikemap/internal/catalog"
)

// Write renders component with the catalog of the request's language and
// writes it with status. With more than one catalog, the page depends on
// Accept-Language, and says so to caches (Vary).
func Write(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	ctx := catalog.NewContext(c.Request().Context(), Messages(c))
	if len(catalog.Default.Locales()) > 1 {
		c.Response().Header().Add("Vary", "Accept-Language")
	}
	if err := component.Render(ctx, &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// Messages is the catalog of the language the request asks for
// (Accept-Language), English when the server has none of its choices.
func Messages(c echo.Context) *catalog.Catalog {
	return catalog.Default.Match(c.Request().Header.Get("Accept-Language"))
}
