package ogcapi

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"strikemap/internal/export"
	"strikemap/internal/geo"
	"strikemap/internal/request"
	"strikemap/web/templates"
)

// The page size: the default, and the most a client may ask for.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// itemParams are the query parameters of each collection's items request:
// weapon and base are the incidents' own, and also choose which incidents
// a base's counts cover; a strike has neither.
var itemParams = map[string][]string{
	"bases":     {"bbox", "datetime", "limit", "offset", "weapon", "status", "base", "f"},
	"incidents": {"bbox", "datetime", "limit", "offset", "weapon", "status", "base", "f"},
	"strikes":   {"bbox", "datetime", "limit", "offset", "status", "f"},
}

// itemsQuery is a parsed items request.
type itemsQuery struct {
	filter        geo.Filter
	limit, offset int
}

// parseItemsQuery reads the items request's parameters. Base ids must exist
// in d.
func parseItemsQuery(q url.Values, d *geo.Dataset) (itemsQuery, error) {
	iq := itemsQuery{limit: DefaultLimit}
	var err error
	if iq.limit, err = parseInt(q, "limit", DefaultLimit, 1, MaxLimit); err != nil {
		return iq, err
	}
	if iq.offset, err = parseInt(q, "offset", 0, 0, 1<<31-1); err != nil {
		return iq, err
	}
	f := &iq.filter
	if f.From, f.To, err = parseDatetime(q, "datetime"); err != nil {
		return iq, err
	}
	if f.BBox, err = parseBBox(q, "bbox"); err != nil {
		return iq, err
	}
	if f.Weapons, err = request.WeaponParam(q); err != nil {
		return iq, err
	}
	if f.Statuses, err = request.StatusParam(q); err != nil {
		return iq, err
	}
	if f.Bases, err = request.BaseIDs(q, "base", d); err != nil {
		return iq, err
	}
	return iq, nil
}

// parseInt reads a whole number within [lo, hi], or def when absent.
func parseInt(q url.Values, name string, def, lo, hi int) (int, error) {
	if !q.Has(name) {
		return def, nil
	}
	s := q.Get(name)
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, request.BadParam(name, "%s %s is not a whole number from %d to %d", name, strconv.Quote(request.Truncate(s)), lo, hi)
	}
	return n, nil
}

// parseBBox reads bbox as request.BBox does, also accepting the six-number
// form minLon,minLat,minHeight,maxLon,maxLat,maxHeight, whose heights must be
// numbers but are ignored: strikemap's points have none.
func parseBBox(q url.Values, name string) (*orb.Bound, error) {
	if !q.Has(name) {
		return nil, nil
	}
	const want = "give minLon,minLat,maxLon,maxLat in degrees (CRS84), e.g. 38,32,45,37.5, or six numbers with a minimum and maximum height after the latitudes (the heights are ignored)"
	parts := strings.Split(q.Get(name), ",")
	switch len(parts) {
	case 4:
		return request.BBox(q, name)
	case 6:
		for _, i := range []int{2, 5} {
			if x, err := strconv.ParseFloat(strings.TrimSpace(parts[i]), 64); err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, request.BadParam(name, "%s value %d, %s, is not a finite number; %s", name, i+1, strconv.Quote(request.Truncate(parts[i])), want)
			}
		}
		return request.BBox(url.Values{name: {strings.Join([]string{parts[0], parts[1], parts[3], parts[4]}, ",")}}, name)
	}
	return nil, request.BadParam(name, "%s has %d numbers; %s", name, len(parts), want)
}

// parseDatetime reads an RFC 3339 date or date-time, or an interval
// start/end whose open ends are ".." (or empty), as an inclusive range of
// days: a date-time counts as its calendar day as written, since incidents
// are dated by local day. Nil ends are open.
func parseDatetime(q url.Values, name string) (from, to *geo.Date, err error) {
	if !q.Has(name) {
		return nil, nil, nil
	}
	const want = "give an RFC 3339 date or date-time (2023-10-18, 2023-10-18T12:00:00Z) or an interval start/end with .. for an open end (2023-10-18/2023-10-22, 2023-10-18/.., ../2023-10-22)"
	s := q.Get(name)
	if s == "" {
		return nil, nil, request.BadParam(name, "%s is empty; %s", name, want)
	}
	start, end, interval := strings.Cut(s, "/")
	if !interval {
		d, err := parseInstant(name, s, want)
		if err != nil {
			return nil, nil, err
		}
		return &d, &d, nil
	}
	if strings.Contains(end, "/") {
		return nil, nil, request.BadParam(name, "%s %s has more than one /; %s", name, strconv.Quote(request.Truncate(s)), want)
	}
	for _, part := range []struct {
		s   string
		out **geo.Date
	}{{start, &from}, {end, &to}} {
		if part.s == ".." || part.s == "" {
			continue
		}
		d, err := parseInstant(name, part.s, want)
		if err != nil {
			return nil, nil, err
		}
		*part.out = &d
	}
	if from != nil && to != nil && *from > *to {
		return nil, nil, request.BadParam(name, "%s interval starts on %s, after it ends on %s; give the start first", name, from, to)
	}
	return from, to, nil
}

