package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"strikemap/internal/export"
	"strikemap/internal/geo"
)

// incidents answers GET /api/incidents.geojson?from=&to=&weapon=&status=&base=&bbox=.
func (s *Server) incidents(c echo.Context) error {
	d := s.store.Dataset()
	q, err := queryParams(c.QueryString(), append(filterParams, "download")...)
	if err != nil {
		return err
	}
	f, err := parseFilter(q, d)
	if err != nil {
		return err
	}
	body, err := export.Incidents(d, d.Select(f))
	if err != nil {
		return err
	}
	return s.geoJSON(c, d, body, q, downloadName("incidents", f, nil))
}

// bases answers GET /api/bases.geojson. base and bbox choose the bases;
// from, to, weapon and status choose the incidents each summary counts.
func (s *Server) bases(c echo.Context) error {
	d := s.store.Dataset()
	q, err := queryParams(c.QueryString(), append(filterParams, "download")...)
	if err != nil {
		return err
	}
	f, err := parseFilter(q, d)
	if err != nil {
		return err
	}
	bases := selectBases(d, f)
	counted := f
	counted.BBox = nil
	body, err := export.Bases(bases, d.Summaries(bases, counted))
	if err != nil {
		return err
	}
	return s.geoJSON(c, d, body, q, downloadName("bases", f, nil))
}

// selectBases returns the bases named by f.Bases (all when empty) whose point
// lies in f.BBox.
func selectBases(d *geo.Dataset, f geo.Filter) []*geo.Base {
	out := make([]*geo.Base, 0, len(d.Bases))
	for i := range d.Bases {
		b := &d.Bases[i]
		if len(f.Bases) > 0 && !contains(f.Bases, b.ID) {
			continue
		}
		if f.BBox != nil && !geo.InBBox(*f.BBox, b.Point) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// rings answers GET /api/rings.geojson?radii=10,20&base=.
func (s *Server) rings(c echo.Context) error {
	d := s.store.Dataset()
	q, err := queryParams(c.QueryString(), "radii", "base", "download")
	if err != nil {
		return err
	}
	radii, err := parseRadii(q, "radii")
	if err != nil {
		return err
	}
	ids, err := parseBaseIDs(q, "base", d)
	if err != nil {
		return err
	}
	rings, err := geo.RangeRings(selectBases(d, geo.Filter{Bases: ids}), radii)
	if err != nil {
		return badParam("radii", "%v", err)
	}
	body, err := export.Rings(rings)
	if err != nil {
		return err
	}
	return s.geoJSON(c, d, body, q, downloadName("rings", geo.Filter{Bases: ids}, radii))
}

// links answers GET /api/links.geojson with the incident filters.
func (s *Server) links(c echo.Context) error {
	d := s.store.Dataset()
	q, err := queryParams(c.QueryString(), append(filterParams, "download")...)
	if err != nil {
		return err
	}
	f, err := parseFilter(q, d)
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
	q, err := queryParams(c.QueryString(), "download")
	if err != nil {
		return err
	}
	if len(s.opts.Basemap) == 0 {
		return notFound("this server has no offline basemap")
	}
	return s.geoJSON(c, s.store.Dataset(), s.opts.Basemap, q, "basemap.geojson")
}

// health answers GET /healthz with the dataset being served and, when the
// data directory is watched, the latest reload. A failed reload makes the
// status "degraded" but the answer stays 200: the server still serves its
// last good dataset, and a load balancer must not take it out for a typo in
// a data file. Monitoring reads "status" and "reload".
func (s *Server) health(c echo.Context) error {
	if _, err := queryParams(c.QueryString()); err != nil {
		return err
	}
	d, loadedAt := s.store.Snapshot()
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

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
