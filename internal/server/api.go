package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"strikemap/internal/export"
	"strikemap/internal/geo"
	"strikemap/internal/request"
)

// incidents answers GET /api/incidents.geojson?from=&to=&weapon=&status=&base=&bbox=&sort=&limit=&offset=.
// Without limit the whole filtered set streams as it is written, so even a
// million incidents start at once and hold no more memory than a page. sort
// orders the whole filtered set before it is cut into pages, so the first
// page of sort=-date holds the newest incidents.
func (s *Server) incidents(c echo.Context) error {
	d := s.dataset(c)
	q, f, err := filterQuery(c, d, "download", "sort", "limit", "offset", "count")
	if err != nil {
		return err
	}
	order, err := request.Order(q, "sort")
	if err != nil {
		return err
	}
	limit, offset, err := parsePaging(q)
	if err != nil {
		return err
	}
	count, err := parseBool(q, "count")
	if err != nil {
		return err
	}
	if done, err := s.notModified(c, d, q, downloadName("incidents", f, nil)); done || err != nil {
		return err
	}
	// The scans stop when the client goes away.
	ctx := c.Request().Context()
	matches, more, err := d.QueryContext(ctx, f, order, offset, limit)
	if err != nil {
		return err
	}
	// numberMatched only when asked (count=1): counting reads every match,
	// which would make a page of 1,000 cost as much as the whole set. The
	// map page's list asks, once per page, to say "1–500 of 200,000".
	page := export.Page{Matched: -1}
	if count {
		// The page's list counts its filter in the map's view after the
		// map asked for the filter's clusters, whose index counts the
		// filter without the view: from that, a view of nearly everything
		// reads only the incidents outside it.
		unboxed, cached := s.clusterCache.matched(d, f)
		switch {
		case cached && f.BBox == nil:
			page.Matched = unboxed
		case cached:
			page.Matched, err = d.CountInBox(ctx, f, unboxed)
		default:
			page.Matched, err = d.CountContext(ctx, f)
		}
		if err != nil {
			return err
		}
	}
	if limit >= 0 {
		page.Paged = true
		if more {
			page.Next = pageURL(c, q, offset+limit)
		}
		if offset > 0 {
			page.Previous = pageURL(c, q, max(0, offset-limit))
		}
	}
	c.Response().Header().Set(echo.HeaderContentType, geoJSONType)
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	if err := export.WritePage(c.Response(), d, matches, page); err != nil {
		s.log.Warn("streaming incidents", "err", err) // the client went away
	}
	return nil
}

// parsePaging reads limit (1 to 10000; absent: no limit, -1) and offset.
func parsePaging(q url.Values) (limit, offset int, err error) {
	limit, offset = -1, 0
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > maxPageSize {
			return 0, 0, request.BadParam("limit", "limit %s is not a whole number from 1 to %d", strconv.Quote(request.Truncate(q.Get("limit"))), maxPageSize)
		}
		limit = n
	}
	if q.Has("offset") {
		n, err := strconv.Atoi(q.Get("offset"))
		if err != nil || n < 0 || n > 1<<30 {
			return 0, 0, request.BadParam("offset", "offset %s is not a whole number from 0", strconv.Quote(request.Truncate(q.Get("offset"))))
		}
		if limit < 0 {
			return 0, 0, request.BadParam("offset", "offset needs a limit: give limit=N with offset")
		}
		offset = n
	}
	return limit, offset, nil
}

// maxPageSize caps limit on the GeoJSON API.
const maxPageSize = 10000

// pageURL is the request's URL with another offset, written readably
// (bbox=38,32,45,37.5), as the map page writes its links.
func pageURL(c echo.Context, q url.Values, offset int) string {
	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Set("offset", strconv.Itoa(offset))
	return c.Request().URL.Path + "?" + request.ReadableQuery(next)
}

// incidentsCSV answers GET /api/incidents.csv with the same filters as the
// GeoJSON.
func (s *Server) incidentsCSV(c echo.Context) error {
	d := s.dataset(c)
	q, f, err := filterQuery(c, d, "download")
	if err != nil {
		return err
	}
	if done, err := s.notModified(c, d, q, strings.TrimSuffix(downloadName("incidents", f, nil), ".geojson")+".csv"); done || err != nil {
		return err // a cached file costs nothing to build
	}
	ctx := c.Request().Context()
	if err := s.drawing.acquire(ctx); err != nil {
		return err
	}
	defer s.drawing.release()
	matches, _, err := d.QueryContext(ctx, f, geo.ByDate, 0, -1)
	if err != nil {
		return err
	}
	// Row by row, as the GeoJSON streams: memory stays at a row however
	// many incidents match.
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	if err := export.WriteIncidentsCSV(c.Response(), d, matches); err != nil {
		s.log.Warn("streaming incidents as CSV", "err", err) // the client went away
	}
	return nil
}