// parseInstant reads one RFC 3339 date or date-time as its calendar day.
func parseInstant(name, s, want string) (geo.Date, error) {
	if len(s) == len(geo.DateLayout) {
		if d, err := geo.ParseDate(s); err == nil {
			return d, nil
		}
	} else if t, err := time.Parse(time.RFC3339, strings.ToUpper(s)); err == nil {
		return geo.DateOf(t), nil
	}
	return 0, request.BadParam(name, "%s: %s is not an RFC 3339 date or date-time; %s", name, strconv.Quote(request.Truncate(s)), want)
}

// items answers GET /ogc/collections/{collectionId}/items.
func (h *handler) items(c echo.Context) error {
	ci, err := findCollection(c.Param("collectionId"))
	if err != nil {
		return err
	}
	q, err := request.Query(c.QueryString(), itemParams[ci.ID]...)
	if err != nil {
		return err
	}
	f, err := format(c, q, featureFormats)
	if err != nil {
		return err
	}
	d := h.dataset(c.Request())
	iq, err := parseItemsQuery(q, d)
	if err != nil {
		return err
	}
	p := itemsPage{h: h, req: c.Request(), d: d, q: q, format: f, collection: ci, limit: iq.limit, offset: iq.offset}
	if ci.ID == "strikes" {
		strikes := d.SelectStrikes(iq.filter)
		lo, hi := p.bounds(len(strikes))
		return writeItems(c, p, export.StrikeCollection(strikes[lo:hi]), len(strikes), hi < len(strikes), strikeRow)
	}
	if ci.ID == "bases" {
		bases := d.SelectBases(iq.filter)
		lo, hi := p.bounds(len(bases))
		// As on /api/bases.geojson: bbox and base choose the bases, the other
		// filters the incidents each base's summary counts.
		counted := iq.filter
		counted.BBox = nil
		page := bases[lo:hi]
		return writeItems(c, p, export.BaseCollection(page, d.Summaries(page, counted)), len(bases), hi < len(bases), baseRow)
	}
	// Only the page is read, through the query index, and the work stops
	// when the client goes away.
	ctx := c.Request().Context()
	page, more, err := d.QueryContext(ctx, iq.filter, geo.ByDate, iq.offset, iq.limit)
	if err != nil {
		return err
	}
	if f == formatHTML {
		// A person reads "Features 1 to 100 of N": count them all.
		matched, err := d.CountContext(ctx, iq.filter)
		if err != nil {
			return err
		}
		return writeItems(c, p, export.IncidentCollection(d, page), matched, more, incidentRow)
	}
	// numberMatched is optional in OGC API Features (Part 1, 7.15.4):
	// counting reads every candidate the index gives, which for a wide box
	// costs far more than the page, so it is given only when that read is
	// small (or free: no filter). Clients page with the next link.
	matched, ok, err := d.CountAtMost(ctx, iq.filter, CountBudget)
	if err != nil {
		return err
	}
	if !ok {
		matched = -1
	}
	return p.streamIncidents(c, page, matched, more)
}

// CountBudget is how many candidate incidents an items page of GeoJSON may
// read to give numberMatched: well under a millisecond.
const CountBudget = 20000

// streamIncidents writes a page of incidents as GeoJSON feature by
// feature, with the OGC API's members; matched < 0 leaves numberMatched
// out.
func (p itemsPage) streamIncidents(c echo.Context, page []*geo.Incident, matched int, more bool) error {
	links := p.links(matched, len(page), more)
	c.Response().Header().Set(echo.HeaderContentType, typeGeoJSON)
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	err := export.WritePage(c.Response(), p.d, page, export.Page{Paged: true, Matched: matched, Members: []export.Member{
		{Name: "links", Value: links},
		{Name: "timeStamp", Value: p.h.opts.Now().UTC().Format(time.RFC3339)},
	}})
	if err != nil {
		return fmt.Errorf("streaming items: %w", err) // the client went away
	}
	return nil
}

