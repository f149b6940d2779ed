package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// The OGC API's items answer at the version as_of names, and their next
// link keeps it, so that a GIS client paging through a layer reads one
// version whatever is approved meanwhile; the API definition lists as_of
// (TestAPIDefinitionIsValid, internal/ogcapi).
func TestOGCItemsAsOf(t *testing.T) {
	f := newVersionedServer(t)
	type page struct {
		Features []struct {
			ID string `json:"id"`
		}
		Links []struct{ Rel, Href string }
	}
	// all reads every page of the incidents at a version, following next.
	all := func(asOf string) []string {
		var ids []string
		target := "/ogc/collections/incidents/items?f=json&limit=2"
		if asOf != "" {
			target += "&as_of=" + asOf
		}
		for n := 0; target != "" && n < 100; n++ {
			rec := get(t, f.s, target)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", target, rec.Code, rec.Body.String())
			}
			var p page
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			for _, ft := range p.Features {
				ids = append(ids, ft.ID)
			}
			target = ""
			for _, l := range p.Links {
				if l.Rel != "next" {
					continue
				}
				u, err := url.Parse(l.Href)
				if err != nil {
					t.Fatal(err)
				}
				if u.Query().Get("as_of") != asOf {
					t.Errorf("next link %s: as_of %q, want %q", l.Href, u.Query().Get("as_of"), asOf)
				}
				target = u.RequestURI()
			}
		}
		slices.Sort(ids)
		return ids
	}
	v1, v2, current := all("1"), all("2"), all("")
	if !slices.Contains(v1, f.retracted) || slices.Contains(v2, f.retracted) {
		t.Errorf("the retracted incident %s: in version 1 %v, in version 2 %v", f.retracted, slices.Contains(v1, f.retracted), slices.Contains(v2, f.retracted))
	}
	if slices.Equal(v1, current) || !slices.Equal(all("3"), current) {
		t.Errorf("version 1 reads %d incidents, 3 and the current data %d", len(v1), len(current))
	}
	rec := get(t, f.s, "/ogc/collections/incidents/items?f=json&as_of=9")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "versions 1 to 3") {
		t.Errorf("as_of=9: %d %s", rec.Code, rec.Body.String())
	}
}
