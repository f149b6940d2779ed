package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"strikemap/internal/catalog"
	"strikemap/internal/geo"
	"strikemap/internal/htmlpage"
	"strikemap/internal/request"
	"strikemap/web/templates"
)

// basePage answers GET /bases/:id?page=N: the printable report of one base.
// The summary, the chart and the map cover all the base's incidents; the
// list shows one page of them, in date order (the API's and the CSV's), so
// a base with 100,000 incidents is not a page of many megabytes.
func (s *Server) basePage(c echo.Context) error {
	q, err := request.Query(c.QueryString(), "page")
	if err != nil {
		return err
	}
	d := s.dataset(c)
	b, ok := d.Base(c.Param("id"))
	if !ok {
		return request.NotFound("there is no base with the id %q", request.Truncate(c.Param("id")))
	}
	f := geo.Filter{Bases: []string{b.ID}}
	total := d.Count(f)
	pages := max(1, (total+reportPageSize-1)/reportPageSize)
	page, err := parsePage(q, pages)
	if err != nil {
		return err
	}
	if page > pages {
		return request.NotFound("%s has %s on %s; there is no page %d", b.Name, plural(total, "incident"), plural(pages, "page"), page)
	}
	offset := (page - 1) * reportPageSize
	list, more := d.Query(f, offset, reportPageSize)
	self := "/bases/" + url.PathEscape(b.ID)
	pageHref := func(n int) string {
		if n == 1 {
			return self
		}
		return self + "?page=" + strconv.Itoa(n)
	}
	paging := templates.ReportPaging{Page: page, Pages: pages, First: offset + 1, Last: offset + len(list), Total: total}
	if page > 1 {
		paging.Prev = pageHref(page - 1)
	}
	if more {
		paging.Next = pageHref(page + 1)
	}
	// The map shows where the base is, with the towns and country round
	// it (at zoom 9 a single town and no country name were in the image),
	// its rings still clear; the phone's narrower image a half zoom out.
	mapPos := fmt.Sprintf("8/%.4f/%.4f", b.Point.Lat(), b.Point.Lon())
	mapQuery := func(zoom string, width, height int) string {
		return url.Values{
			"base": {b.ID}, "layers": {"bases,incidents,rings"}, "map": {fmt.Sprintf("%s/%.4f/%.4f", zoom, b.Point.Lat(), b.Point.Lon())},
			"width": {strconv.Itoa(width)}, "height": {strconv.Itoa(height)}, "legend": {"0"}, "title": {b.Name}, "v": {d.Version},
		}.Encode()
	}
	r := templates.BaseReport{
		Base:           b,
		Summary:        d.Summaries([]*geo.Base{b}, geo.Filter{})[0],
		Timeline:       templates.NewTimeline(d.Select(f)),
		Incidents:      list,
		Paging:         paging,
		Radii:          geo.DefaultRingRadii(),
		Query:          url.Values{"base": {b.ID}}.Encode(),
		MapQuery:       mapQuery("8", templates.MapWidth, templates.MapHeight),
		NarrowMapQuery: mapQuery("7.5", templates.NarrowMapWidth, templates.NarrowMapHeight),
		MediumMapQuery: mapQuery("7.5", templates.MediumMapWidth, templates.MediumMapHeight),
		MapLink:        "/?" + request.ReadableQuery(url.Values{"base": {b.ID}, "map": {mapPos}, "layers": {"bases,incidents,rings"}}),
	}
	title := b.Name
	if page > 1 {
		title = fmt.Sprintf("%s, incidents page %d of %d", b.Name, page, pages)
	}
	return htmlpage.Write(c, http.StatusOK, templates.BasePage(s.page(title, d), r))
}

// reportPageSize is how many incidents a page of a base's report lists.
const reportPageSize = 200

// parsePage reads page, a page number from 1 (the default). A number past
// the last page is the caller's 404; anything else that is not a page
// number is a 400.
func parsePage(q url.Values, pages int) (int, error) {
	if !q.Has("page") {
		return 1, nil
	}
	s := q.Get("page")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, request.BadParam("page", "page %s is not a page number; give a whole number from 1 to %d, or leave it out for the first page", strconv.Quote(request.Truncate(s)), pages)
	}
	return n, nil
}

// plural is "1 incident", "12 incidents".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// incidentPage answers GET /incidents/:id: the permalink of one incident.
func (s *Server) incidentPage(c echo.Context) error {
	if _, err := request.Query(c.QueryString()); err != nil {
		return err
	}
	d := s.dataset(c)
	inc, ok := d.Incident(c.Param("id"))
	if !ok {
		return request.NotFound("there is no incident with the id %q", request.Truncate(c.Param("id")))
	}
	base, _ := d.Base(inc.Base)
	// The map is centred on the incident, which the page draws over it,
	// ringed; the image holds the bases and, dashed, the line to its target.
	mapPos := fmt.Sprintf("9/%.5f/%.5f", inc.Point.Lat(), inc.Point.Lon())
	mapQuery := func(width, height int) string {
		q := url.Values{"layers": {"bases,links"}, "map": {mapPos}, "width": {strconv.Itoa(width)}, "height": {strconv.Itoa(height)}, "legend": {"0"}, "title": {""}, "v": {d.Version},
			"from": {inc.Date.String()}, "to": {inc.DateEnd.String()}, "weapon": {inc.Weapon.String()}, "status": {inc.Status.String()}}
		if inc.Base != "" {
			q.Set("base", inc.Base)
		}
		return q.Encode()
	}
	link := url.Values{"sel": {inc.ID}, "map": {mapPos}}
	self := "/incidents/" + url.PathEscape(inc.ID)
	r := templates.IncidentReport{Incident: inc, Base: base, MapQuery: mapQuery(templates.MapWidth, templates.MapHeight),
		NarrowMapQuery: mapQuery(templates.NarrowMapWidth, templates.NarrowMapHeight),
		MediumMapQuery: mapQuery(templates.MediumMapWidth, templates.MediumMapHeight), MapLink: "/?" + request.ReadableQuery(link),
		Permalink: s.opts.PublicURL(c.Request()) + self}
	if s.opts.Record != nil {
		r.History = "/incidents/" + url.PathEscape(inc.ID) + "/history"
	}
	p := s.page(templates.IncidentTitle(catalog.NewContext(c.Request().Context(), htmlpage.Messages(c)), inc, base), d)
	p.Scripts = append(p.Scripts, "js/permalink.js")
	return htmlpage.Write(c, http.StatusOK, templates.IncidentPage(p, r))
}
