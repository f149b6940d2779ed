package ogcapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"strikemap/internal/geo"
	"strikemap/internal/request"
	"strikemap/web/templates"
)

// ConformsTo lists the conformance classes the API implements.
func ConformsTo() []string { return slices.Clone(conformsTo) }

// conformsTo is what ConformsTo returns a copy of.
var conformsTo = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
}

const (
	crs84         = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	gregorian     = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
	relQueryables = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
)

// collectionInfo describes one of the collections.
type collectionInfo struct {
	ID, Title, Description string
}

var collectionInfos = []collectionInfo{
	{"bases", "Bases", "Military bases that the incidents target, each with the number of attacks on it by weapon and by status, its first and last attack, and its known casualties."},
	{"incidents", "Incidents", "Drone, rocket and missile attacks on the bases, each dated by local day (date, and date_end for a span), with its weapon, how well attested it is (claimed, reported, confirmed), its target base, casualties and every source."},
	{"strikes", "Strikes", "Strikes made in response to the attacks (the US strikes in Iraq and Syria), each dated by local day, with who struck, what was struck and the groups that used it, the incidents the sources say it answered, how well attested it is, and every source. Not incidents: the roles are reversed."},
}

// findCollection returns the collection named id, or a 404.
func findCollection(id string) (collectionInfo, error) {
	for _, ci := range collectionInfos {
		if ci.ID == id {
			return ci, nil
		}
	}
	return collectionInfo{}, request.NotFound("there is no collection %s; the collections are bases, incidents and strikes", strconv.Quote(request.Truncate(id)))
}

// landingPage is the JSON of the landing page.
type landingPage struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []Link `json:"links"`
}

// landing answers GET /ogc.
func (h *handler) landing(c echo.Context) error {
	q, err := request.Query(c.QueryString(), "f")
	if err != nil {
		return err
	}
	f, err := format(c, q, metadataFormats)
	if err != nil {
		return err
	}
	r := c.Request()
	lp := landingPage{
		Title:       "strikemap",
		Description: "Military bases and the attacks on them, every incident traceable to its sources, as OGC API – Features.",
		Links: append(selfLinks(h, r, "", f, typeJSON, "this page"),
			Link{Href: h.href(r, "/api", url.Values{"f": {formatJSON}}), Rel: "service-desc", Type: typeOpenAPI, Title: "the API definition (OpenAPI 3.0)"},
			Link{Href: h.href(r, "/api", url.Values{"f": {formatHTML}}), Rel: "service-doc", Type: typeHTML, Title: "the API documentation"},
			Link{Href: h.href(r, "/conformance", nil), Rel: "conformance", Type: typeJSON, Title: "the conformance classes implemented"},
			Link{Href: h.href(r, "/collections", nil), Rel: "data", Type: typeJSON, Title: "the feature collections"},
		),
	}
	if f == formatHTML {
		return render(c, templates.OGCLandingPage(h.opts.Page("OGC API", h.dataset(c.Request())), templates.OGCLanding{
			Title: lp.Title, Description: lp.Description, Links: htmlLinks(lp.Links),
		}))
	}
	return writeJSON(c, typeJSON, lp)
}

// selfLinks are the self link in format f and an alternate link for the
// other one, for a resource at path whose JSON has media type jsonType.
func selfLinks(h *handler, r *http.Request, path, f, jsonType, title string) []Link {
	q := url.Values{}
	if raw, err := url.ParseQuery(r.URL.RawQuery); err == nil {
		q = raw
	}
	jsonLink := Link{Href: h.href(r, path, withFormat(q, formatJSON)), Type: jsonType, Title: title + " as JSON"}
	htmlLink := Link{Href: h.href(r, path, withFormat(q, formatHTML)), Type: typeHTML, Title: title + " as HTML"}
	if f == formatHTML {
		htmlLink.Rel, jsonLink.Rel = "self", "alternate"
		return []Link{htmlLink, jsonLink}
	}
	jsonLink.Rel, htmlLink.Rel = "self", "alternate"
	return []Link{jsonLink, htmlLink}
}

// conformance answers GET /ogc/conformance.
func (h *handler) conformance(c echo.Context) error {
	q, err := request.Query(c.QueryString(), "f")
	if err != nil {
		return err
	}
	f, err := format(c, q, metadataFormats)
	if err != nil {
		return err
	}
	if f == formatHTML {
		return render(c, templates.OGCConformancePage(h.opts.Page("OGC API conformance", h.dataset(c.Request())), conformsTo, htmlLinks(selfLinks(h, c.Request(), "/conformance", f, typeJSON, "the conformance declaration"))))
	}
	return writeJSON(c, typeJSON, map[string][]string{"conformsTo": conformsTo})
}

