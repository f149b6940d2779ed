package ogcapi

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"strikemap/internal/request"
)

// The values of the f parameter.
const (
	formatJSON    = "json"
	formatGeoJSON = "geojson"
	formatHTML    = "html"
)

var (
	metadataFormats = []string{formatJSON, formatHTML}
	featureFormats  = []string{formatJSON, formatGeoJSON, formatHTML}
)

// format returns the response format a request asks for: its f parameter
// when given (one of allowed), else HTML when its Accept header prefers
// text/html, else JSON. It sets Vary: Accept, since the answer may depend on
// it.
func format(c echo.Context, q url.Values, allowed []string) (string, error) {
	c.Response().Header().Add("Vary", "Accept")
	if !q.Has("f") {
		if prefersHTML(c.Request().Header.Get("Accept")) {
			return formatHTML, nil
		}
		return formatJSON, nil
	}
	f := q.Get("f")
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", request.BadParam("f", "f %s is not one of %s", strconv.Quote(request.Truncate(f)), strings.Join(allowed, ", "))
}

// WantsHTML reports whether r asks for HTML: f=html, or no valid f and an
// Accept header that prefers text/html. The error handler uses it to answer
// a browser with an error page and a client with a JSON exception.
func WantsHTML(r *http.Request) bool {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err == nil {
		switch q.Get("f") {
		case formatHTML:
			return true
		case formatJSON, formatGeoJSON:
			return false
		}
	}
	return prefersHTML(r.Header.Get("Accept"))
}

// prefersHTML reports whether an Accept header ranks HTML above every JSON
// type it names. Wildcards count for neither, so a client that accepts
// anything gets JSON, and a browser (text/html first, */* last) gets HTML.
func prefersHTML(accept string) bool {
	var html, json float64
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(s, 64); err == nil {
				q = v
			}
		}
		switch {
		case mt == "text/html" || mt == "application/xhtml+xml":
			html = max(html, q)
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			json = max(json, q)
		}
	}
	return html > 0 && html > json
}
