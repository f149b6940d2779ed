package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"strikemap/internal/export"
	"strikemap/internal/geo"
	"strikemap/internal/request"
)

// incidents answers GET /api/incidents.geojson?from=&to=&weapon=&status=&base=&bbox=.
func (s *Server) incidents(c echo.Context) error {
	d := s.store.Dataset()
	q, err := request.Query(c.QueryString(), append(request.FilterParams, "download")...)
	if err != nil {
		return err
	}
	f, err := request.Filter(q, d)
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
	q, err := request.Query(c.QueryString(), append(request.FilterParams, "download")...)
	if err != nil {
		return err
	}
	f, err := request.Filter(q, d)
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
	d := s.store.Dataset()
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
	d := s.store.Dataset()
	q, err := request.Query(c.QueryString(), append(request.FilterParams, "download")...)
	if err != nil {
		return err
	}
	f, err := request.Filter(q, d)
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
	return s.geoJSON(c, s.store.Dataset(), s.opts.Basemap, q, "basemap.geojson")
}

// health answers GET /healthz with the dataset being served.
func (s *Server) health(c echo.Context) error {
	if _, err := request.Query(c.QueryString()); err != nil {
		return err
	}
	d := s.store.Dataset()
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{
		"status": "ok",
		"dataset": map[string]any{
			"version":   d.Version,
			"bases":     len(d.Bases),
			"incidents": len(d.Incidents),
			"loaded_at": s.store.LoadedAt().UTC().Format(time.RFC3339),
		},
	})
}
