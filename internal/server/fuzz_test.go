package server

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"strikemap/internal/ogcapi"
	"strikemap/internal/request"
)

// FuzzMapPosition checks map=z/lat/lon: a 400, or a finite position within
// the map's range.
func FuzzMapPosition(f *testing.F) {
	for _, s := range []string{"7/34.0/41.6", "0/0/0", "19/85/180", "20/0/0", "-1/0/0", "NaN/0/0", "7/Inf/0", "7/90/0", "7/34", "7/34/41/1", "", "//", "7/34.0/41.6/", "1e1/1e1/1e1", "0x1p3/0/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, zoom, err := parseMapPosition(s)
		if err != nil {
			var e *request.Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest {
				t.Fatalf("not a 400: %v", err)
			}
			return
		}
		for _, v := range []float64{p[0], p[1], zoom} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%q read as %v %v", s, p, zoom)
			}
		}
		if zoom < 0 || zoom > 19 || math.Abs(p[1]) > 85 || math.Abs(p[0]) > 180 {
			t.Fatalf("%q read as %v %v", s, p, zoom)
		}
	})
}

// fuzzRoutes are the GET routes FuzzRoutes sends query strings to, with ids
// that exist in the fixture. The raster and PDF exports read the same
// parameters as map.svg and only cost more to draw, so map.svg stands for
// them.
var fuzzRoutes = []string{
	"/", "/embed", "/healthz", "/bases/alpha", "/incidents/i1-alpha-drone",
	"/api/bases.geojson", "/api/incidents.geojson", "/api/incidents.csv", "/api/rings.geojson",
	"/api/links.geojson", "/api/basemap.geojson", "/api/export/map.svg",
	"/ogc", "/ogc/api", "/ogc/conformance", "/ogc/collections", "/ogc/collections/incidents",
	"/ogc/collections/incidents/queryables", "/ogc/collections/incidents/items",
	"/ogc/collections/bases/items", "/ogc/collections/incidents/items/i1-alpha-drone",
	"/static/css/site.css", "/nothing-here",
}

// FuzzRoutes sends arbitrary query strings to every GET route through the
// real router: never a 5xx, a 4xx always has a body, and the API's and the
// OGC API's 400s are JSON (unless the OGC client asked for HTML).
func FuzzRoutes(f *testing.F) {
	s := fixtureServer(f)
	for i := range fuzzRoutes {
		f.Add(uint8(i), "")
	}
	for _, q := range []string{
		"from=2023-10-18&to=2023-10-22&weapon=drone,rocket&bbox=38,32,45,37.5&limit=2&offset=1",
		"bbox=170,-10,-170,10", "bbox=NaN,0,1,1", "limit=-1", "limit=99999999999999999999", "offset=5",
		"datetime=2023-10-18/..", "datetime=garbage", "f=html", "f=json", "f=xml", "width=4000&height=4000&scale=4",
		"width=1e308", "scale=NaN", "map=7/34/41.6", "map=99/0/0", "radii=1,2,3,4,5,6,7,8,9,10,11", "radii=-1",
		"%zz", "a=%ff", "weapon=" + strings.Repeat("drone,", 200), "download=maybe", "title=%3Cscript%3E", "v=x&legend=2",
		"layers=bases,incidents,rings,links", "from=2023-10-18&from=2023-10-19",
	} {
		for i := range fuzzRoutes {
			f.Add(uint8(i), q)
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, rawQuery string) {
		path := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.URL.RawQuery = rawQuery
		req.RequestURI = path + "?" + rawQuery
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		status, body := rec.Code, rec.Body.Bytes()
		if status >= 500 {
			t.Fatalf("GET %s?%q: %d\n%s", path, rawQuery, status, body)
		}
		if status >= 400 && len(body) == 0 {
			t.Fatalf("GET %s?%q: %d with an empty body", path, rawQuery, status)
		}
		jsonErrors := strings.HasPrefix(path, "/api/") || (ogcapi.Owns(path) && !ogcapi.WantsHTML(req))
		if status == http.StatusBadRequest && jsonErrors {
			var e map[string]any
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("GET %s?%q: 400 body is not JSON: %v\n%s", path, rawQuery, err, body)
			}
		}
	})
}
