// Command web serves strikemap: the map page and the GeoJSON API over the
// embedded dataset (the campaign of October 2023 - February 2024), or over the GeoJSON files of a directory,
// which it watches and reloads when they change.
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
	"strconv"
	"strings"
	"syscall"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/reload"
	"strikemap/internal/server"
)

// Config is everything the command reads from flags and the environment.
type Config struct {
	Addr            string
	DataDir         string
	Tiles           string
	TilesAttrib     string
	EmbedAncestors  string
	LogFormat       string
	ShutdownTimeout time.Duration
	BaseURL         string  // public URL of the site, for the OGC API's links; "" derives it per request
	TrustForwarded  bool    // honour X-Forwarded-Proto, -Host and -For when BaseURL is ""
	MaxURLBytes     int     // longest request URI; longer gets 414
	RateLimit       float64 // requests a second per client IP; 0 is off
	RateBurst       int     // burst of RateLimit
	RateLoopback    bool    // rate-limit loopback clients too
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
	if err := run(ctx, cfg, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "strikemap:", err)
		os.Exit(1)
	}
}

// parseConfig reads flags, falling back to STRIKEMAP_* environment variables.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var cfg Config
	fl := flag.NewFlagSet("strikemap", flag.ContinueOnError)
	fl.SetOutput(out)
	fl.StringVar(&cfg.Addr, "addr", env("STRIKEMAP_ADDR", ":8080"), "listen address (env STRIKEMAP_ADDR)")
	fl.StringVar(&cfg.DataDir, "data", env("STRIKEMAP_DATA", ""), "directory holding bases.geojson and incidents.geojson, reloaded when they change; empty serves the embedded dataset (env STRIKEMAP_DATA)")
	fl.StringVar(&cfg.Tiles, "tiles", env("STRIKEMAP_TILES", defaultTiles), "raster tile URL template for the map, or \"off\" for the offline basemap only (env STRIKEMAP_TILES)")
	fl.StringVar(&cfg.TilesAttrib, "tiles-attribution", env("STRIKEMAP_TILES_ATTRIBUTION", defaultTilesAttrib), "attribution shown with the tiles, as HTML (env STRIKEMAP_TILES_ATTRIBUTION)")
	fl.StringVar(&cfg.EmbedAncestors, "embed-frame-ancestors", env("STRIKEMAP_EMBED_FRAME_ANCESTORS", "*"), "CSP frame-ancestors of /embed: who may put the map in an iframe, e.g. \"https://news.example 'self'\" (env STRIKEMAP_EMBED_FRAME_ANCESTORS)")
	fl.StringVar(&cfg.LogFormat, "log-format", env("STRIKEMAP_LOG_FORMAT", "text"), "log format: text or json (env STRIKEMAP_LOG_FORMAT)")
	fl.StringVar(&cfg.BaseURL, "base-url", env("STRIKEMAP_BASE_URL", ""), "public URL of the site, e.g. https://example.org/strikemap, for the OGC API's absolute links; empty derives it from each request's Host and scheme (env STRIKEMAP_BASE_URL)")
	trust := env("STRIKEMAP_TRUST_FORWARDED", "false")
	fl.BoolFunc("trust-forwarded", "honour X-Forwarded-Proto and X-Forwarded-Host in the OGC API's links when -base-url is empty; only behind a proxy that sets them (env STRIKEMAP_TRUST_FORWARDED, default false)", func(s string) error {
		trust = s
		return nil
	})
	maxURL := env("STRIKEMAP_MAX_URL_BYTES", strconv.Itoa(server.DefaultMaxURLBytes))
	fl.Func("max-url-bytes", fmt.Sprintf("longest request URL (path and query) in bytes; longer ones get 414 (env STRIKEMAP_MAX_URL_BYTES, default %d)", server.DefaultMaxURLBytes), func(s string) error {
		maxURL = s
		return nil
	})
	rateLimit := env("STRIKEMAP_RATE_LIMIT", "20")
	fl.Func("rate-limit", "requests a second one client IP may make before it gets 429; 0 turns the limit off (env STRIKEMAP_RATE_LIMIT, default 20)", func(s string) error {
		rateLimit = s
		return nil
	})
	rateBurst := env("STRIKEMAP_RATE_BURST", "60")
	fl.Func("rate-burst", "requests one client may make at once above -rate-limit, e.g. a page and its scripts and data (env STRIKEMAP_RATE_BURST, default 60)", func(s string) error {
		rateBurst = s
		return nil
	})
	rateLoopback := env("STRIKEMAP_RATE_LIMIT_LOOPBACK", "false")
	fl.BoolFunc("rate-limit-loopback", "rate-limit loopback clients too, which are exempt by default (env STRIKEMAP_RATE_LIMIT_LOOPBACK, default false)", func(s string) error {
		rateLoopback = s
		return nil
	})
	timeout := env("STRIKEMAP_SHUTDOWN_TIMEOUT", "15s")
	fl.Func("shutdown-timeout", "how long to let requests finish on SIGINT or SIGTERM (env STRIKEMAP_SHUTDOWN_TIMEOUT, default 15s)", func(s string) error {
		timeout = s
		return nil
	})
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
	d, err := time.ParseDuration(timeout)
	if err != nil || d <= 0 {
		return cfg, fmt.Errorf("shutdown timeout %q is not a positive duration such as 15s", timeout)
	}
	cfg.ShutdownTimeout = d
	if cfg.TrustForwarded, err = strconv.ParseBool(trust); err != nil {
		return cfg, fmt.Errorf("trust-forwarded %q is not true or false", trust)
	}
	if cfg.RateLoopback, err = strconv.ParseBool(rateLoopback); err != nil {
		return cfg, fmt.Errorf("rate-limit-loopback %q is not true or false", rateLoopback)
	}
	if cfg.MaxURLBytes, err = strconv.Atoi(maxURL); err != nil || cfg.MaxURLBytes < 1024 || cfg.MaxURLBytes > maxHeaderBytes {
		return cfg, fmt.Errorf("max-url-bytes %q is not a whole number from 1024 to %d", maxURL, maxHeaderBytes)
	}
	if cfg.RateLimit, err = strconv.ParseFloat(rateLimit, 64); err != nil || !(cfg.RateLimit >= 0 && cfg.RateLimit <= 1e6) {
		return cfg, fmt.Errorf("rate-limit %q is not a number of requests a second from 0 (off) to 1000000", rateLimit)
	}
	if cfg.RateBurst, err = strconv.Atoi(rateBurst); err != nil || cfg.RateBurst < 1 || cfg.RateBurst > 1e6 {
		return cfg, fmt.Errorf("rate-burst %q is not a whole number from 1 to 1000000", rateBurst)
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return cfg, fmt.Errorf("base URL %q is not an absolute http(s) URL without query or fragment, e.g. https://example.org/strikemap", cfg.BaseURL)
		}
		cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return cfg, fmt.Errorf("log format %q is not text or json", cfg.LogFormat)
	}
	if err := server.CheckFrameAncestors(cfg.EmbedAncestors); err != nil {
		return cfg, err
	}
	if cfg.Tiles == "off" {
		cfg.Tiles = ""
	} else if !strings.HasPrefix(cfg.Tiles, "https://") && !strings.HasPrefix(cfg.Tiles, "http://") {
		return cfg, fmt.Errorf("tiles %q is not an http(s) URL template or \"off\"", cfg.Tiles)
	}
	return cfg, nil
}

