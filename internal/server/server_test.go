package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/request"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func mustNew(t testing.TB, store *geo.Store, opts Options) *Server {
	t.Helper()
	s, err := New(store, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fixtureServer serves the small dataset of internal/geo/testdata/valid.
func fixtureServer(t testing.TB) *Server {
	t.Helper()
	d, err := geo.Load(os.DirFS("../geo/testdata/valid"))
	if err != nil {
		t.Fatal(err)
	}
	return mustNew(t, geo.NewStore(d, time.Date(2023, 10, 23, 12, 0, 0, 0, time.UTC)), Options{Site: request.Site{TileURL: "https://{s}.tile.example.org/{z}/{x}/{y}.png"}})
}

// shippedServer serves the embedded dataset.
func shippedServer(t *testing.T) *Server {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	return mustNew(t, geo.NewStore(d, time.Now()), Options{Basemap: data.Basemap})
}

func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, http.MethodGet, target, header...)
}

func do(t *testing.T, h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decodeCollection parses a GeoJSON FeatureCollection and checks the RFC 7946
// rules strikemap promises: no crs member, a bbox when there are features,
// coordinates with at most 6 decimals, counter-clockwise exterior rings.
func decodeCollection(t *testing.T, body []byte) *geojson.FeatureCollection {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	if _, ok := raw["crs"]; ok {
		t.Error("collection has a crs member (RFC 7946 §4 removed it)")
	}
	fc, err := geojson.UnmarshalFeatureCollection(body)
	if err != nil {
		t.Fatalf("not a FeatureCollection: %v", err)
	}
	if len(fc.Features) > 0 && len(fc.BBox) != 4 {
		t.Errorf("bbox %v, want [west, south, east, north]", fc.BBox)
	}
	for _, f := range fc.Features {
		if _, ok := f.ID.(string); !ok {
			t.Errorf("feature id %v is not a string", f.ID)
		}
		if !orb.Equal(f.Geometry, orb.Round(orb.Clone(f.Geometry), 1e6)) {
			t.Errorf("feature %v has coordinates with more than 6 decimals", f.ID)
		}
		if p, ok := f.Geometry.(orb.Polygon); ok && p[0].Orientation() != orb.CCW {
			t.Errorf("feature %v: exterior ring is clockwise", f.ID)
		}
		if !fc.BBox.Bound().Contains(f.Geometry.Bound().Min) || !fc.BBox.Bound().Contains(f.Geometry.Bound().Max) {
			t.Errorf("feature %v lies outside the collection's bbox %v", f.ID, fc.BBox)
		}
	}
	return fc
}

func featureIDs(fc *geojson.FeatureCollection) []string {
	out := make([]string, len(fc.Features))
	for i, f := range fc.Features {
		out[i], _ = f.ID.(string)
	}
	return out
}

func TestGeoJSONGolden(t *testing.T) {
	s := fixtureServer(t)
	for _, tc := range []struct{ name, target string }{
		{"incidents", "/api/incidents.geojson"},
		{"incidents_filtered", "/api/incidents.geojson?from=2023-10-18&to=2023-10-21&weapon=drone,rocket&status=confirmed,reported"},
		{"bases", "/api/bases.geojson"},
		{"bases_rockets", "/api/bases.geojson?weapon=rocket&base=alpha,bravo"},
		{"rings", "/api/rings.geojson?radii=10&base=charlie"},
		{"links", "/api/links.geojson"},
		{"empty", "/api/incidents.geojson?from=2030-01-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, s, tc.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/geo+json" {
				t.Errorf("Content-Type %q", ct)
			}
			decodeCollection(t, rec.Body.Bytes())
			golden := filepath.Join("testdata", "golden", tc.name+".geojson")
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, rec.Body.Bytes(), "", "  "); err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/server -update to create it)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("body differs from %s (run with -update if the change is intended):\n%s", golden, pretty.String())
			}
		})
	}
}