// bases answers GET /api/bases.geojson. base and bbox choose the bases;
// from, to, weapon and status choose the incidents each summary counts.
func (s *Server) bases(c echo.Context) error {
	d := s.dataset(c)
	q, f, err := filterQuery(c, d, "download")
	if err != nil {
		return err
	}
	bases := d.SelectBases(f)
	counted := f
	counted.BBox = nil
	body, err := export.Bases(bases, d.Summaries(bases, counted))
	if err != nil {
		return err
	}
	return s.geoJSON(c, d, body, q, downloadName("bases", f, nil))
}

// rings answers GET /api/rings.geojson?radii=10,20&base=.
func (s *Server) rings(c echo.Context) error {
	d := s.dataset(c)
	q, err := request.Query(c.QueryString(), "radii", "base", "download")
	if err != nil {
		return err
	}
	radii, err := parseRadii(q, "radii")
	if err != nil {
		return err
	}
	ids, err := request.BaseIDs(q, "base", d)
	if err != nil {
		return err
	}
	rings, err := geo.RangeRings(d.SelectBases(geo.Filter{Bases: ids}), radii)
	if err != nil {
		return request.BadParam("radii", "%v", err)
	}
	body, err := export.Rings(rings)
	if err != nil {
		return err
	}
	return s.geoJSON(c, d, body, q, downloadName("rings", geo.Filter{Bases: ids}, radii))
}

// links answers GET /api/links.geojson with the incident filters.
func (s *Server) links(c echo.Context) error {
	d := s.dataset(c)
	q, f, err := filterQuery(c, d, "download")
	if err != nil {
		return err
	}
	body, err := export.Links(d.Links(f))
	if err != nil {
		return err
	}
	return s.geoJSON(c, d, body, q, downloadName("links", f, nil))
}

// basemap answers GET /api/basemap.geojson: the offline basemap.
func (s *Server) basemap(c echo.Context) error {
	q, err := request.Query(c.QueryString(), "download")
	if err != nil {
		return err
	}
	if len(s.opts.Basemap) == 0 {
		return request.NotFound("this server has no offline basemap")
	}
	return s.geoJSON(c, s.dataset(c), s.opts.Basemap, q, "basemap.geojson")
}

// health answers GET /healthz with the dataset being served and, when the
// data directory is watched, the latest reload. A failed reload makes the
// status "degraded" but the answer stays 200: the server still serves its
// last good dataset, and a load balancer must not take it out for a typo in
// a data file. Monitoring reads "status" and "reload".
func (s *Server) health(c echo.Context) error {
	if _, err := request.Query(c.QueryString()); err != nil {
		return err
	}
	sv := s.servedOf(c.Request())
	d, loadedAt := sv.data, sv.loadedAt
	body := map[string]any{
		"status": "ok",
		"dataset": map[string]any{
			"version":   d.Version,
			"bases":     len(d.Bases),
			"incidents": len(d.Incidents),
			"loaded_at": loadedAt.UTC().Format(time.RFC3339),
		},
	}
	if s.opts.Reloads != nil {
		rl := map[string]any{"ok": true, "at": nil}
		if r, ok := s.opts.Reloads.Last(); ok {
			rl["at"] = r.At.UTC().Format(time.RFC3339)
			if r.Err != nil {
				rl["ok"] = false
				rl["error"] = r.Err.Error()
				body["status"] = "degraded"
			}
		}
		body["reload"] = rl
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, body)
}

// filterQuery reads the incident filters and the extra parameters an
// endpoint takes; any other parameter, or one given twice, is a 400.
func filterQuery(c echo.Context, d *geo.Dataset, extra ...string) (url.Values, geo.Filter, error) {
	q, err := request.Query(c.QueryString(), append(request.FilterParams(), extra...)...)
	if err != nil {
		return nil, geo.Filter{}, err
	}
	f, err := request.Filter(q, d)
	return q, f, err
}