// maxHeaderBytes caps a request's head (request line and headers): beyond
// it Go's server answers 431 itself and closes the connection.
const maxHeaderBytes = 64 << 10

// run loads the dataset and serves until ctx ends, then shuts down
// gracefully. When ready is not nil it receives the listening address.
func run(ctx context.Context, cfg Config, logOut io.Writer, ready chan<- string) error {
	var handler slog.Handler = slog.NewTextHandler(logOut, nil)
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(logOut, nil)
	}
	logger := slog.New(handler)

	var fsys fs.FS = data.FS
	source := "embedded dataset"
	if cfg.DataDir != "" {
		fsys, source = os.DirFS(cfg.DataDir), cfg.DataDir
	}
	loadStart := time.Now()
	d, err := geo.Load(fsys)
	if err != nil {
		return fmt.Errorf("load %s: %w", source, err)
	}
	logger.Info("dataset loaded", "source", source, "version", d.Version, "bases", len(d.Bases), "incidents", len(d.Incidents), "took", time.Since(loadStart).Round(time.Millisecond))

	store := geo.NewStore(d, time.Now())
	opts := server.Options{Logger: logger, TileURL: cfg.Tiles, TileAttribution: cfg.TilesAttrib, Basemap: data.Basemap, EmbedAncestors: cfg.EmbedAncestors,
		BaseURL: cfg.BaseURL, TrustForwarded: cfg.TrustForwarded,
		MaxURLBytes: cfg.MaxURLBytes, RateLimit: cfg.RateLimit, RateBurst: cfg.RateBurst, RateLimitLoopback: cfg.RateLoopback,
	}
	if cfg.DataDir != "" {
		w, err := reload.Start(cfg.DataDir, store, reload.Options{Logger: logger, LoadedFrom: loadStart})
		if err != nil {
			return err
		}
		defer w.Close()
		opts.Reloads = w
		logger.Info("watching for changes", "dir", cfg.DataDir)
	}
	app, err := server.New(store, opts)
	if err != nil {
		return err
	}
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
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", "http://"+ln.Addr().String())
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
