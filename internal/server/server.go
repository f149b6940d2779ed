package server

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"strikemap/internal/auth"
	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/mapimage"
	"strikemap/internal/ogcapi"
	"strikemap/internal/reload"
	"strikemap/internal/request"
	"strikemap/internal/store"
	"strikemap/web/static"
	"strikemap/web/templates"
)

// Options configure the HTTP handler.
type Options struct {
	// Logger receives request logs and errors; nil discards them.
	Logger *slog.Logger
	// Site is where the site is published and its map tiles, which the
	// OGC API shares.
	request.Site
	// Basemap is the offline basemap GeoJSON served at /api/basemap.geojson.
	Basemap []byte
	// EmbedAncestors is the CSP frame-ancestors source list of /embed: who
	// may frame the embeddable map. Empty means any origin ("*"). Every
	// other page may be framed only by strikemap itself.
	EmbedAncestors string
	// Reloads, when the data directory is watched, reports the latest reload
	// for /healthz; nil when the data is fixed (the embedded dataset).
	Reloads Reloads
	// Record is the database the dataset was read from (-db), where
	// accounts, proposals and history live; nil when the data is files,
	// and the site is read-only.
	Record *store.Store
	// Follower, with a Record, keeps the served dataset at the record's
	// newest version (*follow.Follower); an approval made here syncs
	// through it, so that one lock orders every reload. Nil: New makes one
	// that loads only when an approval here asks (follow.New).
	Follower Follower

	// MaxURLBytes caps the request URI (path and query): longer ones get
	// 414. 0 means DefaultMaxURLBytes.
	MaxURLBytes int
	// RateLimit is how many requests a second one client (IP address) may
	// make, with bursts of RateBurst; beyond it, 429 with Retry-After. 0
	// turns rate limiting off. The client's address is the connection's
	// peer, or with TrustForwarded the X-Forwarded-For address its proxies
	// (loopback, link-local, private networks) report.
	RateLimit float64
	RateBurst int
	// RateLimitLoopback limits loopback clients too; by default they are
	// exempt, as a local proxy or health check would be one client.
	RateLimitLoopback bool
	// Drawing caps how many map images and CSV files are built at once; 0
	// means one per CPU.
	Drawing int
}

// Follower loads the record's newest version into the served store now,
// unless it is served already.
type Follower interface {
	Sync(ctx context.Context) error
}

// Reloads reports the outcome of the latest reload of a watched data
// directory. *reload.Watcher implements it.
type Reloads interface {
	Last() (r reload.Result, ok bool)
}

// Server answers strikemap's HTTP requests.
type Server struct {
	echo     *echo.Echo
	handler  http.Handler // echo behind gzip
	store    *geo.Store
	log      *slog.Logger
	opts     Options
	assets   string // static.Version(), computed once
	build    string // a hash of this server's executable, for ETags
	renderer *mapimage.Renderer
	drawing  drawing
	// clusterCache holds cluster indexes of recent filters.
	clusterCache *clusterCache
	// warming counts the cluster builds under way in the background
	// (warmClusters', and one a provisional answer started), for tests.
	warming sync.WaitGroup
	// life is cancelled by Close: background work stops with it.
	life  context.Context
	close context.CancelFunc
	// stopWarm cancels the warm build of the dataset served before.
	warmMu   sync.Mutex
	stopWarm context.CancelFunc
	// unhook removes the server's hook from the store.
	unhook func()
	// countries names the basemap's countries by ISO code, for the tagline.
	countries map[string]string
	// auth logs users in when the record is a database; nil otherwise.
	auth *auth.Auth
	// writes are the routes registered by write.
	writes writeRoutes
	// versions caches the datasets of old versions of the record (as_of).
	versions versionCache
	// events sends every new dataset version to /api/events.
	events *events
	// versionLog caches the record's versions for /api/versions.json.
	versionLog versionLog
	closeOnce  sync.Once
}

