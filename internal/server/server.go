package server

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"strikemap/internal/geo"
	"strikemap/internal/ogcapi"
	"strikemap/web/static"
	"strikemap/web/templates"
)

// Options configure the HTTP handler.
type Options struct {
	// Logger receives request logs and errors; nil discards them.
	Logger *slog.Logger
	// TileURL is the raster tile URL template the map page uses, or "" for
	// the offline basemap only. Its host is allowed in the CSP's img-src.
	TileURL string
	// TileAttribution is the tiles' attribution, as HTML: the operator
	// sets it, so it is trusted.
	TileAttribution string
	// Basemap is the offline basemap GeoJSON served at /api/basemap.geojson.
	Basemap []byte
	// BaseURL is the site's public URL (scheme, host, any path prefix), used
	// for the OGC API's absolute links; empty derives it from each request.
	BaseURL string
	// TrustForwarded lets X-Forwarded-Proto and X-Forwarded-Host set the
	// OGC API's links when BaseURL is empty: only behind a proxy that sets them.
	TrustForwarded bool
}

// Server answers strikemap's HTTP requests.
type Server struct {
	echo   *echo.Echo
	store  *geo.Store
	log    *slog.Logger
	opts   Options
	assets string // static.Version(), computed once
}

// New returns the HTTP handler serving the datasets of store.
func New(store *geo.Store, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{echo: echo.New(), store: store, log: opts.Logger, opts: opts, assets: static.Version()}
	e := s.echo
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Pre(readOnly)
	e.Use(
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				s.log.Error("panic", "uri", c.Request().RequestURI, "err", err, "stack", string(stack))
				return err
			},
		}),
		s.requestLogger(),
		s.securityHeaders,
		middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024}),
	)

	get := func(path string, h echo.HandlerFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h)
	}
	get("/", s.mapPage)
	get("/healthz", s.health)
	get("/api/bases.geojson", s.bases)
	get("/api/incidents.geojson", s.incidents)
	get("/api/rings.geojson", s.rings)
	get("/api/links.geojson", s.links)
	get("/api/basemap.geojson", s.basemap)
	ogcapi.Register(e, store, ogcapi.Options{
		BaseURL: opts.BaseURL, TrustForwarded: opts.TrustForwarded, Page: s.page,
		TileURL: opts.TileURL, TileAttribution: opts.TileAttribution,
	})
	staticFiles := echo.MustSubFS(static.FS, ".")
	get("/static/*", echo.WrapHandler(http.StripPrefix("/static/", s.cacheStatic(http.FileServerFS(staticFiles)))))
	return s
}

// Routes lists the method and path of every route, e.g. "GET /ogc/api",
// for tests that compare them with what the docs describe.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.echo.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// requestLogger logs one line per request with log/slog.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod: true, LogURI: true, LogStatus: true, LogLatency: true, LogRemoteIP: true,
		LogResponseSize: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", v.Method), slog.String("uri", v.URI), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.Int64("bytes", v.ResponseSize),
				slog.String("remote", v.RemoteIP))
			return nil
		},
	})
}

// cacheStatic sets Cache-Control on static files: a year and immutable when
// the URL carries this build's asset version, an hour otherwise.
func (s *Server) cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cc := "public, max-age=3600"
		if r.URL.Query().Get("v") == s.assets {
			cc = "public, max-age=31536000, immutable"
		}
		w.Header().Set("Cache-Control", cc)
		h.ServeHTTP(w, r)
	})
}

// page returns the layout facts of a page titled title.
func (s *Server) page(title string) templates.Page {
	return templates.Page{Title: title, DatasetVersion: s.store.Dataset().Version, AssetVersion: s.assets}
}

// readOnly refuses every method but GET and HEAD before routing: strikemap
// changes nothing, so no route takes anything else (OPTIONS included, which
// echo would otherwise answer itself).
func readOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
			return echo.ErrMethodNotAllowed
		}
		return next(c)
	}
}
