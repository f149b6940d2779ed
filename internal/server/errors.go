package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"strikemap/internal/htmlpage"
	"strikemap/internal/ogcapi"
	"strikemap/internal/request"
	"strikemap/web/templates"
)

// apiError is the JSON body of every API error response.
type apiError struct {
	Error string `json:"error"`
	Param string `json:"param,omitempty"`
}

// isAPI reports whether a path is answered in JSON rather than HTML.
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/api" || path == "/healthz"
}

// handleError is the one place where errors become responses: JSON for the
// API, an OGC exception for the OGC API unless the client asked for HTML, an
// HTML page in the site's layout for everything else. Errors that are
// not the client's are logged and shown as a bare 500.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if c.Request().Context().Err() != nil {
		// The client went away (the handler stopped on its context, or
		// gave up waiting for a slot with a 499): nobody reads an
		// answer.
		s.log.Debug("request dropped by the client", "method", c.Request().Method, "uri", c.Request().RequestURI)
		c.Response().WriteHeader(statusClientClosed) // for the access log: no body follows
		return
	}
	status, message, param := http.StatusInternalServerError, "internal server error", ""
	var e *request.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &e):
		status, message, param = e.Status, e.Message, e.Param
	case errors.As(err, &he):
		status = he.Code
		message = httpErrorMessage(c, he)
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "uri", c.Request().RequestURI, "err", err)
	}
	if status == http.StatusMethodNotAllowed {
		c.Response().Header().Set(echo.HeaderAllow, "GET, HEAD")
		if s.opts.Record != nil {
			message = fmt.Sprintf("method %s is not allowed at %s", c.Request().Method, request.Truncate(c.Request().URL.Path))
		}
	}
	var werr error
	switch {
	case c.Request().Method == http.MethodHead:
		werr = c.NoContent(status)
	case ogcapi.Owns(c.Request().URL.Path) && !ogcapi.WantsHTML(c.Request()):
		werr = c.JSON(status, ogcapi.NewException(status, message))
	case isAPI(c.Request().URL.Path):
		werr = c.JSON(status, apiError{Error: message, Param: param})
	default:
		werr = s.errorPage(c, status, message)
	}
	if werr != nil {
		s.log.Error("writing error response", "err", werr)
	}
}

// httpErrorMessage turns echo's terse errors into sentences for a client.
func httpErrorMessage(c echo.Context, he *echo.HTTPError) string {
	switch he.Code {
	case http.StatusNotFound:
		return fmt.Sprintf("there is nothing at %s", request.Truncate(c.Request().URL.Path))
	case http.StatusMethodNotAllowed:
		return fmt.Sprintf("method %s is not allowed: strikemap is read-only, use GET or HEAD", c.Request().Method)
	}
	if msg, ok := he.Message.(string); ok {
		return msg
	}
	return http.StatusText(he.Code)
}

func (s *Server) errorPage(c echo.Context, status int, message string) error {
	if err := htmlpage.Write(c, status, templates.ErrorPage(s.page(http.StatusText(status), s.store.Dataset()), status, message)); err != nil {
		return c.String(status, message)
	}
	return nil
}