// New returns the HTTP handler serving the datasets of store. It fails only
// when the basemap of opts cannot be read.
func New(store *geo.Store, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Record != nil && opts.Follower == nil {
		opts.Follower = follow.New(opts.Record, store, follow.Options{Logger: opts.Logger})
	}
	renderer, err := mapimage.New(opts.Basemap)
	if err != nil {
		return nil, err
	}
	if opts.Drawing <= 0 {
		opts.Drawing = runtime.GOMAXPROCS(0)
	}
	if opts.MaxURLBytes <= 0 {
		opts.MaxURLBytes = DefaultMaxURLBytes
	}
	s := &Server{echo: echo.New(), store: store, log: opts.Logger, opts: opts, assets: static.Version(), build: buildHash(), renderer: renderer, drawing: newDrawing(opts.Drawing),
		clusterCache: newClusterCache(3_000_000), countries: countryNames(opts.Basemap),
		versions: versionCache{budget: DefaultVersionBudget}}
	e := s.echo
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	// Only a proxy we are told to trust may name the client; otherwise the
	// client is the connection's peer, whatever headers it sends.
	e.IPExtractor = echo.ExtractIPDirect()
	if opts.TrustForwarded {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	// Everything that must see every request, even one refused before
	// routing (405, 414, 429), runs before the router: recovery, the log,
	// the security headers, then the limits.
	e.Pre(
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				s.log.Error("panic", "uri", truncateURI(c.Request().RequestURI), "err", err, "stack", string(stack))
				return err
			},
		}),
		s.requestLogger(),
		s.securityHeaders(),
		limitURL(opts.MaxURLBytes),
		s.readOnly,
	)
	if opts.RateLimit > 0 {
		e.Pre(rateLimit(opts.RateLimit, opts.RateBurst, opts.RateLimitLoopback))
	}
	// After routing: one snapshot of the dataset per request, at the
	// version ?as_of= names.
	e.Use(s.withDataset)

	get := func(path string, h echo.HandlerFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h)
	}
	get("/", s.mapPage)
	get("/embed", s.embedPage)
	get("/healthz", s.health)
	get("/bases/:id", s.basePage)
	get("/incidents/:id", s.incidentPage)
	get("/api/bases.geojson", s.bases)
	get("/api/incidents.geojson", s.incidents)
	get("/api/incidents.csv", s.incidentsCSV)
	get("/api/rings.geojson", s.rings)
	get("/api/links.geojson", s.links)
	get("/api/basemap.geojson", s.basemap)
	get("/api/clusters.geojson", s.clusters)
	get("/api/density.geojson", s.density)
	get("/api/timeline.json", s.timeline)
	get("/api/official-counts.json", s.officialCounts)
	get("/api/strikes.geojson", s.strikes)
	get("/api/strikes.csv", s.strikesCSV)
	get("/api/export/:format", s.exportMap)
	get("/api/versions.json", s.versionList)
	get("/api/events", s.eventStream)
	get("/api/incidents/:id/history.json", s.historyJSON(geo.IncidentsFile))
	get("/api/bases/:id/history.json", s.historyJSON(geo.BasesFile))
	get("/incidents/:id/history", s.historyPage(geo.IncidentsFile))
	get("/bases/:id/history", s.historyPage(geo.BasesFile))
	ogcapi.Register(e, store, ogcapi.Options{Site: opts.Site, Page: s.page,
		Dataset: func(r *http.Request) *geo.Dataset { return s.servedOf(r).data }})
	get("/static/*", s.staticFile)
	if opts.Record != nil {
		s.installAuth()
		s.installEditing()
		s.installAccounts()
		s.installPasswords()
	}
	// Compression wraps the whole of echo, so error pages written after a
	// handler returns go through it too. It is klauspost/compress's gzhttp
	// at level 1 (GeoJSON compresses about as well as at the default
	// level): in a CPU profile of 32 clients asking for pages of 1,000
	// incidents, compress/flate took 40 % of the time, more than encoding
	// the GeoJSON. docs/performance.md has the figures.
	gz, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.CompressionLevel(gzip.BestSpeed))
	if err != nil {
		return nil, err
	}
	s.handler = gz(e)
	// The map page asks for the clusters of the whole dataset first when it
	// is too large to draw: build them now, not for its first visitor.
	s.life, s.close = context.WithCancel(context.Background())
	s.events = newEvents(s.life, store.Dataset(), defaultMaxStreams)
	s.clusterCache.keep(store.Dataset().Version)
	s.warm(store.Dataset())
	s.unhook = store.OnReplace(func(d *geo.Dataset) {
		s.clusterCache.keep(d.Version) // the old dataset can go
		s.warm(d)
		s.events.publish(d)
	})
	return s, nil
}

