package ogcapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/server"
)

type featureCollection struct {
	Type     string
	Features []struct {
		ID         string
		Geometry   struct{ Coordinates []float64 }
		Properties map[string]any
	}
	Links          []link
	TimeStamp      string
	NumberMatched  *int
	NumberReturned *int
}

func (fc featureCollection) ids() []string {
	out := make([]string, len(fc.Features))
	for i, f := range fc.Features {
		out[i] = f.ID
	}
	return out
}

func (fc featureCollection) link(rel string) string {
	for _, l := range fc.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func items(t *testing.T, h http.Handler, target string) featureCollection {
	t.Helper()
	var fc featureCollection
	getJSON(t, h, target, "application/geo+json", &fc)
	if fc.Type != "FeatureCollection" || fc.NumberMatched == nil || fc.NumberReturned == nil || *fc.NumberReturned != len(fc.Features) {
		t.Fatalf("%s: not an OGC feature collection: type %q, numberMatched %v, numberReturned %v, %d features", target, fc.Type, fc.NumberMatched, fc.NumberReturned, len(fc.Features))
	}
	if ts, err := time.Parse(time.RFC3339, fc.TimeStamp); err != nil || time.Since(ts) > time.Minute {
		t.Errorf("%s: timeStamp %q", target, fc.TimeStamp)
	}
	checkLinks(t, fc.Links)
	return fc
}

func TestItemFilters(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	// Fixture incidents in dataset order: i1 (18 Oct, drone, alpha, 42,33),
	// i2 (18 Oct, drone, bravo, 44,36), i4 (19 Oct, missile, charlie,
	// 38.6,33.45), i3 (21-22 Oct, rocket, alpha, 42,33), i5 (25 Oct, no base,
	// 43,34.5).
	for _, tc := range []struct{ query, want string }{
		{"", "i1-alpha-drone i2-bravo-drone i4-charlie-near i3-alpha-rocket-span i5-nobase"},
		{"datetime=2023-10-19", "i4-charlie-near"},
		{"datetime=2023-10-22", "i3-alpha-rocket-span"},
		{"datetime=2023-10-22T23:30:00Z", "i3-alpha-rocket-span"},
		{"datetime=2023-10-22T23:30:00-05:00", "i3-alpha-rocket-span"},
		{"datetime=2023-10-20/2023-10-21", "i3-alpha-rocket-span"},
		{"datetime=2023-10-22/..", "i3-alpha-rocket-span i5-nobase"},
		{"datetime=2023-10-22/", "i3-alpha-rocket-span i5-nobase"},
		{"datetime=../2023-10-18T12:00:00Z", "i1-alpha-drone i2-bravo-drone"},
		{"datetime=../..", "i1-alpha-drone i2-bravo-drone i4-charlie-near i3-alpha-rocket-span i5-nobase"},
		{"datetime=2030-01-01", ""},
		{"bbox=41,32,43.5,35", "i1-alpha-drone i3-alpha-rocket-span i5-nobase"},
		{"bbox=41,32,-100,43.5,35,100", "i1-alpha-drone i3-alpha-rocket-span i5-nobase"},
		{"bbox=43.5,30,39,40", "i2-bravo-drone i4-charlie-near"},
		{"weapon=missile,unknown", "i4-charlie-near i5-nobase"},
		{"status=claimed", "i2-bravo-drone"},
		{"base=alpha,charlie", "i1-alpha-drone i4-charlie-near i3-alpha-rocket-span"},
		{"weapon=drone&status=confirmed&base=alpha&datetime=2023-10-18&bbox=41,32,43,34", "i1-alpha-drone"},
		{"limit=2", "i1-alpha-drone i2-bravo-drone"},
		{"limit=2&offset=3", "i3-alpha-rocket-span i5-nobase"},
		{"offset=99", ""},
	} {
		t.Run(tc.query, func(t *testing.T) {
			fc := items(t, s, "/ogc/collections/incidents/items?"+tc.query)
			if got := strings.Join(fc.ids(), " "); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestPagingMatchesTheAPI walks the next links under each filter and checks
// that the pages together hold exactly what /api/incidents.geojson (or
// /api/bases.geojson) returns for the same filter, in the same order, and
// that prev links walk back.
func TestPagingMatchesTheAPI(t *testing.T) {
	s := shippedServer(t)
	for _, tc := range []struct{ collection, ogc, api string }{
		{"incidents", "", ""},
		{"incidents", "weapon=drone", "weapon=drone"},
		{"incidents", "weapon=rocket,drone&status=confirmed,reported", "weapon=rocket,drone&status=confirmed,reported"},
		{"incidents", "base=ain-al-asad&datetime=2023-10-18/2023-10-22", "base=ain-al-asad&from=2023-10-18&to=2023-10-22"},
		{"incidents", "datetime=2023-10-20/..&bbox=38,32,45,37.5", "from=2023-10-20&bbox=38,32,45,37.5"},
		{"incidents", "datetime=../2023-10-19", "to=2023-10-19"},
		{"bases", "", ""},
		{"bases", "bbox=42,33,45,37", "bbox=42,33,45,37"},
		{"bases", "base=harir,al-tanf,tower-22&weapon=drone&datetime=2023-10-18/2023-10-21", "base=harir,al-tanf,tower-22&weapon=drone&from=2023-10-18&to=2023-10-21"},
	} {
		for _, limit := range []int{1, 2, 5} {
			t.Run(tc.collection+"?"+tc.ogc+"&limit="+itoa(limit), func(t *testing.T) {
				var want featureCollection
				rec := get(t, s, "/api/"+tc.collection+".geojson?"+tc.api)
				if err := json.Unmarshal(rec.Body.Bytes(), &want); err != nil || rec.Code != 200 {
					t.Fatalf("main API: %d %v", rec.Code, err)
				}
				var got []string
				var pages []featureCollection
				next := "/ogc/collections/" + tc.collection + "/items?" + tc.ogc + "&limit=" + itoa(limit)
				for next != "" {
					fc := items(t, s, next)
					if *fc.NumberMatched != len(want.Features) {
						t.Errorf("%s: numberMatched %d, want %d", next, *fc.NumberMatched, len(want.Features))
					}
					if len(fc.Features) > limit {
						t.Errorf("%s: %d features, limit %d", next, len(fc.Features), limit)
					}
					for _, f := range fc.Features {
						got = append(got, f.ID)
						if tc.collection == "bases" {
							// The summaries count the same incidents as the API's.
							for _, w := range want.Features {
								if w.ID == f.ID && w.Properties["attacks"] != f.Properties["attacks"] {
									t.Errorf("base %s: attacks %v, API says %v", f.ID, f.Properties["attacks"], w.Properties["attacks"])
								}
							}
						}
					}
					pages = append(pages, fc)
					if len(pages) > 100 {
						t.Fatal("next links do not end")
					}
					next = relative(t, fc.link("next"))
				}
				if !slices.Equal(got, want.ids()) {
					t.Errorf("pages hold %v\nthe API returns %v", got, want.ids())
				}
				// Walking back with prev visits the same pages in reverse.
				for i := len(pages) - 1; i > 0; i-- {
					prev := items(t, s, relative(t, pages[i].link("prev")))
					if !slices.Equal(prev.ids(), pages[i-1].ids()) {
						t.Errorf("prev of page %d holds %v, want %v", i, prev.ids(), pages[i-1].ids())
					}
				}
				if pages[0].link("prev") != "" {
					t.Errorf("the first page has a prev link")
				}
			})
		}
	}
}

// relative turns an absolute link of the test server into a request target,
// checking its host.
func relative(t *testing.T, href string) string {
	t.Helper()
	if href == "" {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil || u.Scheme != "http" || u.Host != "example.com" {
		t.Fatalf("link %q", href)
	}
	return u.RequestURI()
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestItemsLinks(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	fc := items(t, s, "/ogc/collections/incidents/items?weapon=drone,missile&limit=1&offset=1&f=geojson")
	want := map[string]url.Values{
		"self": {"weapon": {"drone,missile"}, "limit": {"1"}, "offset": {"1"}, "f": {"geojson"}},
		"next": {"weapon": {"drone,missile"}, "limit": {"1"}, "offset": {"2"}, "f": {"geojson"}},
		"prev": {"weapon": {"drone,missile"}, "limit": {"1"}, "f": {"geojson"}},
	}
	for rel, q := range want {
		l := findLink(t, fc.Links, rel, "application/geo+json")
		u, err := url.Parse(l.Href)
		if err != nil || u.Path != "/ogc/collections/incidents/items" {
			t.Fatalf("%s link %s", rel, l.Href)
		}
		if got := u.Query(); got.Encode() != q.Encode() {
			t.Errorf("%s link query %s, want %s", rel, got.Encode(), q.Encode())
		}
	}
	if l := findLink(t, fc.Links, "alternate", "text/html"); !strings.Contains(l.Href, "f=html") || !strings.Contains(l.Href, "weapon=drone,missile") {
		t.Errorf("alternate %s", l.Href)
	}
	findLink(t, fc.Links, "collection", "application/json")
	last := items(t, s, "/ogc/collections/incidents/items?weapon=drone,missile&limit=1&offset=2")
	if last.link("next") != "" || *last.NumberMatched != 3 || *last.NumberReturned != 1 {
		t.Errorf("last page: next %q, matched %d, returned %d", last.link("next"), *last.NumberMatched, *last.NumberReturned)
	}
	beyond := items(t, s, "/ogc/collections/incidents/items?limit=2&offset=10")
	if len(beyond.Features) != 0 || beyond.link("next") != "" || !strings.Contains(beyond.link("prev"), "offset=3") {
		t.Errorf("beyond the end: %v, next %q, prev %q", beyond.ids(), beyond.link("next"), beyond.link("prev"))
	}
	def := items(t, s, "/ogc/collections/incidents/items")
	if !strings.Contains(def.link("self"), "limit=100") {
		t.Errorf("default limit: self %s", def.link("self"))
	}
}

func TestBasesItems(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	fc := items(t, s, "/ogc/collections/bases/items")
	if got := strings.Join(fc.ids(), " "); got != "alpha bravo charlie" {
		t.Errorf("bases %q", got)
	}
	// datetime, weapon and status choose what the counts cover, not the bases.
	fc = items(t, s, "/ogc/collections/bases/items?datetime=2023-10-21/..&base=alpha,bravo")
	if got := strings.Join(fc.ids(), " "); got != "alpha bravo" {
		t.Fatalf("bases %q", got)
	}
	if a, b := fc.Features[0].Properties["attacks"], fc.Features[1].Properties["attacks"]; a != 1.0 || b != 0.0 {
		t.Errorf("attacks since 21 Oct: alpha %v, bravo %v; want 1 and 0", a, b)
	}
}

func TestItem(t *testing.T) {
	s := fixtureServer(t, server.Options{})
	var f struct {
		Type     string
		ID       string
		Geometry struct {
			Type        string
			Coordinates []float64
		}
		Properties map[string]any
		Links      []link
	}
	getJSON(t, s, "/ogc/collections/incidents/items/i3-alpha-rocket-span", "application/geo+json", &f)
	if f.Type != "Feature" || f.ID != "i3-alpha-rocket-span" || f.Geometry.Type != "Point" || !slices.Equal(f.Geometry.Coordinates, []float64{42, 33}) || f.Properties["date_end"] != "2023-10-22" {
		t.Errorf("feature %+v", f)
	}
	checkLinks(t, f.Links)
	if l := findLink(t, f.Links, "self", "application/geo+json"); !strings.HasPrefix(l.Href, "http://example.com/ogc/collections/incidents/items/i3-alpha-rocket-span") {
		t.Errorf("self %s", l.Href)
	}
	findLink(t, f.Links, "alternate", "text/html")
	findLink(t, f.Links, "collection", "application/json")

	getJSON(t, s, "/ogc/collections/bases/items/alpha", "application/geo+json", &f)
	if f.ID != "alpha" || f.Properties["attacks"] != 2.0 {
		t.Errorf("base alpha: %+v", f)
	}
}

// checkPage parses an HTML page, checks it is in the site's layout without
// inline script or style, and returns it.
func checkPage(t *testing.T, h http.Handler, target string) *goquery.Document {
	t.Helper()
	rec := get(t, h, target)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/html; charset=UTF-8" {
		t.Fatalf("%s: %d %s: %s", target, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Find(`link[rel=stylesheet][href^="/static/css/site.css?v="]`).Length() != 1 || doc.Find("header.site-header").Length() != 1 {
		t.Errorf("%s: not in the site's layout", target)
	}
	if doc.Find(`script:not([src]):not([type="application/json"])`).Length() != 0 || doc.Find("style, [style]").Length() != 0 {
		t.Errorf("%s: inline script or style", target)
	}
	return doc
}

func TestHTMLPages(t *testing.T) {
	s := fixtureServer(t, server.Options{})

	doc := checkPage(t, s, "/ogc?f=html")
	for _, href := range []string{"/ogc/collections?f=html", "/ogc/conformance?f=html", "/ogc/api?f=html"} {
		if doc.Find(`main a[href="`+href+`"]`).Length() == 0 {
			t.Errorf("landing page does not link %s", href)
		}
	}
	if doc.Find(`main a[rel="service-desc"][type="application/vnd.oai.openapi+json;version=3.0"]`).Length() != 1 {
		t.Error("landing page lacks the service-desc link")
	}

	doc = checkPage(t, s, "/ogc/conformance?f=html")
	if n := doc.Find("ul.ogc-conformance li").Length(); n != 4 {
		t.Errorf("%d conformance classes listed", n)
	}

	doc = checkPage(t, s, "/ogc/collections?f=html")
	if doc.Find("#collection-bases h2").Text() != "Bases" || doc.Find("#collection-incidents dd").Last().Text() != "2023-10-18T00:00:00Z to 2023-10-25T23:59:59Z" {
		t.Errorf("collections page: %q", doc.Find("main").Text())
	}
	doc = checkPage(t, s, "/ogc/collections/incidents?f=html")
	if href, _ := doc.Find("a.ogc-items-link").Attr("href"); href != "http://example.com/ogc/collections/incidents/items?f=html" {
		t.Errorf("items link %q", href)
	}

	doc = checkPage(t, s, "/ogc/collections/incidents/queryables?f=html")
	if !strings.Contains(doc.Find("dl.ogc-queryables").Text(), "missile") {
		t.Errorf("queryables page: %q", doc.Find("main").Text())
	}

	doc = checkPage(t, s, "/ogc/api?f=html")
	var paths []string
	doc.Find("article.ogc-path h2").Each(func(_ int, sel *goquery.Selection) { paths = append(paths, sel.Text()) })
	if !slices.Contains(paths, "GET /ogc/collections/{collectionId}/items") || len(paths) != 8 {
		t.Errorf("API page paths %v", paths)
	}

	doc = checkPage(t, s, "/ogc/collections/incidents/items?f=html&weapon=drone,missile&limit=2")
	var ids []string
	doc.Find("table.ogc-items tbody tr td:first-child a").Each(func(_ int, sel *goquery.Selection) { ids = append(ids, sel.Text()) })
	if strings.Join(ids, " ") != "i1-alpha-drone i2-bravo-drone" {
		t.Errorf("items table ids %v", ids)
	}
	if got := strings.TrimSpace(doc.Find(".ogc-count").Text()); got != "Features 1 to 2 of 3." {
		t.Errorf("count %q", got)
	}
	next, _ := doc.Find(`nav.ogc-paging a[rel=next]`).Attr("href")
	if u, err := url.Parse(next); err != nil || u.Query().Get("offset") != "2" || u.Query().Get("weapon") != "drone,missile" || u.Query().Get("f") != "html" {
		t.Errorf("next page link %q", next)
	}
	checkMap(t, s, doc, "FeatureCollection", 2)

	doc = checkPage(t, s, "/ogc/collections/incidents/items/i1-alpha-drone?f=html")
	if doc.Find("main h1").Text() != "i1-alpha-drone" {
		t.Errorf("item heading %q", doc.Find("main h1").Text())
	}
	props := map[string]string{}
	doc.Find("table.ogc-properties tr").Each(func(_ int, sel *goquery.Selection) {
		props[sel.Find("th").Text()] = sel.Find("td").Text()
	})
	if props["weapon"] != "drone" || props["date"] != "2023-10-18" || props["base_name"] == "" {
		t.Errorf("item properties %v", props)
	}
	if doc.Find("ol.ogc-sources li").Length() == 0 {
		t.Error("item page lists no sources")
	}
	checkMap(t, s, doc, "Feature", 1)

	doc = checkPage(t, s, "/ogc/collections/bases/items/alpha?f=html")
	if doc.Find("main h1").Text() == "" {
		t.Error("base page has no heading")
	}
	checkMap(t, s, doc, "Feature", 1)
}

// checkMap checks a page's map: a labelled container, the vendored Leaflet
// with the shared attribution setup (leaflet-setup.js) and ogc-item.js from
// this origin (served), and the features as JSON data.
func checkMap(t *testing.T, h http.Handler, doc *goquery.Document, geoJSONType string, n int) {
	t.Helper()
	if doc.Find(`#ogc-map[role=region][aria-label]`).Length() != 1 {
		t.Error("no labelled map container")
	}
	var scripts []string
	doc.Find("script[src]").Each(func(_ int, sel *goquery.Selection) { scripts = append(scripts, sel.AttrOr("src", "")) })
	if len(scripts) != 3 || !strings.HasPrefix(scripts[0], "/static/vendor/leaflet/leaflet.js?v=") ||
		!strings.HasPrefix(scripts[1], "/static/js/leaflet-setup.js?v=") || !strings.HasPrefix(scripts[2], "/static/js/ogc-item.js?v=") {
		t.Errorf("scripts %v", scripts)
	}
	for _, src := range scripts {
		if rec := get(t, h, src); rec.Code != http.StatusOK {
			t.Errorf("%s: %d", src, rec.Code)
		}
	}
	if doc.Find(`link[rel=stylesheet][href^="/static/vendor/leaflet/leaflet.css?v="]`).Length() != 1 {
		t.Error("no Leaflet stylesheet")
	}
	var m struct {
		TileURL  string
		Features struct {
			Type     string
			Features []any
		}
	}
	if err := json.Unmarshal([]byte(doc.Find(`script#ogc-map-data[type="application/json"]`).Text()), &m); err != nil {
		t.Fatalf("map data: %v", err)
	}
	if m.Features.Type != geoJSONType || (geoJSONType == "FeatureCollection" && len(m.Features.Features) != n) {
		t.Errorf("map data %+v, want a %s of %d", m.Features, geoJSONType, n)
	}
}

// TestHTMLPagesNameTheirData checks that an HTML page's footer names the
// version of the data the page shows, even while reloads replace the
// dataset: the footer must come from the handler's one snapshot, not from a
// second read of the store.
func TestHTMLPagesNameTheirData(t *testing.T) {
	fixture, err := geo.Load(os.DirFS("../geo/testdata/valid"))
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := geo.NewStore(fixture, time.Now())
	s := mustNew(t, store, server.Options{})
	targets := []string{
		"/ogc?f=html", "/ogc/conformance?f=html", "/ogc/api?f=html",
		"/ogc/collections?f=html", "/ogc/collections/incidents?f=html", "/ogc/collections/incidents/queryables?f=html",
		"/ogc/collections/incidents/items?f=html", "/ogc/collections/bases/items?f=html",
		"/ogc/collections/incidents/items/i1-alpha-drone?f=html", "/ogc/collections/bases/items/alpha?f=html",
		"/ogc/collections/incidents/items/2023-10-18-harir-drone?f=html", "/ogc/collections/bases/items/harir?f=html",
	}
	// page reads a page's footer version and its main content.
	page := func(target string) (status int, version, main string) {
		rec := get(t, s, target)
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		main, _ = doc.Find("main").Html()
		return rec.Code, doc.Find("footer.site-footer code").Text(), main
	}
	// What each page shows of each dataset, read while it is the only one.
	want := map[string]map[string]string{} // version -> target -> main
	for _, d := range []*geo.Dataset{fixture, shipped} {
		store.Replace(d, time.Now())
		want[d.Version] = map[string]string{}
		for _, target := range targets {
			status, v, main := page(target)
			if status == http.StatusOK && v != d.Version {
				t.Errorf("%s: footer names %s while %s is the only dataset", target, v, d.Version)
			}
			want[d.Version][target] = main
		}
	}
	// Reloads back and forth, as fast as they come, while the pages are read.
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			store.Replace([]*geo.Dataset{fixture, shipped}[i%2], time.Now())
			runtime.Gosched()
		}
	}()
	defer func() { close(stop); <-done }()
	for range 20 {
		for _, target := range targets {
			status, v, main := page(target)
			if status != http.StatusOK {
				continue // a feature of the other dataset; error pages show no data
			}
			shown, ok := want[v]
			if !ok {
				t.Fatalf("%s: footer names %q, neither dataset", target, v)
			}
			if main != shown[target] {
				t.Fatalf("%s: the footer names data version %s but the page shows other data", target, v)
			}
		}
	}
}
