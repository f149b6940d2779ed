// Command web serves strikemap: the map page and the GeoJSON API over the
// embedded dataset (the campaign of October 2023 - February 2024), over the GeoJSON files of a directory,
// which it watches and reloads when they change, or over the record in a database (-db).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"strikemap/data"
	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/loadcache"
	"strikemap/internal/reload"
	"strikemap/internal/server"
	"strikemap/internal/store"
)

// Config is everything the command reads from flags and the environment.
type Config struct {
	Addr            string
	DataDir         string
	DB              string // database URL (sqlite:PATH or postgres://...); "" serves files
	LogFormat       string
	ShutdownTimeout time.Duration
	MemoryLimit     int64  // soft memory limit in bytes, or memoryLimitOff, -Auto or -Runtime
	CPUProfile      string // file to write a CPU profile of the whole run to; "" writes none
	CacheDir        string // directory of dataset snapshots (internal/loadcache) for -data and -db; "" keeps none
	// Options are the HTTP handler's settings (tiles, frame ancestors,
	// base URL, limits), read here and passed down as they are; run adds
	// the logger, the basemap and the reloads.
	server.Options
}

// defaultTiles is OpenStreetMap's standard tile layer, with the attribution
// its tile usage policy asks for.
const (
	defaultTiles       = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
	defaultTilesAttrib = `&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors`
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "strikemap:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopProfile, err := startCPUProfile(cfg.CPUProfile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "strikemap:", err)
		os.Exit(2)
	}
	err = run(ctx, cfg, os.Stderr, nil)
	stopProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "strikemap:", err)
		os.Exit(1)
	}
}

// startCPUProfile profiles the process into path until the returned
// function is called; with no path it does nothing. It is a tool for
// finding what a start costs (docs/performance.md), not for serving.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "strikemap: -cpuprofile:", err)
		}
	}, nil
}

// A setting is one option: a flag, with a STRIKEMAP_* environment variable
// behind it and a default behind that. It remembers where its value came
// from, so that a bad value is reported under the name the user gave it
// (STRIKEMAP_RATE_LIMIT=fast, or -rate-limit fast).
type setting struct {
	flag, env, value string
	fromEnv          bool
}

// bad says that the setting's value is not what is wanted.
func (s *setting) bad(want string) error {
	if s.fromEnv {
		return fmt.Errorf("%s=%s: %s", s.env, s.value, want)
	}
	return fmt.Errorf("-%s %s: %s", s.flag, s.value, want)
}

// settings declares the options of a flag set and reads the environment.
type settings struct {
	fl     *flag.FlagSet
	getenv func(string) string
}

// add declares a string option; usage should not repeat the variable or
// the default, which add appends.
func (ss settings) add(name, def, usage string) *setting {
	return ss.declare(name, def, usage, false)
}

// addBool declares a boolean option, which may be given as -name alone.
func (ss settings) addBool(name string, def bool, usage string) *setting {
	return ss.declare(name, strconv.FormatBool(def), usage, true)
}

func (ss settings) declare(name, def, usage string, isBool bool) *setting {
	s := &setting{flag: name, env: "STRIKEMAP_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")), value: def}
	if v := ss.getenv(s.env); v != "" {
		s.value, s.fromEnv = v, true
	}
	shown := def
	if shown == "" {
		shown = `""`
	}
	usage = fmt.Sprintf("%s (env %s, default %s)", usage, s.env, shown)
	set := func(v string) error {
		s.value, s.fromEnv = v, false
		return nil
	}
	if isBool {
		ss.fl.BoolFunc(name, usage, set)
	} else {
		ss.fl.Func(name, usage, set)
	}
	return s
}