// itemsPage is what writing one page of items needs to know: the request
// for its links, never the echo.Context, which echo reuses.
type itemsPage struct {
	h             *handler
	req           *http.Request
	d             *geo.Dataset // the snapshot the page shows
	q             url.Values
	format        string
	collection    collectionInfo
	limit, offset int
}

// bounds returns the slice bounds of the page among n matched features.
func (p itemsPage) bounds(n int) (lo, hi int) {
	lo = min(p.offset, n)
	return lo, min(lo+p.limit, n)
}

// pageHref is the URL of the page at offset in format f, keeping every
// other parameter of the request.
func (p itemsPage) pageHref(offset int, f string) string {
	q := make(url.Values, len(p.q)+2)
	for k, v := range p.q {
		q[k] = v
	}
	q.Set("limit", strconv.Itoa(p.limit))
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	} else {
		q.Del("offset")
	}
	if f != "" {
		q.Set("f", f)
	}
	return p.h.href(p.req, "/collections/"+p.collection.ID+"/items", q)
}

// links are the page's self, alternate, next, prev and collection links;
// more tells whether features follow the page, and matched, when known
// (0 or more), how many there are in all.
func (p itemsPage) links(matched, returned int, more bool) []Link {
	mediaType := typeGeoJSON
	if p.format == formatHTML {
		mediaType = typeHTML
	}
	keep := p.q.Get("f") // next and prev keep the format as the client chose it
	title := p.collection.Title
	links := []Link{{Href: p.pageHref(p.offset, keep), Rel: "self", Type: mediaType, Title: "this page of " + title}}
	if p.format == formatHTML {
		links = append(links, Link{Href: p.pageHref(p.offset, formatGeoJSON), Rel: "alternate", Type: typeGeoJSON, Title: "this page as GeoJSON"})
	} else {
		links = append(links, Link{Href: p.pageHref(p.offset, formatHTML), Rel: "alternate", Type: typeHTML, Title: "this page as HTML"})
	}
	if more {
		links = append(links, Link{Href: p.pageHref(p.offset+p.limit, keep), Rel: "next", Type: mediaType, Title: "the next page"})
	}
	if p.offset > 0 {
		last := p.offset
		if matched >= 0 {
			last = min(last, matched)
		}
		links = append(links, Link{Href: p.pageHref(max(0, last-p.limit), keep), Rel: "prev", Type: mediaType, Title: "the previous page"})
	}
	links = append(links, Link{Href: p.h.href(p.req, "/collections/"+p.collection.ID, nil), Rel: "collection", Type: typeJSON, Title: title})
	return links
}

// writeItems writes a page of features as GeoJSON with the OGC API's members,
// or as an HTML table with a map. row gives a feature's cells for the table.
func writeItems[P any](c echo.Context, p itemsPage, fc *geojson.FeatureCollectionOf[P], matched int, more bool, row func(*geojson.FeatureOf[P]) []string) error {
	returned := len(fc.Features)
	links := p.links(matched, returned, more)
	if p.format == formatHTML {
		body, err := export.Marshal(fc)
		if err != nil {
			return err
		}
		view := templates.OGCItems{
			Collection: p.collection.Title, CollectionHref: p.h.href(p.req, "/collections/"+p.collection.ID, url.Values{"f": {formatHTML}}),
			Columns: columns[p.collection.ID], Matched: matched, Returned: returned, Offset: p.offset,
			Links: htmlLinks(links), Map: p.h.mapData(body),
		}
		for _, l := range links {
			switch l.Rel {
			case "next":
				view.Next = l.Href
			case "prev":
				view.Prev = l.Href
			}
		}
		for _, f := range fc.Features {
			id, _ := f.ID.(string)
			view.Rows = append(view.Rows, templates.OGCRow{ID: id, Href: p.h.itemHref(p.req, p.collection.ID, id, formatHTML), Cells: row(f)})
		}
		return render(c, templates.OGCItemsPage(p.h.opts.Page(p.collection.Title, p.d), view))
	}
	fc.ExtraMembers = geojson.Properties{
		"links":          links,
		"timeStamp":      p.h.opts.Now().UTC().Format(time.RFC3339),
		"numberMatched":  matched,
		"numberReturned": returned,
	}
	body, err := export.Marshal(fc)
	if err != nil {
		return err
	}
	return writeBody(c, typeGeoJSON, body)
}