// Close stops the server's background work (the cluster builds, which
// give up) and its hook on the store. Call it once the HTTP server has shut
// down.
// It also ends the event streams, which would otherwise keep an
// http.Server's Shutdown waiting: call it from RegisterOnShutdown too. It
// may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.unhook()
		s.close()
	})
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
// The event stream bypasses compression, which would hold its events back
// until a buffer fills.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/events" {
		s.echo.ServeHTTP(w, r)
		return
	}
	s.handler.ServeHTTP(w, r)
}

// requestLogger logs one line per request with log/slog.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod: true, LogURI: true, LogStatus: true, LogLatency: true, LogRemoteIP: true,
		LogResponseSize: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", v.Method), slog.String("uri", truncateURI(v.URI)), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.Int64("bytes", v.ResponseSize),
				slog.String("remote", v.RemoteIP))
			return nil
		},
	})
}

// staticFile answers GET /static/{name} from the embedded files, with
// Cache-Control: a year and immutable when the URL carries this build's
// asset version, an hour otherwise. Anything but a file (a directory, a
// path with . or .. elements, an encoded slash) is the site's 404.
func (s *Server) staticFile(c echo.Context) error {
	r := c.Request()
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, "\\\x00") || r.URL.RawPath != "" {
		return request.NotFound("there is no static file %q", request.Truncate(name))
	}
	if fi, err := fs.Stat(static.FS, name); err != nil || fi.IsDir() {
		return request.NotFound("there is no static file %q", request.Truncate(name))
	}
	cc := "public, max-age=3600"
	if c.QueryParams().Get("v") == s.assets {
		cc = "public, max-age=31536000, immutable"
	} else if strings.HasPrefix(name, "js/") {
		// The map page's modules (js/map/, which the page runs bundled
		// as js/map.js, and which its source map names) import each other
		// by plain relative URLs, with no version: a browser must
		// revalidate them (a 304 by the ETag), or a new main.js could run
		// with an hour-old module.
		cc = "no-cache"
	}
	c.Response().Header().Set("Cache-Control", cc)
	c.Response().Header().Set("ETag", `"`+s.assets+`"`)
	http.ServeFileFS(c.Response(), r, static.FS, name)
	return nil
}

// page returns the layout facts of a page titled title, showing dataset d:
// the handler's one snapshot, so a page never names another version than
// the data it shows.
func (s *Server) page(title string, d *geo.Dataset) templates.Page {
	return templates.Page{Title: title, DatasetVersion: d.Version, AssetVersion: s.assets}
}

// truncateURI keeps a logged URI to 2 KiB: a hostile client may send up to
// the head limit (64 KiB) in each request line.
func truncateURI(uri string) string {
	uri = redactLinkToken(uri)
	const n = 2 << 10
	if len(uri) <= n {
		return uri
	}
	return uri[:n] + "…(" + strconv.Itoa(len(uri)) + " bytes)"
}

// redactLinkToken hides the token of a password link (/set-password?token=...)
// from the logs: whoever reads them could otherwise set the password.
func redactLinkToken(uri string) string {
	path, query, ok := strings.Cut(uri, "?")
	if !ok || !strings.HasSuffix(path, store.PasswordLinkPath) {
		return uri
	}
	q, err := url.ParseQuery(query)
	if err != nil || !q.Has("token") {
		return path + "?REDACTED"
	}
	q.Set("token", "REDACTED")
	return path + "?" + q.Encode()
}

// buildHash identifies this build of the server: the hash of its own
// executable. Output can change with the code as well as with the data, so
// ETags include it.
func buildHash() string {
	exe, err := os.Executable()
	if err == nil {
		if f, err := os.Open(exe); err == nil {
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err == nil {
				return hex.EncodeToString(h.Sum(nil)[:8])
			}
		}
	}
	return strconv.FormatInt(time.Now().UnixNano(), 36) // unknown: never reuse an ETag
}