// parseConfig reads flags, falling back to STRIKEMAP_* environment variables.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	var cfg Config
	fl := flag.NewFlagSet("strikemap", flag.ContinueOnError)
	fl.SetOutput(out)
	ss := settings{fl: fl, getenv: getenv}
	addr := ss.add("addr", ":8080", "listen `address`")
	dataDir := ss.add("data", "", "`directory` holding bases.geojson and incidents.geojson, reloaded when they change; empty serves the embedded dataset")
	db := ss.add("db", "", "database `URL` holding the record: sqlite:PATH or postgres://USER@HOST:PORT/DB, created and migrated on first start (docs/editing.md); empty serves files")
	tiles := ss.add("tiles", defaultTiles, "raster tile `URL` template for the map, or \"off\" for the offline basemap only")
	tilesAttrib := ss.add("tiles-attribution", defaultTilesAttrib, "attribution shown with the tiles, as `HTML`")
	ancestors := ss.add("embed-frame-ancestors", "*", "CSP `frame-ancestors` of /embed: who may put the map in an iframe, e.g. \"https://news.example 'self'\"")
	logFormat := ss.add("log-format", "text", "log `format`: text or json")
	baseURL := ss.add("base-url", "", "public `URL` of the site, e.g. https://example.org/strikemap, for the OGC API's absolute links; empty derives it from each request's Host and scheme")
	trust := ss.addBool("trust-forwarded", false, "honour X-Forwarded-Proto and X-Forwarded-Host in the OGC API's links when -base-url is empty; only behind a proxy that sets them")
	maxURL := ss.add("max-url-bytes", strconv.Itoa(server.DefaultMaxURLBytes), "longest request URL (path and query) in `bytes`; longer ones get 414")
	rateLimit := ss.add("rate-limit", "20", "`requests` a second one client IP may make before it gets 429; 0 turns the limit off")
	rateBurst := ss.add("rate-burst", "60", "`requests` one client may make at once above -rate-limit, e.g. a page and its scripts and data")
	rateLoopback := ss.addBool("rate-limit-loopback", false, "rate-limit loopback clients too, which are exempt by default")
	timeout := ss.add("shutdown-timeout", "15s", "how `long` to let requests finish on SIGINT or SIGTERM")
	memLimit := ss.add("memory-limit", "auto", "soft memory `limit` of the Go heap: auto (twice the heap the loaded dataset needs, at least 512MiB; GOMEMLIMIT's when that is set), off, or a size such as 1GiB")
	cache := ss.add("cache", defaultCacheDir(), "`directory` keeping a snapshot of each -data directory's and -db record's bases and incidents, which a start reads instead of parsing the files when they have not changed, or the record's rows when it is of one of its versions (docs/scale.md); \"off\" keeps none")
	cpuProfile := ss.add("cpuprofile", "", "write a CPU profile of the process, from its start until it shuts down, to `file` (for `go tool pprof`); empty writes none")
	fl.Usage = func() {
		fmt.Fprintf(out, "Usage: strikemap [flags]\n\nServes the strikemap map and GeoJSON API.\n\nFlags:\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return cfg, err
	}
	if fl.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q: strikemap takes only flags (see -h)", fl.Arg(0))
	}
	cfg.Addr, cfg.DataDir, cfg.TileURL, cfg.TileAttribution = addr.value, dataDir.value, tiles.value, tilesAttrib.value
	cfg.DB, cfg.CPUProfile = db.value, cpuProfile.value
	if cache.value != "off" {
		cfg.CacheDir = cache.value
	}
	if cfg.DB != "" && cfg.DataDir != "" {
		return cfg, db.bad("-db and -data both name the data to serve: give one (load a directory into the database with `dataset db import DIR -db URL`)")
	}
	cfg.EmbedAncestors, cfg.LogFormat, cfg.BaseURL = ancestors.value, logFormat.value, baseURL.value
	d, err := time.ParseDuration(timeout.value)
	if err != nil || d <= 0 {
		return cfg, timeout.bad("not a positive duration such as 15s")
	}
	cfg.ShutdownTimeout = d
	if cfg.MemoryLimit, err = parseMemoryLimit(memLimit.value, getenv("GOMEMLIMIT")); err != nil {
		return cfg, memLimit.bad("not auto, off or a size of at least 64MiB such as 800MiB or 1.5GiB")
	}
	if cfg.TrustForwarded, err = strconv.ParseBool(trust.value); err != nil {
		return cfg, trust.bad("not true or false")
	}
	if cfg.RateLimitLoopback, err = strconv.ParseBool(rateLoopback.value); err != nil {
		return cfg, rateLoopback.bad("not true or false")
	}
	if cfg.MaxURLBytes, err = strconv.Atoi(maxURL.value); err != nil || cfg.MaxURLBytes < 1024 || cfg.MaxURLBytes > maxHeaderBytes {
		return cfg, maxURL.bad(fmt.Sprintf("not a whole number from 1024 to %d", maxHeaderBytes))
	}
	if cfg.RateLimit, err = strconv.ParseFloat(rateLimit.value, 64); err != nil || !(cfg.RateLimit >= 0 && cfg.RateLimit <= 1e6) {
		return cfg, rateLimit.bad("not a number of requests a second from 0 (off) to 1000000")
	}
	if cfg.RateBurst, err = strconv.Atoi(rateBurst.value); err != nil || cfg.RateBurst < 1 || cfg.RateBurst > 1e6 {
		return cfg, rateBurst.bad("not a whole number from 1 to 1000000")
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return cfg, baseURL.bad("not an absolute http(s) URL without query or fragment, e.g. https://example.org/strikemap")
		}
		cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return cfg, logFormat.bad("not text or json")
	}
	if err := server.CheckFrameAncestors(cfg.EmbedAncestors); err != nil {
		return cfg, ancestors.bad(err.Error())
	}
	if cfg.TileURL == "off" {
		cfg.TileURL = ""
	} else if !strings.HasPrefix(cfg.TileURL, "https://") && !strings.HasPrefix(cfg.TileURL, "http://") {
		return cfg, tiles.bad(`not an http(s) URL template or "off"`)
	}
	return cfg, nil
}

