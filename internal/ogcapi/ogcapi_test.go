package ogcapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/ogcapi"
	"strikemap/internal/request"
	"strikemap/internal/server"
)

// fixtureServer serves the small dataset of internal/geo/testdata/valid
// through the real router.
func fixtureServer(t *testing.T, opts server.Options) *server.Server {
	t.Helper()
	d, err := geo.Load(os.DirFS("../geo/testdata/valid"))
	if err != nil {
		t.Fatal(err)
	}
	return mustNew(t, geo.NewStore(d, time.Now()), opts)
}

// shippedServer serves the embedded dataset.
func shippedServer(t *testing.T) *server.Server {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	return mustNew(t, geo.NewStore(d, time.Now()), server.Options{Basemap: data.Basemap})
}

func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// getJSON requests target, checks status 200 and the media type, and decodes
// the body into v.
func getJSON(t *testing.T, h http.Handler, target, mediaType string, v any) {
	t.Helper()
	rec := get(t, h, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != mediaType {
		t.Errorf("%s: Content-Type %q, want %q", target, ct, mediaType)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("%s: %v\n%s", target, err, rec.Body)
	}
}

type link struct{ Href, Rel, Type, Title string }

// findLink returns the link with rel and media type, failing when there is
// not exactly one.
func findLink(t *testing.T, links []link, rel, mediaType string) link {
	t.Helper()
	var found []link
	for _, l := range links {
		if l.Rel == rel && l.Type == mediaType {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d links rel=%s type=%s in %+v", len(found), rel, mediaType, links)
	}
	return found[0]
}

// checkLinks checks that every link is absolute and has rel, type and title.
func checkLinks(t *testing.T, links []link) {
	t.Helper()
	if len(links) == 0 {
		t.Error("no links")
	}
	for _, l := range links {
		if !strings.HasPrefix(l.Href, "http://example.com/ogc") || l.Rel == "" || l.Type == "" || l.Title == "" {
			t.Errorf("link %+v: want an absolute href, rel, type and title", l)
		}
	}
}

func TestLandingPage(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	for _, target := range []string{"/ogc", "/ogc/", "/ogc?f=json"} {
		var lp struct {
			Title, Description string
			Links              []link
		}
		getJSON(t, s, target, "application/json", &lp)
		if lp.Title == "" || lp.Description == "" {
			t.Errorf("%s: title %q description %q", target, lp.Title, lp.Description)
		}
		checkLinks(t, lp.Links)
		findLink(t, lp.Links, "self", "application/json")
		findLink(t, lp.Links, "alternate", "text/html")
		if l := findLink(t, lp.Links, "service-desc", "application/vnd.oai.openapi+json;version=3.0"); l.Href != "http://example.com/ogc/api?f=json" {
			t.Errorf("service-desc %s", l.Href)
		}
		findLink(t, lp.Links, "service-doc", "text/html")
		if l := findLink(t, lp.Links, "conformance", "application/json"); l.Href != "http://example.com/ogc/conformance" {
			t.Errorf("conformance %s", l.Href)
		}
		if l := findLink(t, lp.Links, "data", "application/json"); l.Href != "http://example.com/ogc/collections" {
			t.Errorf("data %s", l.Href)
		}
	}
}

func TestConformance(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	var c struct{ ConformsTo []string }
	getJSON(t, s, "/ogc/conformance", "application/json", &c)
	for _, class := range []string{"core", "oas30", "html", "geojson"} {
		if !slices.Contains(c.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"+class) {
			t.Errorf("conformsTo %v lacks %s", c.ConformsTo, class)
		}
	}
}

type collection struct {
	ID, Title, Description, ItemType string
	CRS                              []string
	Extent                           *struct {
		Spatial struct {
			BBox [][]float64
			CRS  string
		}
		Temporal *struct {
			Interval [][]string
			TRS      string
		}
	}
	Links []link
}

func TestCollections(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	var cs struct {
		Links       []link
		Collections []collection
	}
	getJSON(t, s, "/ogc/collections", "application/json", &cs)
	checkLinks(t, cs.Links)
	findLink(t, cs.Links, "self", "application/json")
	var ids []string
	for _, c := range cs.Collections {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, ",") != "bases,incidents,strikes" {
		t.Fatalf("collections %v", ids)
	}

	// The extents are the data's: the bbox is checked against the features,
	// the fixture's incidents run from 18 to 25 October 2023, and its one
	// strike is of 27 October.
	for _, tc := range []struct {
		id       string
		bbox     []float64
		interval []string
	}{
		{"bases", nil, nil},
		{"incidents", nil, []string{"2023-10-18T00:00:00Z", "2023-10-25T23:59:59Z"}},
		{"strikes", nil, []string{"2023-10-27T00:00:00Z", "2023-10-27T23:59:59Z"}},
	} {
		var c collection
		getJSON(t, s, "/ogc/collections/"+tc.id, "application/json", &c)
		checkLinks(t, c.Links)
		if c.ID != tc.id || c.Title == "" || c.Description == "" || c.ItemType != "feature" || !slices.Contains(c.CRS, "http://www.opengis.net/def/crs/OGC/1.3/CRS84") {
			t.Errorf("%s: %+v", tc.id, c)
		}
		findLink(t, c.Links, "self", "application/json")
		if l := findLink(t, c.Links, "items", "application/geo+json"); !strings.HasPrefix(l.Href, "http://example.com/ogc/collections/"+tc.id+"/items") {
			t.Errorf("%s: items link %s", tc.id, l.Href)
		}
		findLink(t, c.Links, "items", "text/html")
		findLink(t, c.Links, "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json")
		if c.Extent == nil || len(c.Extent.Spatial.BBox) != 1 || c.Extent.Spatial.CRS != "http://www.opengis.net/def/crs/OGC/1.3/CRS84" {
			t.Fatalf("%s: extent %+v", tc.id, c.Extent)
		}
		checkBBoxCovers(t, s, tc.id, c.Extent.Spatial.BBox[0])
		switch {
		case tc.interval == nil && c.Extent.Temporal != nil:
			t.Errorf("%s: temporal extent %+v, but bases have no time", tc.id, c.Extent.Temporal)
		case tc.interval != nil && (c.Extent.Temporal == nil || !slices.Equal(c.Extent.Temporal.Interval[0], tc.interval)):
			t.Errorf("%s: temporal extent %+v, want %v", tc.id, c.Extent.Temporal, tc.interval)
		}
	}

	rec := get(t, s, "/ogc/collections/runways")
	if rec.Code != http.StatusNotFound {
		t.Errorf("unknown collection: status %d", rec.Code)
	}
}

// checkBBoxCovers checks that bbox is the tightest box around every feature
// of the collection.
func checkBBoxCovers(t *testing.T, h http.Handler, id string, bbox []float64) {
	t.Helper()
	var fc struct {
		Features []struct {
			Geometry struct{ Coordinates []float64 }
		}
	}
	getJSON(t, h, "/ogc/collections/"+id+"/items?limit=10000", "application/geo+json", &fc)
	want := []float64{180, 90, -180, -90}
	for _, f := range fc.Features {
		c := f.Geometry.Coordinates
		want = []float64{min(want[0], c[0]), min(want[1], c[1]), max(want[2], c[0]), max(want[3], c[1])}
	}
	if !slices.Equal(bbox, want) {
		t.Errorf("%s: extent bbox %v, want %v", id, bbox, want)
	}
}

func TestQueryables(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	var q struct {
		Schema     string `json:"$schema"`
		ID         string `json:"$id"`
		Type       string
		Properties map[string]struct {
			Type, Format string
			Enum         []string
		}
	}
	getJSON(t, s, "/ogc/collections/incidents/queryables", "application/schema+json", &q)
	if q.Type != "object" || !strings.Contains(q.Schema, "json-schema.org") || q.ID != "http://example.com/ogc/collections/incidents/queryables" {
		t.Errorf("schema header %+v", q)
	}
	if w := q.Properties["weapon"].Enum; !slices.Equal(w, []string{"drone", "rocket", "missile", "unknown"}) {
		t.Errorf("weapon enum %v", w)
	}
	if st := q.Properties["status"].Enum; !slices.Equal(st, []string{"claimed", "reported", "confirmed"}) {
		t.Errorf("status enum %v", st)
	}
	if b := q.Properties["base"].Enum; !slices.Equal(b, []string{"alpha", "bravo", "charlie"}) {
		t.Errorf("base enum %v", b)
	}
	if q.Properties["geometry"].Format != "geometry-point" || q.Properties["date"].Format != "date" {
		t.Errorf("geometry and date: %+v", q.Properties)
	}
	getJSON(t, s, "/ogc/collections/bases/queryables", "application/schema+json", &q)
	if get(t, s, "/ogc/collections/nope/queryables").Code != http.StatusNotFound {
		t.Error("queryables of an unknown collection is not a 404")
	}
}

func TestBaseURL(t *testing.T) {
	const forwarded = "X-Forwarded-Proto"
	for _, tc := range []struct {
		name   string
		opts   server.Options
		header []string
		want   string
	}{
		{"from the request", server.Options{}, nil, "http://example.com/ogc/conformance"},
		{"forwarded headers ignored unless trusted", server.Options{}, []string{forwarded, "https", "X-Forwarded-Host", "evil.example"}, "http://example.com/ogc/conformance"},
		{"trusted forwarded headers", server.Options{Site: request.Site{TrustForwarded: true}}, []string{forwarded, "https", "X-Forwarded-Host", "maps.example.org, inner"}, "https://maps.example.org/ogc/conformance"},
		{"a forwarded host that is not a host", server.Options{Site: request.Site{TrustForwarded: true}}, []string{"X-Forwarded-Host", "evil\"/><x"}, "http://example.com/ogc/conformance"},
		{"base URL wins", server.Options{Site: request.Site{BaseURL: "https://example.org/strikemap/", TrustForwarded: true}}, []string{"X-Forwarded-Host", "other"}, "https://example.org/strikemap/ogc/conformance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := fixtureServer(t, tc.opts)
			rec := get(t, s, "/ogc", tc.header...)
			var lp struct{ Links []link }
			if err := json.Unmarshal(rec.Body.Bytes(), &lp); err != nil {
				t.Fatal(err)
			}
			if got := findLink(t, lp.Links, "conformance", "application/json").Href; got != tc.want {
				t.Errorf("conformance link %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFormatNegotiation(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tc := range []struct {
		target, accept, want string
	}{
		{"/ogc", "", "application/json"},
		{"/ogc", "*/*", "application/json"},
		{"/ogc", browser, "text/html; charset=UTF-8"},
		{"/ogc", "application/json, text/html", "application/json"},
		{"/ogc", "text/html;q=0.5, application/json", "application/json"},
		{"/ogc?f=json", browser, "application/json"},
		{"/ogc?f=html", "application/json", "text/html; charset=UTF-8"},
		{"/ogc/api", "", "application/vnd.oai.openapi+json;version=3.0"},
		{"/ogc/api", browser, "text/html; charset=UTF-8"},
		{"/ogc/collections/incidents/items", "", "application/geo+json"},
		{"/ogc/collections/incidents/items?f=geojson", browser, "application/geo+json"},
		{"/ogc/collections/incidents/items", "application/geo+json", "application/geo+json"},
		{"/ogc/collections/incidents/items", browser, "text/html; charset=UTF-8"},
		{"/ogc/collections/bases/items/alpha", "", "application/geo+json"},
		{"/ogc/collections/bases/items/alpha", browser, "text/html; charset=UTF-8"},
		{"/ogc/collections/incidents/queryables", "", "application/schema+json"},
		{"/ogc/collections/incidents/queryables?f=html", "", "text/html; charset=UTF-8"},
	} {
		rec := get(t, s, tc.target, "Accept", tc.accept)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tc.want {
			t.Errorf("%s with Accept %q: status %d, Content-Type %q, want %q", tc.target, tc.accept, rec.Code, rec.Header().Get("Content-Type"), tc.want)
		}
		if !strings.Contains(rec.Header().Get("Vary"), "Accept") {
			t.Errorf("%s: Vary %q lacks Accept", tc.target, rec.Header().Get("Vary"))
		}
	}
}

func TestErrors(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	for _, tc := range []struct {
		target string
		status int
		code   string
		msg    string
	}{
		{"/ogc?foo=1", 400, "InvalidParameterValue", `unknown parameter "foo"; this endpoint takes: f`},
		{"/ogc?f=xml", 400, "InvalidParameterValue", `f "xml" is not one of json, html`},
		{"/ogc/conformance?f=geojson", 400, "InvalidParameterValue", "not one of json, html"},
		{"/ogc/collections/incidents/items?f=xml", 400, "InvalidParameterValue", "not one of json, geojson, html"},
		{"/ogc/collections/incidents/items?limit=0", 400, "InvalidParameterValue", `limit "0" is not a whole number from 1 to 10000`},
		{"/ogc/collections/incidents/items?limit=10001", 400, "InvalidParameterValue", "from 1 to 10000"},
		{"/ogc/collections/incidents/items?limit=ten", 400, "InvalidParameterValue", "from 1 to 10000"},
		{"/ogc/collections/incidents/items?offset=-1", 400, "InvalidParameterValue", `offset "-1" is not a whole number from 0`},
		{"/ogc/collections/incidents/items?bbox=1,2,3", 400, "InvalidParameterValue", "bbox has 3 numbers; give minLon,minLat,maxLon,maxLat"},
		{"/ogc/collections/incidents/items?bbox=1,2,x,3,4,5", 400, "InvalidParameterValue", `bbox value 3, "x", is not a finite number`},
		{"/ogc/collections/incidents/items?bbox=0,10,10,0", 400, "InvalidParameterValue", "minLat 10 is greater than maxLat 0"},
		{"/ogc/collections/incidents/items?bbox-crs=EPSG:4326", 400, "InvalidParameterValue", `unknown parameter "bbox-crs"`},
		{"/ogc/collections/incidents/items?datetime=", 400, "InvalidParameterValue", "datetime is empty"},
		{"/ogc/collections/incidents/items?datetime=yesterday", 400, "InvalidParameterValue", `"yesterday" is not an RFC 3339 date or date-time`},
		{"/ogc/collections/incidents/items?datetime=2023-10-18T25:00:00Z", 400, "InvalidParameterValue", "not an RFC 3339"},
		{"/ogc/collections/incidents/items?datetime=2023-10-22/2023-10-18", 400, "InvalidParameterValue", "starts on 2023-10-22, after it ends on 2023-10-18"},
		{"/ogc/collections/incidents/items?datetime=a/b/c", 400, "InvalidParameterValue", "more than one /"},
		{"/ogc/collections/incidents/items?weapon=drones", 400, "InvalidParameterValue", `weapon "drones" is not one of drone, rocket, missile, unknown`},
		{"/ogc/collections/incidents/items?status=rumour", 400, "InvalidParameterValue", "not one of claimed, reported, confirmed"},
		{"/ogc/collections/bases/items?base=delta", 400, "InvalidParameterValue", `base "delta" is not a known base id; known ids: alpha, bravo, charlie`},
		{"/ogc/collections/incidents/items?limit=1&limit=2", 400, "InvalidParameterValue", "given 2 times"},
		{"/ogc/collections/incidents/items?from=2023-10-18", 400, "InvalidParameterValue", `unknown parameter "from"`},
		{"/ogc/collections/incidents/items/i1-alpha-drone?limit=1", 400, "InvalidParameterValue", "unknown parameter"},
		{"/ogc/collections/runways/items", 404, "NotFound", `there is no collection "runways"`},
		{"/ogc/collections/incidents/items/nope", 404, "NotFound", `there is no feature "nope" in incidents`},
		{"/ogc/collections/bases/items/i1-alpha-drone", 404, "NotFound", "no feature"},
		{"/ogc/nothing", 404, "NotFound", "there is nothing at /ogc/nothing"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			rec := get(t, s, tc.target)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			var e ogcapi.Exception
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("not JSON: %s", rec.Body)
			}
			if e.Code != tc.code || !strings.Contains(e.Description, tc.msg) {
				t.Errorf("got %+v, want code %s and a description containing %q", e, tc.code, tc.msg)
			}
		})
	}

	// A browser gets the site's error page, in the layout.
	rec := get(t, s, "/ogc/collections/runways", "Accept", "text/html,*/*;q=0.8")
	if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("browser 404: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Find("main h1").Text(), "404") || !strings.Contains(doc.Find("main").Text(), `there is no collection "runways"`) {
		t.Errorf("browser 404 page: %q", doc.Find("main").Text())
	}
	rec = get(t, s, "/ogc/collections/incidents/items?f=html&limit=0")
	if rec.Code != http.StatusBadRequest || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("f=html 400: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}

	// HEAD works on every resource; other methods are refused.
	req := httptest.NewRequest(http.MethodHead, "/ogc/collections/incidents/items", nil)
	head := httptest.NewRecorder()
	s.ServeHTTP(head, req)
	if head.Code != http.StatusOK || head.Header().Get("Content-Type") != "application/geo+json" {
		t.Errorf("HEAD: %d %s", head.Code, head.Header().Get("Content-Type"))
	}
	req = httptest.NewRequest(http.MethodPost, "/ogc/collections/incidents/items", nil)
	post := httptest.NewRecorder()
	s.ServeHTTP(post, req)
	var e ogcapi.Exception
	if post.Code != http.StatusMethodNotAllowed || json.Unmarshal(post.Body.Bytes(), &e) != nil || e.Code != "MethodNotAllowed" {
		t.Errorf("POST: %d %s", post.Code, post.Body)
	}
}

func mustNew(t *testing.T, store *geo.Store, opts server.Options) *server.Server {
	t.Helper()
	s, err := server.New(store, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