// columns head the HTML table of each collection's items, after the id.
var columns = map[string][]string{
	"bases":     {"Name", "Country", "Kind", "Attacks"},
	"incidents": {"Date", "Weapon", "Status", "Target"},
	"strikes":   {"Date", "Target", "Place", "Status"},
}

func baseRow(f *geojson.FeatureOf[export.BaseProperties]) []string {
	p := f.Properties
	return []string{p.Name, p.Country, p.Kind, strconv.Itoa(p.Attacks)}
}

func incidentRow(f *geojson.FeatureOf[export.IncidentProperties]) []string {
	p := f.Properties
	date := p.Date
	if p.DateEnd != nil {
		date += " to " + *p.DateEnd
	}
	target := "none"
	if p.BaseName != nil {
		target = *p.BaseName
	}
	return []string{date, p.Weapon.String(), p.Status.String(), target}
}

func strikeRow(f *geojson.FeatureOf[export.StrikeProperties]) []string {
	p := f.Properties
	date := p.Date
	if p.DateEnd != nil {
		date += " to " + *p.DateEnd
	}
	return []string{date, p.Target, p.Place, p.Status.String()}
}

// itemHref is the URL of one feature in format f.
func (h *handler) itemHref(r *http.Request, collection, id, f string) string {
	var q url.Values
	if f != "" {
		q = url.Values{"f": {f}}
	}
	return h.href(r, "/collections/"+collection+"/items/"+url.PathEscape(id), q)
}

// mapData is what the HTML pages' map script reads: the tiles and the
// features as GeoJSON.
func (h *handler) mapData(geoJSON []byte) templates.OGCMap {
	return templates.OGCMap{TileURL: h.opts.TileURL, TileAttribution: h.opts.TileAttribution, Features: json.RawMessage(geoJSON)}
}

// item answers GET /ogc/collections/{collectionId}/items/{featureId}.
func (h *handler) item(c echo.Context) error {
	ci, err := findCollection(c.Param("collectionId"))
	if err != nil {
		return err
	}
	id, err := url.PathUnescape(c.Param("featureId"))
	if err != nil {
		id = c.Param("featureId")
	}
	q, err := request.Query(c.QueryString(), "f")
	if err != nil {
		return err
	}
	f, err := format(c, q, featureFormats)
	if err != nil {
		return err
	}
	d, r := h.dataset(c.Request()), c.Request()
	notFound := request.NotFound("there is no feature %s in %s", strconv.Quote(request.Truncate(id)), ci.ID)
	view := templates.OGCItem{Collection: ci.Title, CollectionHref: h.href(r, "/collections/"+ci.ID+"/items", url.Values{"f": {formatHTML}}), ID: id}
	var feature any
	switch ci.ID {
	case "bases":
		b, ok := d.Base(id)
		if !ok {
			return notFound
		}
		bases := []*geo.Base{b}
		ft := export.BaseFeature(b, d.Summaries(bases, geo.Filter{})[0])
		feature, view.Title = ft, b.Name
		view.Properties = baseProperties(ft.Properties)
	case "strikes":
		s, ok := d.Strike(id)
		if !ok {
			return notFound
		}
		ft := export.StrikeFeature(s)
		feature, view.Title = ft, s.ID
		view.Properties, view.Sources = strikeProperties(ft.Properties)
	default:
		inc, ok := d.Incident(id)
		if !ok {
			return notFound
		}
		ft := export.IncidentFeature(d, inc)
		feature, view.Title = ft, inc.ID
		view.Properties, view.Sources = incidentProperties(ft.Properties)
	}
	links := []Link{
		{Href: h.itemHref(r, ci.ID, id, f), Rel: "self", Type: typeGeoJSON, Title: "this feature"},
		{Href: h.itemHref(r, ci.ID, id, formatHTML), Rel: "alternate", Type: typeHTML, Title: "this feature as HTML"},
		{Href: h.href(r, "/collections/"+ci.ID, nil), Rel: "collection", Type: typeJSON, Title: ci.Title},
	}
	if f == formatHTML {
		links[0].Type, links[1] = typeHTML, Link{Href: h.itemHref(r, ci.ID, id, formatGeoJSON), Rel: "alternate", Type: typeGeoJSON, Title: "this feature as GeoJSON"}
		body, err := json.Marshal(feature)
		if err != nil {
			return err
		}
		view.Links, view.Map = htmlLinks(links), h.mapData(body)
		return render(c, templates.OGCItemPage(h.opts.Page(view.Title, d), view))
	}
	switch ft := feature.(type) {
	case *geojson.FeatureOf[export.BaseProperties]:
		ft.ExtraMembers = geojson.Properties{"links": links}
	case *geojson.FeatureOf[export.IncidentProperties]:
		ft.ExtraMembers = geojson.Properties{"links": links}
	case *geojson.FeatureOf[export.StrikeProperties]:
		ft.ExtraMembers = geojson.Properties{"links": links}
	}
	return writeJSON(c, typeGeoJSON, feature)
}

