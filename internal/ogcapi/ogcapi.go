// Package ogcapi serves strikemap's bases, incidents and strikes as OGC API –
// Features Part 1 (Core) under /ogc, so that QGIS, ArcGIS and GDAL read them
// directly: a landing page, the conformance declaration, an OpenAPI 3.0
// definition, the three collections with their items, single features and
// queryables, each as JSON (GeoJSON for features) and as HTML in the site's
// layout.
//
// Handlers return errors; internal/server's error handler turns them into
// responses, using Owns, WantsHTML and NewException from this package.
package ogcapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"strikemap/internal/geo"
	"strikemap/internal/htmlpage"
	"strikemap/internal/request"
	"strikemap/web/templates"
)

// Prefix is the path under which the OGC API is served.
const Prefix = "/ogc"

// Media types of the responses.
const (
	typeJSON    = "application/json"
	typeGeoJSON = "application/geo+json"
	typeHTML    = "text/html"
	typeOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	typeSchema  = "application/schema+json"
)

// Options configure the OGC API.
type Options struct {
	// Site is where the site is published (the links' base) and the
	// tiles of the item pages' maps, as on the site's map page.
	request.Site
	// Page returns the layout facts of an HTML page with the given title
	// that shows dataset d: the handler's one snapshot of the store, so the
	// footer names the version of the data on the page even when a reload
	// lands while the page is built.
	Page func(title string, d *geo.Dataset) templates.Page
	// Now is the clock of timeStamp; nil is time.Now.
	Now func() time.Time
	// Dataset, when set, returns the dataset a request is answered from
	// (the site's one snapshot per request, at the version ?as_of= names);
	// nil takes the store's.
	Dataset func(r *http.Request) *geo.Dataset
}

type handler struct {
	store *geo.Store
	opts  Options
	api   apiDefinition
}

// Register adds the OGC API's routes under Prefix to e.
func Register(e *echo.Echo, store *geo.Store, opts Options) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Dataset == nil {
		opts.Dataset = func(*http.Request) *geo.Dataset { return store.Dataset() }
	}
	h := &handler{store: store, opts: opts, api: loadAPIDefinition()}
	g := e.Group(Prefix)
	get := func(path string, fn echo.HandlerFunc) {
		g.Match([]string{http.MethodGet, http.MethodHead}, path, fn)
	}
	get("", h.landing)
	get("/", h.landing)
	get("/conformance", h.conformance)
	get("/api", h.apiDefinition)
	get("/collections", h.collections)
	get("/collections/:collectionId", h.collection)
	get("/collections/:collectionId/queryables", h.queryables)
	get("/collections/:collectionId/items", h.items)
	get("/collections/:collectionId/items/:featureId", h.item)
}

// Owns reports whether path is served by the OGC API.
func Owns(path string) bool {
	return path == Prefix || strings.HasPrefix(path, Prefix+"/")
}

// Exception is the JSON body of an OGC API error response.
type Exception struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// NewException returns the exception for an error response with the given
// status and message.
func NewException(status int, message string) Exception {
	code := "ServerError"
	switch status {
	case http.StatusBadRequest:
		code = "InvalidParameterValue"
	case http.StatusNotFound:
		code = "NotFound"
	case http.StatusMethodNotAllowed:
		code = "MethodNotAllowed"
	case http.StatusNotAcceptable:
		code = "NotAcceptable"
	}
	return Exception{Code: code, Description: message}
}

// Link is a link of the OGC API: every one carries rel, type and title.
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// root returns the absolute URL of the OGC API for r, without a trailing slash.
func (h *handler) root(r *http.Request) string {
	return h.opts.PublicURL(r) + Prefix
}

// href is the absolute URL of path (relative to Prefix) with query q,
// written readably (bbox=38,32,45,37.5), as the map page writes its links.
func (h *handler) href(r *http.Request, path string, q url.Values) string {
	u := h.root(r) + path
	if len(q) > 0 {
		u += "?" + request.ReadableQuery(q)
	}
	return u
}

// withFormat returns a copy of q with f set to format.
func withFormat(q url.Values, format string) url.Values {
	out := make(url.Values, len(q)+1)
	for k, v := range q {
		out[k] = v
	}
	out.Set("f", format)
	return out
}

// writeJSON encodes v and writes it with the given media type.
func writeJSON(c echo.Context, mediaType string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeBody(c, mediaType, b)
}

func writeBody(c echo.Context, mediaType string, b []byte) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return c.Blob(http.StatusOK, mediaType, b)
}

// render writes an HTML page (htmlpage.Write), cached for a minute like
// the API's answers.
func render(c echo.Context, component templ.Component) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return htmlpage.Write(c, http.StatusOK, component)
}

// htmlLinks converts links for the templates.
func htmlLinks(links []Link) []templates.OGCLink {
	out := make([]templates.OGCLink, len(links))
	for i, l := range links {
		out[i] = templates.OGCLink{Href: l.Href, Rel: l.Rel, Type: l.Type, Title: l.Title}
	}
	return out
}

// dataset is the dataset r is answered from.
func (h *handler) dataset(r *http.Request) *geo.Dataset { return h.opts.Dataset(r) }