func TestIncidentFilters(t *testing.T) {
	s := fixtureServer(t)
	for _, tc := range []struct{ query, want string }{
		{"", "i1-alpha-drone i2-bravo-drone i4-charlie-near i3-alpha-rocket-span i5-nobase"},
		{"from=2023-10-22", "i3-alpha-rocket-span i5-nobase"},
		{"to=2023-10-18", "i1-alpha-drone i2-bravo-drone"},
		{"from=2023-10-19&to=2023-10-19", "i4-charlie-near"},
		{"weapon=missile,unknown", "i4-charlie-near i5-nobase"},
		{"weapon=drone,drone", "i1-alpha-drone i2-bravo-drone"},
		{"status=claimed", "i2-bravo-drone"},
		{"base=alpha,charlie", "i1-alpha-drone i4-charlie-near i3-alpha-rocket-span"},
		{"bbox=41,32,43.5,35", "i1-alpha-drone i3-alpha-rocket-span i5-nobase"},
		{"bbox=43.5,30,39,40", "i2-bravo-drone i4-charlie-near"},
		{"bbox=0,0,1,1", ""},
		{"weapon=drone&status=confirmed&base=alpha&from=2023-10-18&to=2023-10-18&bbox=41,32,43,34", "i1-alpha-drone"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			rec := get(t, s, "/api/incidents.geojson?"+tc.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			got := strings.Join(featureIDs(decodeCollection(t, rec.Body.Bytes())), " ")
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	s := fixtureServer(t)
	for _, tc := range []struct{ target, param, msg string }{
		{"/api/incidents.geojson?weapon=drones", "weapon", `weapon "drones" is not one of drone, rocket, missile, unknown`},
		{"/api/incidents.geojson?weapon=", "weapon", "empty value"},
		{"/api/incidents.geojson?weapon=drone,,rocket", "weapon", "empty value at position 2"},
		{"/api/incidents.geojson?status=rumour", "status", "not one of claimed, reported, confirmed"},
		{"/api/incidents.geojson?base=delta", "base", `base "delta" is not a known base id; known ids: alpha, bravo, charlie`},
		{"/api/incidents.geojson?from=2023-13-01", "from", "not a date; use YYYY-MM-DD"},
		{"/api/incidents.geojson?to=yesterday", "to", "not a date"},
		{"/api/incidents.geojson?from=", "from", "from is empty"},
		{"/api/incidents.geojson?from=2023-10-22&to=2023-10-18", "from", "after to"},
		{"/api/incidents.geojson?bbox=1,2,3", "bbox", "has 3 numbers"},
		{"/api/incidents.geojson?bbox=1,2,3,x", "bbox", "value 4"},
		{"/api/incidents.geojson?bbox=1,2,3,NaN", "bbox", "not a finite number"},
		{"/api/incidents.geojson?bbox=1,2,3,Inf", "bbox", "not a finite number"},
		{"/api/incidents.geojson?bbox=-181,0,10,10", "bbox", "longitudes must be within -180..180"},
		{"/api/incidents.geojson?bbox=0,10,10,0", "bbox", "minLat 10 is greater than maxLat 0"},
		{"/api/incidents.geojson?bbox=0,-95,10,0", "bbox", "latitudes must be within -90..90"},
		{"/api/incidents.geojson?wepon=drone", "wepon", `unknown parameter "wepon"; this endpoint takes: from, to, weapon, status, base, bbox, download`},
		{"/api/incidents.geojson?weapon=drone&weapon=rocket", "weapon", "given 2 times"},
		{"/api/incidents.geojson?download=yes", "download", "not a flag"},
		{"/api/incidents.geojson?" + strings.Repeat("weapon=", 1) + strings.Repeat("drone,", 200) + "drone", "weapon", "at most 100"},
		{"/api/incidents.geojson?a=%zz", "", "not valid URL encoding"},
		{"/api/bases.geojson?status=x", "status", "not one of"},
		{"/api/rings.geojson?radii=0", "radii", "greater than 0 and at most 5000"},
		{"/api/rings.geojson?radii=10,abc", "radii", `"abc" is not a radius`},
		{"/api/rings.geojson?radii=1e9", "radii", "at most 5000"},
		{"/api/rings.geojson?radii=1,2,3,4,5,6,7,8,9,10,11", "radii", "at most 10 rings"},
		{"/api/rings.geojson?from=2023-10-18", "from", "unknown parameter"},
		{"/api/links.geojson?bbox=a", "bbox", "has 1 numbers"},
		{"/healthz?verbose=1", "verbose", "unknown parameter"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			rec := get(t, s, tc.target)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			var body apiError
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body is not JSON: %s", rec.Body)
			}
			if body.Param != tc.param {
				t.Errorf("param %q, want %q", body.Param, tc.param)
			}
			if !strings.Contains(body.Error, tc.msg) {
				t.Errorf("error %q, want it to contain %q", body.Error, tc.msg)
			}
		})
	}
}

func TestETagAndCaching(t *testing.T) {
	s := fixtureServer(t)
	first := get(t, s, "/api/incidents.geojson?weapon=drone")
	etag := first.Header().Get("ETag")
	if !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("ETag %q", etag)
	}
	if cc := first.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
		t.Errorf("Cache-Control %q", cc)
	}
	if v := first.Header().Get("X-Dataset-Version"); len(v) != 12 {
		t.Errorf("X-Dataset-Version %q", v)
	}
	for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag, "*"} {
		rec := get(t, s, "/api/incidents.geojson?weapon=drone", "If-None-Match", inm)
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: status %d with %d bytes, want 304 and no body", inm, rec.Code, rec.Body.Len())
		}
		if rec.Header().Get("ETag") != etag {
			t.Errorf("304 without the ETag")
		}
	}
	other := get(t, s, "/api/incidents.geojson?weapon=rocket", "If-None-Match", etag)
	if other.Code != http.StatusOK || other.Header().Get("ETag") == etag {
		t.Errorf("another filter: status %d, ETag %s (same as drone's: %v)", other.Code, other.Header().Get("ETag"), other.Header().Get("ETag") == etag)
	}
}