// defaultCacheDir is strikemap's directory in the user's cache directory
// (os.UserCacheDir), or "off" when there is none.
func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "off"
	}
	return filepath.Join(dir, "strikemap")
}

// checkDataDir says what is wrong with a -data directory that is missing,
// not a directory, or holds neither data file, before the loader would
// report the first missing file as if the folder were merely empty.
func checkDataDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("data directory %s does not exist: -data (or STRIKEMAP_DATA) must name a directory holding %s and %s, such as one made by `dataset import` or `dataset synth`", dir, geo.BasesFile, geo.IncidentsFile)
	case err != nil:
		return fmt.Errorf("data directory: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("data directory %s is a file: -data (or STRIKEMAP_DATA) must name a directory holding %s and %s", dir, geo.BasesFile, geo.IncidentsFile)
	}
	var missing []string
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("data directory %s has no %s: a dataset directory holds %s and %s (copy data/%s there to map incidents at the shipped bases)", dir, strings.Join(missing, " or "), geo.BasesFile, geo.IncidentsFile, geo.BasesFile)
	}
	return nil
}

// maxHeaderBytes caps a request's head (request line and headers): beyond
// it Go's server answers 431 itself and closes the connection.
const maxHeaderBytes = 64 << 10

// run loads the dataset and serves until ctx ends, then shuts down
// gracefully. When ready is not nil it receives the listening address.
func run(ctx context.Context, cfg Config, logOut io.Writer, ready chan<- string) error {
	began := time.Now()
	var handler slog.Handler = slog.NewTextHandler(logOut, nil)
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(logOut, nil)
	}
	logger := slog.New(handler)

	var fsys fs.FS = data.FS
	source := "embedded dataset"
	if cfg.DataDir != "" {
		if err := checkDataDir(cfg.DataDir); err != nil {
			return err
		}
		fsys, source = os.DirFS(cfg.DataDir), cfg.DataDir
	}
	loadStart := time.Now()
	var record *store.Store
	if cfg.DB != "" {
		st, err := store.Open(ctx, cfg.DB)
		if err != nil {
			return err
		}
		defer st.Close()
		empty, err := st.Empty(ctx)
		if err != nil {
			return fmt.Errorf("read %s: %w", st, err)
		}
		if empty {
			logger.Warn("the database holds no dataset yet: serving an empty map; load one with `go run ./cmd/dataset db import DIR -db URL` (DIR such as data): it is served as soon as it is imported", "db", st.String())
		}
		source, record = "database "+st.String(), st
	}
	var d *geo.Dataset
	var err error
	// The collector rests from here until the server listens and has set
	// its memory limit (pauseGC): the first answer waits for no collection.
	size := int64(-1)
	if record == nil {
		if fi, err := fs.Stat(fsys, geo.IncidentsFile); err == nil {
			size = fi.Size()
		}
	}
	// A directory's bases and incidents come from the snapshot cache when
	// they have not changed since it was written.
	// So do a record's (-db), when they are of one of its versions; the
	// changes since are applied to them.
	load := geo.Load
	var reloadFrom func(dir string) (*geo.Dataset, error)
	var cache *loadcache.Cache
	if (cfg.DataDir != "" || record != nil) && cfg.CacheDir != "" {
		if cache, err = loadcache.Open(cfg.CacheDir, logger); err != nil {
			logger.Warn("loading without a snapshot cache", "err", err)
			cache = nil
		} else {
			defer cache.Close()
			if cfg.DataDir != "" {
				load = func(fs.FS) (*geo.Dataset, error) { return cache.Load(cfg.DataDir) }
				reloadFrom = cache.Load
			}
		}
	}
	resumeGC := pauseGC(cfg.MemoryLimit, size)
	defer resumeGC()
	switch {
	case record != nil && cache != nil:
		d, err = follow.LoadCached(ctx, record, cache, logger)
	case record != nil:
		// The record's newest version, read in one transaction, its rows
		// streamed into the loader (never built into files first).
		d, err = follow.Load(ctx, record)
	default:
		d, err = load(fsys)
		if err != nil {
			err = fmt.Errorf("load %s: %w", source, err)
		}
	}
	if err != nil {
		return err
	}
	logger.Info("dataset loaded", "source", source, "version", d.Version, "bases", len(d.Bases), "incidents", len(d.Incidents), "took", time.Since(loadStart).Round(time.Millisecond))

	store := geo.NewStore(d, time.Now())
	defer rederiveOnReload(cfg.MemoryLimit, store, logger)()
	opts := cfg.Options
	opts.Logger, opts.Basemap, opts.Record = logger, data.Basemap, record
	if cfg.DataDir != "" {
		w, err := reload.Start(cfg.DataDir, store, reload.Options{Logger: logger, LoadedFrom: loadStart, Load: reloadFrom})
		if err != nil {
			return err
		}
		defer w.Close()
		opts.Reloads = w
		logger.Info("watching for changes", "dir", cfg.DataDir)
	}
	if record != nil {
		// Every version made after this one, by this process or another on
		// the same database, is served within a second.
		f := follow.Start(record, store, follow.Options{Logger: logger})
		defer f.Close()
		opts.Follower = f // an approval here is served through it, at once
		logger.Info("following the record", "db", record.String(), "number", d.Record)
	}
	app, err := server.New(store, opts)
	if err != nil {
		return err
	}
	defer app.Close()
	srv := &http.Server{
		Handler:           app,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		// "OPTIONS *" reaches the handler, which refuses it like any
		// method but GET and HEAD, instead of net/http's bare 200.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     slog.NewLogLogger(handler, slog.LevelWarn),
	}
	// The event streams end as shutdown begins: open, they would keep it
	// waiting for its whole timeout.
	srv.RegisterOnShutdown(app.Close)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", "http://"+ln.Addr().String(), "start_took", time.Since(began).Round(time.Millisecond))
	// The limit derived from the dataset needs a full collection of its
	// heap: made now, beside the first requests, not before them.
	go func() {
		applyMemoryLimit(cfg.MemoryLimit, logger)
		resumeGC()
	}()
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