// collectionDoc is the JSON of a collection.
type collectionDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	Extent      *extent  `json:"extent,omitempty"`
	Links       []Link   `json:"links"`
}

type extent struct {
	Spatial  spatialExtent   `json:"spatial"`
	Temporal *temporalExtent `json:"temporal,omitempty"`
}

type spatialExtent struct {
	BBox [][4]float64 `json:"bbox"`
	CRS  string       `json:"crs"`
}

type temporalExtent struct {
	Interval [][2]string `json:"interval"`
	TRS      string      `json:"trs"`
}

// collectionExtent is the extent of a collection's data: the bbox of its
// points in CRS84 and, for incidents and strikes, the interval from the
// start of the first day to the end of the last day in UTC. It is nil when the collection
// is empty.
func collectionExtent(d *geo.Dataset, id string) *extent {
	var points []orb.Point
	var first, last geo.Date
	dated := false
	switch id {
	case "bases":
		for i := range d.Bases {
			points = append(points, d.Bases[i].Point)
		}
	case "incidents":
		for i := range d.Incidents {
			points = append(points, d.Incidents[i].Point)
		}
		first, last, dated = d.Span()
	case "strikes":
		for i := range d.Strikes {
			points = append(points, d.Strikes[i].Point)
		}
		first, last, dated = d.StrikeSpan()
	}
	var temporal *temporalExtent
	if dated {
		temporal = &temporalExtent{
			Interval: [][2]string{{first.Time().Format(time.RFC3339), last.AddDays(1).Time().Add(-time.Second).Format(time.RFC3339)}},
			TRS:      gregorian,
		}
	}
	if len(points) == 0 {
		return nil
	}
	b := points[0].Bound()
	for _, p := range points[1:] {
		b = b.Extend(p)
	}
	return &extent{
		Spatial:  spatialExtent{BBox: [][4]float64{{b.Min.Lon(), b.Min.Lat(), b.Max.Lon(), b.Max.Lat()}}, CRS: crs84},
		Temporal: temporal,
	}
}

// describe returns the JSON of collection ci.
func (h *handler) describe(r *http.Request, d *geo.Dataset, ci collectionInfo, self []Link) collectionDoc {
	path := "/collections/" + ci.ID
	links := append(self,
		Link{Href: h.href(r, path+"/items", url.Values{"f": {formatGeoJSON}}), Rel: "items", Type: typeGeoJSON, Title: ci.Title + " as GeoJSON"},
		Link{Href: h.href(r, path+"/items", url.Values{"f": {formatHTML}}), Rel: "items", Type: typeHTML, Title: ci.Title + " as HTML"},
		Link{Href: h.href(r, path+"/queryables", nil), Rel: relQueryables, Type: typeSchema, Title: "the properties of " + ci.Title + " that can be filtered on"},
	)
	return collectionDoc{
		ID: ci.ID, Title: ci.Title, Description: ci.Description, ItemType: "feature",
		CRS: []string{crs84}, Extent: collectionExtent(d, ci.ID), Links: links,
	}
}

// htmlCollection converts a collection for the templates.
func htmlCollection(cd collectionDoc) templates.OGCCollection {
	out := templates.OGCCollection{ID: cd.ID, Title: cd.Title, Description: cd.Description, Links: htmlLinks(cd.Links)}
	if cd.Extent != nil {
		b := cd.Extent.Spatial.BBox[0]
		out.BBox = strconv.FormatFloat(b[0], 'f', -1, 64) + ", " + strconv.FormatFloat(b[1], 'f', -1, 64) + " to " +
			strconv.FormatFloat(b[2], 'f', -1, 64) + ", " + strconv.FormatFloat(b[3], 'f', -1, 64) + " (longitude, latitude)"
		if t := cd.Extent.Temporal; t != nil {
			out.Interval = t.Interval[0][0] + " to " + t.Interval[0][1]
		}
	}
	for _, l := range cd.Links {
		if l.Rel == "items" && l.Type == typeHTML {
			out.ItemsHref = l.Href
		}
	}
	return out
}

// collections answers GET /ogc/collections.
func (h *handler) collections(c echo.Context) error {
	q, err := request.Query(c.QueryString(), "f")
	if err != nil {
		return err
	}
	f, err := format(c, q, metadataFormats)
	if err != nil {
		return err
	}
	r, d := c.Request(), h.dataset(c.Request())
	doc := struct {
		Links       []Link          `json:"links"`
		Collections []collectionDoc `json:"collections"`
	}{Links: selfLinks(h, r, "/collections", f, typeJSON, "the collections")}
	for _, ci := range collectionInfos {
		self := Link{Href: h.href(r, "/collections/"+ci.ID, nil), Rel: "self", Type: typeJSON, Title: ci.Title}
		doc.Collections = append(doc.Collections, h.describe(r, d, ci, []Link{self}))
	}
	if f == formatHTML {
		view := make([]templates.OGCCollection, len(doc.Collections))
		for i, cd := range doc.Collections {
			view[i] = htmlCollection(cd)
		}
		return render(c, templates.OGCCollectionsPage(h.opts.Page("OGC API collections", d), view, htmlLinks(doc.Links)))
	}
	return writeJSON(c, typeJSON, doc)
}