func TestGzip(t *testing.T) {
	s := shippedServer(t)
	plain := get(t, s, "/api/incidents.geojson")
	zipped := get(t, s, "/api/incidents.geojson", "Accept-Encoding", "gzip")
	if zipped.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", zipped.Header().Get("Content-Encoding"))
	}
	if !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q", zipped.Header().Get("Vary"))
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, plain.Body.Bytes()) {
		t.Error("gzip body differs from the plain one")
	}
	if zipped.Body.Len() >= plain.Body.Len() {
		t.Errorf("gzip %d bytes, plain %d", zipped.Body.Len(), plain.Body.Len())
	}
}

func TestDownloadNames(t *testing.T) {
	s := fixtureServer(t)
	for _, tc := range []struct{ target, name string }{
		{"/api/incidents.geojson?download=1", "incidents.geojson"},
		{"/api/incidents.geojson?download=1&from=2023-10-18&to=2023-10-22&weapon=rocket", "incidents_2023-10-18_2023-10-22_rocket.geojson"},
		{"/api/incidents.geojson?download=true&from=2023-10-18&status=claimed,reported&base=alpha&bbox=0,0,50,50", "incidents_from-2023-10-18_claimed-reported_alpha_bbox.geojson"},
		{"/api/bases.geojson?download=1&to=2023-10-20", "bases_to-2023-10-20.geojson"},
		{"/api/rings.geojson?download=1&radii=20,10&base=alpha", "rings_alpha_10-20km.geojson"},
		{"/api/links.geojson?download=1", "links.geojson"},
	} {
		rec := get(t, s, tc.target)
		want := `attachment; filename="` + tc.name + `"`
		if got := rec.Header().Get("Content-Disposition"); got != want {
			t.Errorf("%s: Content-Disposition %q, want %q", tc.target, got, want)
		}
	}
	if got := get(t, s, "/api/incidents.geojson?download=0").Header().Get("Content-Disposition"); got != "" {
		t.Errorf("download=0 sent Content-Disposition %q", got)
	}
}

