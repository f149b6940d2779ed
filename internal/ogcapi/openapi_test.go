package ogcapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"strikemap/internal/geo"
	"strikemap/internal/ogcapi"
	"strikemap/internal/server"
)

// loadAPI fetches /ogc/api and loads it with kin-openapi.
func loadAPI(t *testing.T, h http.Handler) *openapi3.T {
	t.Helper()
	rec := get(t, h, "/ogc/api")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/vnd.oai.openapi+json;version=3.0" {
		t.Fatalf("/ogc/api: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("loading the API definition: %v", err)
	}
	return doc
}

func TestAPIDefinitionIsValid(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	doc := loadAPI(t, s)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the API definition is not valid OpenAPI 3.0: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "http://example.com/ogc" {
		t.Errorf("servers %+v", doc.Servers)
	}

	// The limits and vocabularies it states are the ones the code enforces.
	items := doc.Paths.Find("/collections/{collectionId}/items").Get
	param := func(name string) *openapi3.Schema {
		p := items.Parameters.GetByInAndName("query", name)
		if p == nil {
			t.Fatalf("items has no parameter %s", name)
		}
		return p.Schema.Value
	}
	limit := param("limit")
	if limit.Min == nil || *limit.Min != 1 || limit.Max == nil || *limit.Max != ogcapi.MaxLimit || limit.Default != float64(ogcapi.DefaultLimit) {
		t.Errorf("limit schema min %v max %v default %v, want 1, %d, %d", limit.Min, limit.Max, limit.Default, ogcapi.MaxLimit, ogcapi.DefaultLimit)
	}
	enum := func(s *openapi3.Schema) []string {
		var out []string
		for _, v := range s.Items.Value.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	if got := enum(param("weapon")); !slices.Equal(got, geo.Words(geo.Weapons())) {
		t.Errorf("weapon enum %v", got)
	}
	if got := enum(param("status")); !slices.Equal(got, geo.Words(geo.Statuses())) {
		t.Errorf("status enum %v", got)
	}
	for _, name := range []string{"bbox", "datetime", "offset", "base", "f", "as_of"} {
		param(name)
	}
	// as_of (the dataset version) is a parameter of one feature too, so that
	// QGIS and GDAL users find it wherever the server takes it.
	if doc.Paths.Find("/collections/{collectionId}/items/{featureId}").Get.Parameters.GetByInAndName("query", "as_of") == nil {
		t.Error("one feature's request does not list as_of")
	}
	var conf struct{ ConformsTo []string }
	getJSON(t, s, "/ogc/conformance", "application/json", &conf)
	if !slices.Contains(conf.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30") {
		t.Error("oas30 not declared")
	}
}

// TestAPIDefinitionDescribesEveryRoute compares the router's /ogc routes with
// the paths of the API definition, both ways.
func TestAPIDefinitionDescribesEveryRoute(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	doc := loadAPI(t, s)
	served := map[string]bool{}
	for _, r := range s.Routes() {
		method, path, _ := strings.Cut(r, " ")
		if !ogcapi.Owns(path) || method != http.MethodGet {
			continue
		}
		p := strings.TrimPrefix(path, ogcapi.Prefix)
		if p == "" {
			p = "/"
		}
		parts := strings.Split(p, "/")
		for i, part := range parts {
			if strings.HasPrefix(part, ":") {
				parts[i] = "{" + part[1:] + "}"
			}
		}
		p = strings.Join(parts, "/")
		served[p] = true
		if item := doc.Paths.Value(p); item == nil || item.Get == nil {
			t.Errorf("route GET %s is served but the API definition does not describe %s", path, p)
		}
	}
	if len(served) < 8 {
		t.Errorf("only %d OGC routes found: %v", len(served), served)
	}
	for _, p := range doc.Paths.InMatchingOrder() {
		if !served[p] {
			t.Errorf("the API definition describes %s, which is not served", p)
		}
	}
}

// TestResponsesMatchTheAPIDefinition validates requests and JSON responses
// against the API definition with kin-openapi's openapi3filter.
func TestResponsesMatchTheAPIDefinition(t *testing.T) {
	s := shippedServer(t)
	doc := loadAPI(t, s)
	doc.Servers = openapi3.Servers{{URL: "http://example.com/ogc"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{
		"/ogc",
		"/ogc/conformance",
		"/ogc/collections",
		"/ogc/collections/incidents",
		"/ogc/collections/bases",
		"/ogc/collections/incidents/queryables",
		"/ogc/collections/incidents/items",
		"/ogc/collections/incidents/items?limit=2&offset=2&weapon=drone,rocket&status=confirmed&datetime=2023-10-18/..&bbox=38,32,45,37",
		"/ogc/collections/bases/items?base=harir,al-tanf",
		"/ogc/collections/bases/items/harir",
		"/ogc/collections/incidents/items/2023-10-18-ain-al-asad-drones",
		"/ogc/collections/incidents/items?limit=0",
		"/ogc/collections/incidents/items?weapon=drones",
		"/ogc/collections/nope",
		"/ogc/collections/incidents/items/nope",
		"/ogc/collections/strikes",
		"/ogc/collections/strikes/queryables",
		"/ogc/collections/strikes/items?limit=2&offset=1&status=confirmed&datetime=2023-11-01/..&bbox=38,32,45,37",
		"/ogc/collections/strikes/items/us-2023-10-27-abu-kamal",
	} {
		t.Run(target, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://example.com"+target, nil)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("the API definition has no route for %s: %v", target, err)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
			reqErr := openapi3filter.ValidateRequest(context.Background(), in)
			switch {
			case rec.Code == http.StatusOK && reqErr != nil:
				t.Errorf("status 200, but the API definition says the request is invalid: %v", reqErr)
			case rec.Code == http.StatusBadRequest && reqErr == nil:
				t.Errorf("status 400, but the API definition says the request is valid")
			}
			out := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: in,
				Status:                 rec.Code,
				Header:                 rec.Header(),
				Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
				Options:                &openapi3filter.Options{IncludeResponseStatus: true},
			}
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("response %d does not match the API definition: %v\n%.300s", rec.Code, err, rec.Body)
			}
		})
	}
}