// collection answers GET /ogc/collections/{collectionId}.
func (h *handler) collection(c echo.Context) error {
	ci, err := findCollection(c.Param("collectionId"))
	if err != nil {
		return err
	}
	q, err := request.Query(c.QueryString(), "f")
	if err != nil {
		return err
	}
	f, err := format(c, q, metadataFormats)
	if err != nil {
		return err
	}
	r, d := c.Request(), h.dataset(c.Request())
	cd := h.describe(r, d, ci, selfLinks(h, r, "/collections/"+ci.ID, f, typeJSON, ci.Title))
	if f == formatHTML {
		return render(c, templates.OGCCollectionPage(h.opts.Page(ci.Title, d), htmlCollection(cd)))
	}
	return writeJSON(c, typeJSON, cd)
}

// queryable is one property of a queryables schema.
type queryable struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Type        string   `json:"type,omitempty"`
	Format      string   `json:"format,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Role        string   `json:"x-ogc-role,omitempty"`
}

// queryableNames orders the queryables of each collection.
var queryableNames = map[string][]string{
	"bases":     {"geometry"},
	"incidents": {"geometry", "date", "weapon", "status", "base"},
	"strikes":   {"geometry", "date", "status"},
}

// queryablesOf returns the queryables of collection id: the properties that
// the items request's parameters filter on. Base ids come from d.
func queryablesOf(d *geo.Dataset, id string) map[string]queryable {
	geometry := queryable{Title: "Location", Description: "The feature's point, [longitude, latitude] in CRS84; filter with bbox.", Format: "geometry-point", Role: "primary-geometry"}
	switch id {
	case "bases":
		return map[string]queryable{"geometry": geometry}
	case "strikes":
		return map[string]queryable{
			"geometry": geometry,
			"date":     {Title: "Date", Description: "The strike's first local day (date_end is its last); filter with datetime, which matches when the days overlap.", Type: "string", Format: "date", Role: "primary-instant"},
			"status":   {Title: "Status", Description: "How well attested the strike is; filter with status=a,b.", Type: "string", Enum: geo.Words(geo.Statuses())},
		}
	}
	ids := make([]string, len(d.Bases))
	for i, b := range d.Bases {
		ids[i] = b.ID
	}
	return map[string]queryable{
		"geometry": geometry,
		"date":     {Title: "Date", Description: "The incident's first local day (date_end is its last); filter with datetime, which matches when the days overlap.", Type: "string", Format: "date", Role: "primary-instant"},
		"weapon":   {Title: "Weapon", Description: "What the attackers used; filter with weapon=a,b.", Type: "string", Enum: geo.Words(geo.Weapons())},
		"status":   {Title: "Status", Description: "How well attested the incident is; filter with status=a,b.", Type: "string", Enum: geo.Words(geo.Statuses())},
		"base":     {Title: "Target base", Description: "The id of the targeted base; filter with base=a,b, and - for no known base.", Type: "string", Enum: ids},
	}
}

// queryables answers GET /ogc/collections/{collectionId}/queryables.
func (h *handler) queryables(c echo.Context) error {
	ci, err := findCollection(c.Param("collectionId"))
	if err != nil {
		return err
	}
	q, err := request.Query(c.QueryString(), "f")
	if err != nil {
		return err
	}
	f, err := format(c, q, metadataFormats)
	if err != nil {
		return err
	}
	r, d := c.Request(), h.dataset(c.Request())
	props := queryablesOf(d, ci.ID)
	path := "/collections/" + ci.ID + "/queryables"
	if f == formatHTML {
		view := make([]templates.OGCQueryable, 0, len(props))
		for _, name := range queryableNames[ci.ID] {
			p := props[name]
			view = append(view, templates.OGCQueryable{Name: name, Title: p.Title, Description: p.Description, Values: p.Enum})
		}
		links := selfLinks(h, r, path, f, typeSchema, "the queryables")
		links = append(links, Link{Href: h.href(r, "/collections/"+ci.ID, url.Values{"f": {formatHTML}}), Rel: "collection", Type: typeHTML, Title: ci.Title})
		return render(c, templates.OGCQueryablesPage(h.opts.Page(ci.Title+" queryables", d), ci.Title, view, htmlLinks(links)))
	}
	return writeJSON(c, typeSchema, map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  h.href(r, path, nil),
		"type":                 "object",
		"title":                ci.Title,
		"properties":           props,
		"additionalProperties": false,
	})
}