func TestMethodsAndNotFound(t *testing.T) {
	s := fixtureServer(t)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
		rec := do(t, s, m, "/api/incidents.geojson")
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s: status %d, want 405", m, rec.Code)
		}
		if !strings.Contains(rec.Body.String(), "use GET or HEAD") || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: body %s, Allow %q", m, rec.Body, rec.Header().Get("Allow"))
		}
	}
	head := do(t, s, http.MethodHead, "/api/incidents.geojson")
	if head.Code != http.StatusOK || head.Header().Get("ETag") == "" {
		t.Errorf("HEAD: status %d, ETag %q", head.Code, head.Header().Get("ETag"))
	}

	rec := get(t, s, "/api/nothing.geojson")
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"error":"there is nothing at /api/nothing.geojson"`) {
		t.Errorf("API 404: %d %s", rec.Code, rec.Body)
	}
	rec = get(t, s, "/no/such/page")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("page 404: status %d", rec.Code)
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if h1 := doc.Find("main h1").Text(); !strings.Contains(h1, "404") {
		t.Errorf("404 page heading %q", h1)
	}
	if doc.Find(`link[rel=stylesheet][href^="/static/css/site.css?v="]`).Length() != 1 {
		t.Error("404 page is not in the site's layout")
	}
}

func TestPanicBecomes500(t *testing.T) {
	s := fixtureServer(t)
	s.echo.GET("/api/boom", func(echo.Context) error { panic("boom") })
	rec := get(t, s, "/api/boom")
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "internal server error") {
		t.Errorf("status %d body %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Error("panic value leaked to the client")
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := fixtureServer(t)
	for _, target := range []string{"/", "/healthz", "/api/incidents.geojson", "/api/bases.geojson?weapon=x", "/nope", "/static/css/site.css"} {
		rec := get(t, s, target)
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'self'", "img-src 'self' data: https://*.tile.example.org"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", target, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows unsafe-inline", target)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("Permissions-Policy") == "" {
			t.Errorf("%s: headers %v", target, h)
		}
	}
}

func TestMapPageAndHealth(t *testing.T) {
	s := shippedServer(t)
	rec := get(t, s, "/?from=2023-10-18&anything=goes")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("map page: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("CSP %q", rec.Header().Get("Content-Security-Policy"))
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if title := doc.Find("title").Text(); title != "Map · strikemap" {
		t.Errorf("title %q", title)
	}
	if doc.Find(`script:not([src]):not([type="application/json"])`).Length() != 0 || doc.Find("style, [style]").Length() != 0 {
		t.Error("inline script or style on the page")
	}
	if doc.Find(`#map[role=region][aria-label]`).Length() != 1 {
		t.Error("no labelled map container")
	}
	var scripts []string
	doc.Find("script[src]").Each(func(_ int, sel *goquery.Selection) { scripts = append(scripts, sel.AttrOr("src", "")) })
	if len(scripts) != 3 || !strings.HasPrefix(scripts[0], "/static/vendor/leaflet/leaflet.js?v=") || !strings.HasPrefix(scripts[1], "/static/js/leaflet-setup.js?v=") ||
		!strings.HasPrefix(scripts[2], "/static/js/map.js?v=") || doc.Find(`script[type=module]`).Length() != 1 {
		t.Errorf("scripts %v: want vendored Leaflet, the shared leaflet-setup.js, then the map page's bundled module js/map.js, versioned, from this origin", scripts)
	}
	for _, src := range scripts {
		if r := get(t, s, src); r.Code != http.StatusOK || !strings.Contains(r.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("%s: status %d, Cache-Control %q", src, r.Code, r.Header().Get("Cache-Control"))
		}
	}
	var cfg struct {
		TileURL, First, Last string
		Bases                []struct{ ID, Name string }
		Bounds               [4]float64
		Live                 *bool
	}
	if err := json.Unmarshal([]byte(doc.Find(`script#map-config[type="application/json"]`).Text()), &cfg); err != nil {
		t.Fatalf("map config: %v", err)
	}
	shipped := shippedData(t)
	first, last, _ := shipped.Span()
	if cfg.First != first.String() || cfg.Last != last.String() || len(cfg.Bases) != len(shipped.Bases) || cfg.TileURL != "" || cfg.Bounds[0] > 38.7 || cfg.Bounds[2] < 44.3 {
		t.Errorf("map config %+v, want the shipped data's %s to %s and %d bases", cfg, first, last, len(shipped.Bases))
	}
	// The embedded data never changes: the page opens no event stream,
	// which would also keep a headless screenshot waiting for ever.
	if cfg.Live != nil {
		t.Errorf("map config says live %v for the embedded dataset; want no event stream", *cfg.Live)
	}
	if got := doc.Find("#data-loaded").Text(); !strings.HasSuffix(got, " UTC") || doc.Find("#data-version").Text() != cfg2Version(t, s) {
		t.Errorf("data as of %q, version %q", got, doc.Find("#data-version").Text())
	}
	if n := doc.Find(`input[name=base]`).Length(); n != len(shipped.Bases) {
		t.Errorf("%d base filters, want %d", n, len(shipped.Bases))
	}
	if n := doc.Find(`input[name=weapon]`).Length(); n != 4 {
		t.Errorf("%d weapon filters", n)
	}
	if n := doc.Find(`.legend li`).Length(); n < 10 {
		t.Errorf("legend explains %d symbols", n)
	}

	rec = get(t, s, "/healthz")
	var health struct {
		Status  string
		Dataset struct {
			Version   string
			Bases     int
			Incidents int
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &health); err != nil || health.Status != "ok" || health.Dataset.Bases != len(shipped.Bases) || health.Dataset.Incidents != len(shipped.Incidents) {
		t.Errorf("health %+v (%v): %s", health, err, rec.Body)
	}
}

