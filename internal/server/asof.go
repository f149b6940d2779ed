package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"

	"strikemap/internal/geo"
	"strikemap/internal/request"
	"strikemap/internal/store"
)

// served is the dataset one request is answered from: the store's snapshot,
// or the record's files at the version ?as_of= names.
type served struct {
	data     *geo.Dataset
	loadedAt time.Time
	// asOf is set when the request named a version of the record (-db):
	// what it gets never changes.
	asOf bool
	// at is the version named, with its time, when asOf.
	at store.Version
}

type servedKey struct{}

// dataset returns the dataset the request is answered from: one snapshot
// per request, taken by withDataset.
func (s *Server) dataset(c echo.Context) *geo.Dataset { return s.servedOf(c.Request()).data }

// servedOf returns what withDataset chose for r, or the store's snapshot
// for a request it did not see (an error page for a route not found).
func (s *Server) servedOf(r *http.Request) served {
	if v, ok := r.Context().Value(servedKey{}).(served); ok {
		return v
	}
	d, at := s.store.Snapshot()
	return served{data: d, loadedAt: at}
}

// immutable is the Cache-Control of data at a version of the record:
// what it answers never changes. Pages at a version are kept a day.
const immutable = "public, max-age=31536000, immutable"

// withDataset takes the request's one snapshot of the dataset, resolving
// ?as_of=VERSION: a version number of the record (-db), or, with files,
// the version the files are (their X-Dataset-Version), the only one there
// is. A version the record lacks is a 400 naming those it holds. Answers
// at a version of the record are marked immutable (their ETag already
// holds the dataset's version).
func (s *Server) withDataset(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		raw, named := r.URL.Query()[request.AsOfParam]
		if !named {
			d, at := s.store.Snapshot()
			c.SetRequest(r.WithContext(context.WithValue(r.Context(), servedKey{}, served{data: d, loadedAt: at})))
			return next(c)
		}
		if len(raw) > 1 {
			return request.BadParam(request.AsOfParam, "parameter as_of is given %d times; give one dataset version", len(raw))
		}
		v, err := s.resolveAsOf(r.Context(), raw[0])
		if err != nil {
			return err
		}
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), servedKey{}, v)))
		if v.asOf {
			res := c.Response()
			res.Before(func() {
				h := res.Header()
				switch {
				case res.Status != http.StatusOK && res.Status != http.StatusNotModified, h.Get("Cache-Control") == "no-store":
				case strings.HasPrefix(h.Get("Content-Type"), "text/html"):
					// A page is in the reader's language and names this
					// build's assets: a day, per language.
					h.Set("Cache-Control", "public, max-age=86400")
					h.Add("Vary", "Accept-Language")
				default:
					h.Set("Cache-Control", immutable)
				}
			})
		}
		return next(c)
	}
}

// resolveAsOf finds the dataset a value of as_of names.
func (s *Server) resolveAsOf(ctx context.Context, value string) (served, error) {
	d, at := s.store.Snapshot()
	rec := s.opts.Record
	if rec == nil {
		if value == d.Version {
			return served{data: d, loadedAt: at}, nil
		}
		return served{}, request.BadParam(request.AsOfParam, "as_of=%s: the data is files, which keep no history: the only version is the one served, %s; run strikemap with -db to keep versions (docs/editing.md)", strconv.Quote(request.Truncate(value)), d.Version)
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || n < 1 {
		return served{}, s.unknownVersion(ctx, value)
	}
	v, err := rec.VersionAt(ctx, n)
	if errors.Is(err, store.ErrNoVersion) {
		return served{}, s.unknownVersion(ctx, value)
	}
	if err != nil {
		return served{}, fmt.Errorf("read version %d: %w", n, err)
	}
	if d.Record == n {
		return served{data: d, loadedAt: at, asOf: true, at: v}, nil
	}
	old, err := s.versions.get(ctx, rec, n)
	if err != nil {
		return served{}, err
	}
	t, _ := time.Parse("2006-01-02T15:04:05.000Z", v.CreatedAt)
	return served{data: old, loadedAt: t, asOf: true, at: v}, nil
}

// unknownVersion is the 400 for an as_of naming no version of the record.
func (s *Server) unknownVersion(ctx context.Context, value string) error {
	n, err := s.opts.Record.LatestNumber(ctx)
	if err != nil {
		return err
	}
	exist := "the record holds no version yet"
	switch n {
	case 0:
	case 1:
		exist = "the record holds version 1"
	default:
		exist = fmt.Sprintf("the record holds versions 1 to %d", n)
	}
	return request.BadParam(request.AsOfParam, "as_of=%s names no dataset version: %s (GET /api/versions.json lists them)", strconv.Quote(request.Truncate(value)), exist)
}

// versionCache keeps the datasets of the last few old versions asked for,
// within a budget of incidents: a dataset's memory is about proportional to
// its incidents (docs/editing.md has the figure), and the budget keeps an
// old version or two of a large record beside the one served, no more.
type versionCache struct {
	budget int // incidents, across the cached datasets
	mu     sync.Mutex
	recent []*geo.Dataset // most recently used last
	loads  singleflight.Group
}

// DefaultVersionBudget is the incidents the cache of old versions may hold:
// two versions of a million-incident record.
const DefaultVersionBudget = 2_000_000

// maxCachedVersions caps the old versions kept however small they are.
const maxCachedVersions = 8

// get returns version n of rec, loading it (once, however many ask at
// the same time) when it is not cached.
func (vc *versionCache) get(ctx context.Context, rec *store.Store, n int64) (*geo.Dataset, error) {
	vc.mu.Lock()
	for i, d := range vc.recent {
		if d.Record == n {
			vc.recent = append(append(vc.recent[:i:i], vc.recent[i+1:]...), d)
			vc.mu.Unlock()
			return d, nil
		}
	}
	vc.mu.Unlock()
	key := strconv.FormatInt(n, 10)
	v, err, _ := vc.loads.Do(key, func() (any, error) {
		// Not the request's context: other requests wait on this load.
		fsys, err := rec.FSAt(context.WithoutCancel(ctx), n)
		if err != nil {
			return nil, fmt.Errorf("read version %d: %w", n, err)
		}
		d, err := geo.Load(fsys)
		if err != nil {
			return nil, fmt.Errorf("load version %d: %w", n, err)
		}
		d.Record = n
		vc.put(d)
		return d, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*geo.Dataset), nil
}

// put caches d, dropping the least recently used beyond the budget (a
// dataset larger than the whole budget is served and not kept).
func (vc *versionCache) put(d *geo.Dataset) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if len(d.Incidents) > vc.budget {
		return
	}
	vc.recent = append(vc.recent, d)
	total := 0
	for _, c := range vc.recent {
		total += len(c.Incidents)
	}
	for total > vc.budget || len(vc.recent) > maxCachedVersions {
		total -= len(vc.recent[0].Incidents)
		vc.recent = vc.recent[1:]
	}
}
