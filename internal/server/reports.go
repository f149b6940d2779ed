package server

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"strikemap/internal/geo"
	"strikemap/internal/request"
	"strikemap/web/templates"
)

// basePage answers GET /bases/:id: the printable report of one base.
func (s *Server) basePage(c echo.Context) error {
	if _, err := request.Query(c.QueryString()); err != nil {
		return err
	}
	d := s.store.Dataset()
	b, ok := d.Base(c.Param("id"))
	if !ok {
		return request.NotFound("there is no base with the id %q", request.Truncate(c.Param("id")))
	}
	f := geo.Filter{Bases: []string{b.ID}}
	mapPos := fmt.Sprintf("9/%.4f/%.4f", b.Point.Lat(), b.Point.Lon())
	r := templates.BaseReport{
		Base:      b,
		Summary:   d.Summaries([]*geo.Base{b}, geo.Filter{})[0],
		Days:      d.PerDay(f),
		Incidents: d.Select(f),
		Radii:     geo.DefaultRingRadii,
		Query:     url.Values{"base": {b.ID}}.Encode(),
		MapQuery: url.Values{
			"base": {b.ID}, "layers": {"bases,incidents,rings"}, "map": {mapPos},
			"width": {"640"}, "height": {"420"}, "legend": {"0"}, "title": {b.Name}, "v": {d.Version},
		}.Encode(),
		MapLink: "/?" + url.Values{"base": {b.ID}, "map": {mapPos}, "layers": {"bases,incidents,rings"}}.Encode(),
	}
	return render(c, http.StatusOK, templates.BasePage(s.page(b.Name, d), r))
}

// incidentPage answers GET /incidents/:id: the permalink of one incident.
func (s *Server) incidentPage(c echo.Context) error {
	if _, err := request.Query(c.QueryString()); err != nil {
		return err
	}
	d := s.store.Dataset()
	inc, ok := d.Incident(c.Param("id"))
	if !ok {
		return request.NotFound("there is no incident with the id %q", request.Truncate(c.Param("id")))
	}
	base, _ := d.Base(inc.Base)
	mapPos := fmt.Sprintf("9/%.4f/%.4f", inc.Point.Lat(), inc.Point.Lon())
	filter := url.Values{"from": {inc.Date.String()}, "to": {inc.DateEnd.String()}}
	if inc.Base != "" {
		filter.Set("base", inc.Base)
	}
	mapQuery := url.Values{"layers": {"bases,incidents,links"}, "map": {mapPos}, "width": {"640"}, "height": {"420"}, "legend": {"0"}, "title": {""}, "v": {d.Version}}
	for k, v := range filter {
		mapQuery[k] = v
	}
	link := url.Values{"sel": {inc.ID}, "map": {mapPos}}
	r := templates.IncidentReport{Incident: inc, Base: base, MapQuery: mapQuery.Encode(), MapLink: "/?" + link.Encode()}
	return render(c, http.StatusOK, templates.IncidentPage(s.page(inc.ID, d), r))
}