func TestShippedDataThroughAPI(t *testing.T) {
	s := shippedServer(t)
	shipped := shippedData(t)
	fc := decodeCollection(t, get(t, s, "/api/incidents.geojson").Body.Bytes())
	if len(fc.Features) != len(shipped.Incidents) {
		t.Errorf("%d incidents, want %d", len(fc.Features), len(shipped.Incidents))
	}
	// The attacks on Ain al-Asad whose days overlap 18-22 Oct, counted by
	// hand from the data.
	from, _ := geo.ParseDate("2023-10-18")
	to, _ := geo.ParseDate("2023-10-22")
	var want []string
	for _, inc := range shipped.Incidents {
		if inc.Base == "ain-al-asad" && inc.Date <= to && inc.DateEnd >= from {
			want = append(want, inc.ID)
		}
	}
	fc = decodeCollection(t, get(t, s, "/api/incidents.geojson?base=ain-al-asad&from=2023-10-18&to=2023-10-22").Body.Bytes())
	for _, f := range fc.Features {
		if f.Properties["base"] != "ain-al-asad" {
			t.Errorf("feature %v targets %v", f.ID, f.Properties["base"])
		}
	}
	if got := featureIDs(fc); !slices.Equal(got, want) {
		t.Errorf("attacks on Ain al-Asad 18-22 Oct: %v, want %v", got, want)
	}
	bases := decodeCollection(t, get(t, s, "/api/bases.geojson").Body.Bytes())
	if len(bases.Features) != len(shipped.Bases) {
		t.Errorf("%d bases, want %d", len(bases.Features), len(shipped.Bases))
	}
	rings := decodeCollection(t, get(t, s, "/api/rings.geojson").Body.Bytes())
	if len(rings.Features) != 3*len(shipped.Bases) {
		t.Errorf("%d rings, want %d bases x 3 default radii", len(rings.Features), len(shipped.Bases))
	}
}