// baseProperties lists a base's properties for its HTML page.
func baseProperties(p export.BaseProperties) []templates.OGCProperty {
	return []templates.OGCProperty{
		{Name: "name", Value: p.Name},
		{Name: "aliases", Value: strings.Join(p.Aliases, ", ")},
		{Name: "country", Value: p.Country},
		{Name: "admin1", Value: p.Admin1},
		{Name: "kind", Value: p.Kind},
		{Name: "icao", Value: deref(p.ICAO)},
		{Name: "iata", Value: deref(p.IATA)},
		{Name: "coord_source", Value: p.CoordSource},
		{Name: "coord_source_url", Value: deref(p.CoordURL)},
		{Name: "attacks", Value: strconv.Itoa(p.Attacks)},
		{Name: "first_attack", Value: deref(p.FirstAttack)},
		{Name: "last_attack", Value: deref(p.LastAttack)},
		{Name: "injured", Value: fmt.Sprintf("%d (unknown in %d incidents)", p.Injured, p.UnknownInjured)},
		{Name: "killed", Value: fmt.Sprintf("%d (unknown in %d incidents)", p.Killed, p.UnknownKilled)},
		{Name: "notes", Value: p.Notes},
	}
}

// incidentProperties lists an incident's properties and sources for its
// HTML page.
func incidentProperties(p export.IncidentProperties) ([]templates.OGCProperty, []templates.OGCSource) {
	props := []templates.OGCProperty{
		{Name: "date", Value: p.Date},
		{Name: "date_end", Value: deref(p.DateEnd)},
		{Name: "weapon", Value: p.Weapon.String()},
		{Name: "count", Value: derefInt(p.Count)},
		{Name: "base", Value: deref(p.Base)},
		{Name: "base_name", Value: deref(p.BaseName)},
		{Name: "status", Value: p.Status.String()},
		{Name: "outcome", Value: p.Outcome},
		{Name: "injured", Value: derefInt(p.Injured)},
		{Name: "killed", Value: derefInt(p.Killed)},
		{Name: "claimed_by", Value: strings.Join(p.ClaimedBy, ", ")},
		{Name: "location_precision", Value: p.LocationPrecision.String()},
		{Name: "disputed", Value: strings.Join(p.Disputed, ", ")},
		{Name: "notes", Value: p.Notes},
	}
	return props, ogcSources(p.Sources)
}

// strikeProperties lists a strike's properties and sources for its HTML
// page.
func strikeProperties(p export.StrikeProperties) ([]templates.OGCProperty, []templates.OGCSource) {
	props := []templates.OGCProperty{
		{Name: "kind", Value: p.Kind},
		{Name: "date", Value: p.Date},
		{Name: "date_end", Value: deref(p.DateEnd)},
		{Name: "attacker", Value: p.Attacker},
		{Name: "target", Value: p.Target},
		{Name: "target_groups", Value: strings.Join(p.TargetGroups, ", ")},
		{Name: "place", Value: p.Place},
		{Name: "country", Value: p.Country},
		{Name: "location_precision", Value: p.LocationPrecision.String()},
		{Name: "coord_source", Value: p.CoordSource},
		{Name: "in_response_to", Value: strings.Join(p.InResponseTo, ", ")},
		{Name: "killed", Value: derefInt(p.Killed)},
		{Name: "status", Value: p.Status.String()},
		{Name: "disputed", Value: strings.Join(p.Disputed, ", ")},
		{Name: "notes", Value: p.Notes},
	}
	return props, ogcSources(p.Sources)
}

// ogcSources converts sources for the templates.
func ogcSources(in []export.SourceObject) []templates.OGCSource {
	out := make([]templates.OGCSource, len(in))
	for i, s := range in {
		out[i] = templates.OGCSource{Publisher: s.Publisher, URL: deref(s.URL), Published: deref(s.Published), Kind: s.Kind.String(), Says: s.Says}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int) string {
	if n == nil {
		return "unknown"
	}
	return strconv.Itoa(*n)
}
