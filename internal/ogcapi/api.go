package ogcapi

import (
	_ "embed"
	"encoding/json"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"strikemap/internal/request"
	"strikemap/web/templates"
)

// openAPIJSON is the API definition. It is a static document rather than Go
// code so that it reads as the contract it is and diffs cleanly; the tests
// validate it with kin-openapi, check that it describes every route served,
// and tie its limits and vocabularies to the Go constants. Only its servers
// member is set per request, to this API's absolute URL.
//
//go:embed openapi.json
var openAPIJSON []byte

// apiDefinition is the parsed API definition: the document, and the facts the
// HTML page lists.
type apiDefinition struct {
	doc   map[string]json.RawMessage
	paths []templates.OGCPath
}

// loadAPIDefinition parses the embedded document; it panics on a broken one,
// which the tests catch.
func loadAPIDefinition() apiDefinition {
	var a apiDefinition
	if err := json.Unmarshal(openAPIJSON, &a.doc); err != nil {
		panic("ogcapi: openapi.json: " + err.Error())
	}
	var doc struct {
		Info struct {
			Title, Description string
		}
		Paths map[string]struct {
			Get struct {
				Summary, Description string
				Parameters           []struct {
					Ref string `json:"$ref"`
				}
			}
		}
		Components struct {
			Parameters map[string]struct {
				Name, In, Description string
			}
		}
	}
	if err := json.Unmarshal(openAPIJSON, &doc); err != nil {
		panic("ogcapi: openapi.json: " + err.Error())
	}
	for path, item := range doc.Paths {
		p := templates.OGCPath{Path: Prefix + path, Summary: item.Get.Summary, Description: item.Get.Description}
		for _, ref := range item.Get.Parameters {
			param, ok := doc.Components.Parameters[strings.TrimPrefix(ref.Ref, "#/components/parameters/")]
			if !ok {
				panic("ogcapi: openapi.json: unresolved parameter " + ref.Ref)
			}
			p.Parameters = append(p.Parameters, templates.OGCParameter{Name: param.Name, In: param.In, Description: param.Description})
		}
		a.paths = append(a.paths, p)
	}
	slices.SortFunc(a.paths, func(x, y templates.OGCPath) int { return strings.Compare(x.Path, y.Path) })
	return a
}

// apiDefinition answers GET /ogc/api: the OpenAPI document, or an HTML page
// describing it (the landing page's service-doc).
func (h *handler) apiDefinition(c echo.Context) error {
	q, err := request.Query(c.QueryString(), "f")
	if err != nil {
		return err
	}
	f, err := format(c, q, metadataFormats)
	if err != nil {
		return err
	}
	r := c.Request()
	if f == formatHTML {
		links := selfLinks(h, r, "/api", f, typeOpenAPI, "the API definition")
		return render(c, templates.OGCAPIPage(h.opts.Page("OGC API definition", h.dataset(c.Request())), h.api.paths, htmlLinks(links)))
	}
	doc := make(map[string]any, len(h.api.doc)+1)
	for k, v := range h.api.doc {
		doc[k] = v
	}
	doc["servers"] = []map[string]string{{"url": h.href(r, "", nil), "description": "this server"}}
	return writeJSON(c, typeOpenAPI, doc)
}