func TestIncidentPaging(t *testing.T) {
	s := fixtureServer(t)
	all := featureIDs(decodeCollection(t, get(t, s, "/api/incidents.geojson?weapon=drone,missile,unknown,rocket").Body.Bytes()))
	var paged []string
	target := "/api/incidents.geojson?weapon=drone,missile,unknown,rocket&limit=2"
	for pages := 0; target != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		rec := get(t, s, target)
		var page struct {
			NumberReturned int    `json:"numberReturned"`
			Next           string `json:"next"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		ids := featureIDs(decodeCollection(t, rec.Body.Bytes()))
		if page.NumberReturned != len(ids) || len(ids) > 2 {
			t.Errorf("%s: numberReturned %d for %d features", target, page.NumberReturned, len(ids))
		}
		paged = append(paged, ids...)
		target = page.Next
	}
	if strings.Join(paged, " ") != strings.Join(all, " ") {
		t.Errorf("pages give %v, want %v", paged, all)
	}
	for _, bad := range []string{"limit=0", "limit=10001", "limit=x", "offset=5", "limit=5&offset=-1"} {
		rec := get(t, s, "/api/incidents.geojson?"+bad)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
}

func cfg2Version(t *testing.T, s *Server) string {
	t.Helper()
	return s.store.Dataset().Version
}

// TestPageLinksAreReadable: the next and prev links of the GeoJSON API keep
// a filter's separators as written (bbox=38,30,50,40, weapon=drone,rocket),
// as the page's own links do, and followed they answer the same filter.
func TestPageLinksAreReadable(t *testing.T) {
	s := fixtureServer(t)
	type page struct {
		NumberReturned int    `json:"numberReturned"`
		Next           string `json:"next"`
		Previous       string `json:"prev"`
	}
	read := func(target string) (page, []string) {
		t.Helper()
		rec := get(t, s, target)
		var p page
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %v", target, rec.Code, err)
		}
		return p, featureIDs(decodeCollection(t, rec.Body.Bytes()))
	}
	const filter = "bbox=38,30,50,40&weapon=drone,missile,unknown,rocket"
	_, all := read("/api/incidents.geojson?" + filter)
	if len(all) < 3 {
		t.Fatalf("the filter gives %d incidents; the test needs 3", len(all))
	}
	first, ids1 := read("/api/incidents.geojson?" + filter + "&limit=2")
	if !strings.Contains(first.Next, "bbox=38,30,50,40") || !strings.Contains(first.Next, "weapon=drone,missile,unknown,rocket") {
		t.Errorf("next link %q does not carry the filter as written", first.Next)
	}
	second, ids2 := read(first.Next)
	if strings.Contains(second.Previous, "%2C") || !strings.Contains(second.Previous, "bbox=38,30,50,40") {
		t.Errorf("prev link %q does not carry the filter as written", second.Previous)
	}
	if got := append(slices.Clone(ids1), ids2...); strings.Join(got, " ") != strings.Join(all[:len(got)], " ") {
		t.Errorf("the first two pages hold %v, want %v", got, all[:len(got)])
	}
	_, back := read(second.Previous)
	if strings.Join(back, " ") != strings.Join(ids1, " ") {
		t.Errorf("prev holds %v, want %v", back, ids1)
	}
}

// TestLegendRowsSayWhatTheyShow: every row of the legend, on the map page
// and the embed, has its words beside its symbol. When the strings moved to
// the catalog, `@Symbol(...) { msg(...) }` made the words the symbol's
// children, which it does not draw: the weapon, status and base rows showed
// a symbol and nothing else.
func TestLegendRowsSayWhatTheyShow(t *testing.T) {
	s := fixtureServer(t)
	for _, target := range []string{"/", "/embed"} {
		rec := get(t, s, target)
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil || rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %v", target, rec.Code, err)
		}
		rows := doc.Find(".legend li")
		if rows.Length() < 12 {
			t.Errorf("%s: %d legend rows, want at least 12", target, rows.Length())
		}
		rows.Each(func(_ int, li *goquery.Selection) {
			if strings.TrimSpace(li.Text()) == "" {
				h, _ := goquery.OuterHtml(li)
				t.Errorf("%s: a legend row has no words: %.200s", target, h)
			}
		})
	}
}
