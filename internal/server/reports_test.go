package server

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"strikemap/internal/geo"
	"strikemap/web/templates"
)

func TestExportMap(t *testing.T) {
	t.Parallel()
	s := shippedServer(t)
	for _, tc := range []struct {
		target, contentType string
	}{
		{"/api/export/map.svg?layers=bases,incidents,rings&weapon=drone", "image/svg+xml"},
		{"/api/export/map.png?width=400&height=300&scale=2&map=7/34/42", "image/png"},
		{"/api/export/map.pdf?download=1&base=harir", "application/pdf"},
	} {
		rec := get(t, s, tc.target)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tc.contentType {
			t.Errorf("%s: %d %s %s", tc.target, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String()[:min(200, rec.Body.Len())])
			continue
		}
		if rec.Header().Get("ETag") == "" || rec.Header().Get("X-Dataset-Version") == "" {
			t.Errorf("%s: no ETag or dataset version", tc.target)
		}
	}
	// The SVG holds exactly the filtered incidents.
	rec := get(t, s, "/api/export/map.svg?weapon=drone&status=confirmed")
	var doc struct {
		Groups []struct {
			Class  string `xml:"class,attr"`
			Groups []struct {
				ID string `xml:"data-id,attr"`
			} `xml:"g"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("SVG: %v", err)
	}
	var marks []string
	for _, g := range doc.Groups {
		if g.Class == "incidents" {
			for _, m := range g.Groups {
				marks = append(marks, m.ID)
			}
		}
	}
	want := apiIDsFrom(t, s, "weapon=drone&status=confirmed")
	slices.Sort(marks)
	slices.Sort(want)
	if strings.Join(marks, " ") != strings.Join(want, " ") {
		t.Errorf("marks %v, want %v", marks, want)
	}
	if !strings.Contains(rec.Body.String(), "weapon: drone · status: confirmed") {
		t.Error("caption does not say the filter")
	}
	// A4 at 300 dpi.
	rec = get(t, s, "/api/export/map.png?width=827&height=1169&scale=3")
	img, err := png.DecodeConfig(bytes.NewReader(rec.Body.Bytes()))
	if err != nil || img.Width != 2481 || img.Height != 3507 {
		t.Errorf("A4 PNG: %v %d × %d", err, img.Width, img.Height)
	}
	// A published view whose data has changed says so.
	rec = get(t, s, "/api/export/map.svg?v=0123456789ab")
	if !strings.Contains(rec.Body.String(), "data updated since this map was published") {
		t.Error("stale version not stated on the image")
	}

	for _, tc := range []struct{ target, param string }{
		{"/api/export/map.png?width=5000", "width"},
		{"/api/export/map.png?height=10", "height"},
		{"/api/export/map.png?scale=0", "scale"},
		{"/api/export/map.png?width=4000&height=4000&scale=4", "scale"},
		{"/api/export/map.svg?map=7/34", "map"},
		{"/api/export/map.svg?map=30/34/42", "map"},
		{"/api/export/map.svg?layers=roads", "layers"},
		{"/api/export/map.svg?legend=maybe", "legend"},
		{"/api/export/map.svg?weapon=laser", "weapon"},
		{"/api/export/map.svg?colour=red", "colour"},
	} {
		rec := get(t, s, tc.target)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"param":"`+tc.param+`"`) {
			t.Errorf("%s: %d %s, want 400 about %s", tc.target, rec.Code, rec.Body, tc.param)
		}
	}
	if rec := get(t, s, "/api/export/map.gif"); rec.Code != http.StatusNotFound {
		t.Errorf("map.gif: %d", rec.Code)
	}
}

// apiIDsFrom lists the ids the incidents API returns for a query, in order.
func apiIDsFrom(t *testing.T, s http.Handler, query string) []string {
	t.Helper()
	return featureIDs(decodeCollection(t, get(t, s, "/api/incidents.geojson?"+query).Body.Bytes()))
}

func doc(t *testing.T, rec interface{ Result() *http.Response }) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBasePage(t *testing.T) {
	t.Parallel()
	s := shippedServer(t)
	rec := get(t, s, "/bases/ain-al-asad")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	if h1 := d.Find("h1").Text(); h1 != "Ain al-Asad Air Base" {
		t.Errorf("h1 %q", h1)
	}
	if title := d.Find("head title").Text(); title != "Ain al-Asad Air Base · strikemap" {
		t.Errorf("title %q", title)
	}
	// The link to the map reads as the map page writes its own URL.
	if href, _ := d.Find("figcaption a").Attr("href"); !strings.Contains(href, "map=8/33.7856/42.4411") || !strings.Contains(href, "layers=bases,incidents,rings") {
		t.Errorf("the report's map link %q: want map=8/33.7856/42.4411 and layers=bases,incidents,rings as they are", href)
	}
	ids := apiIDsFrom(t, s, "base=ain-al-asad")
	rows := d.Find("table.incident-table tbody tr")
	if rows.Length() != len(ids) {
		t.Errorf("%d incident rows, want %d", rows.Length(), len(ids))
	}
	rows.Each(func(i int, r *goquery.Selection) {
		if id, _ := r.Attr("data-id"); id != ids[i] {
			t.Errorf("row %d is %s, want %s", i, id, ids[i])
		}
	})
	d.Find("a.source-link").Each(func(_ int, a *goquery.Selection) {
		if href, _ := a.Attr("href"); !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "http://") {
			t.Errorf("source link %q", href)
		}
		if rel, _ := a.Attr("rel"); rel != "noopener noreferrer" {
			t.Errorf("source link rel %q", rel)
		}
	})
	counts := map[string]string{}
	d.Find("table.counts tbody tr").Each(func(_ int, r *goquery.Selection) {
		counts[r.Find("th").Text()] = r.Find("td").Text()
	})
	want := map[string]int{}
	for _, inc := range shippedData(t).Incidents {
		if inc.Base == "ain-al-asad" {
			want[inc.Weapon.String()]++
			want[inc.Status.String()]++
		}
	}
	for label, key := range map[string]string{"Drone": "drone", "Rocket": "rocket", "Missile": "missile", "Confirmed": "confirmed", "Reported": "reported", "Claimed": "claimed"} {
		if counts[label] != strconv.Itoa(want[key]) {
			t.Errorf("counts %v, want %s %d", counts, label, want[key])
		}
	}
	// One bar a bin (a day, a week or a month, as the span needs) from the
	// first to the last day the base's incidents cover.
	wantTL := templates.NewTimeline(s.store.Dataset().Select(geo.Filter{Bases: []string{"ain-al-asad"}}))
	bars := d.Find("svg.timeline-wide rect.bar")
	if bars.Length() != len(wantTL.Wide.Bins) || bars.Length() == 0 {
		t.Fatalf("%d bars, want one a %s: %d", bars.Length(), wantTL.Wide.Bin, len(wantTL.Wide.Bins))
	}
	n := wantTL.Wide.Bins[0].Count
	word := "attacks"
	if n == 1 {
		word = "attack"
	}
	if first := bars.First().Find("title").Text(); !strings.HasSuffix(first, fmt.Sprintf(": %d %s", n, word)) {
		t.Errorf("first bar %q, want %d %s", first, n, word)
	}
	img, _ := d.Find(".report-map img").Attr("src")
	u, err := url.Parse(img)
	if err != nil || u.Path != "/api/export/map.svg" || u.Query().Get("base") != "ain-al-asad" || !strings.Contains(u.Query().Get("layers"), "rings") {
		t.Errorf("map image %q", img)
	}
	if r := get(t, s, img); r.Code != http.StatusOK {
		t.Errorf("the page's map image answers %d: %s", r.Code, r.Body)
	}
	for _, want := range []string{"/api/incidents.geojson?download=1&base=ain-al-asad", "/api/incidents.csv?download=1&base=ain-al-asad"} {
		if d.Find(`.downloads a[href="`+want+`"]`).Length() != 1 {
			t.Errorf("no download link %s", want)
		}
	}
	for _, sel := range []string{`.downloads a[href^="/api/export/map.png"]`, `.downloads a[href^="/api/export/map.pdf"]`} {
		href, _ := d.Find(sel).Attr("href")
		if r := get(t, s, href); r.Code != http.StatusOK {
			t.Errorf("%s answers %d", href, r.Code)
		}
	}
}

func TestIncidentPageAndNotFound(t *testing.T) {
	s := shippedServer(t)
	rec := get(t, s, "/incidents/2023-10-18-harir-drone")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	if h1 := d.Find("h1").Text(); h1 != "Drone attack on Harir Air Base, 2023-10-18" {
		t.Errorf("h1 %q", h1)
	}
	if href, _ := d.Find("figcaption a").Attr("href"); !strings.Contains(href, "map=9/") || strings.Contains(href, "%2F") {
		t.Errorf("the incident's map link %q: want map=9/… as it is", href)
	}
	sources := len(shippedIncident(t, "2023-10-18-harir-drone").Sources)
	if n := d.Find("ul.sources > li").Length(); n != sources {
		t.Errorf("%d sources, want %d", n, sources)
	}
	if n := d.Find("a.source-link").Length(); n != sources {
		t.Errorf("%d source links, want %d", n, sources)
	}
	facts := map[string]string{}
	d.Find(".facts dt").Each(func(_ int, dt *goquery.Selection) { facts[dt.Text()] = strings.TrimSpace(dt.Next().Text()) })
	if facts["Killed"] != "unknown" || facts["Injured"] != "0" || facts["Disputed"] != "injured, who claimed it" {
		t.Errorf("facts %v", facts)
	}
	if href, _ := d.Find(`.facts a[href^="/bases/"]`).Attr("href"); href != "/bases/harir" {
		t.Errorf("base link %q", href)
	}
	if !strings.Contains(d.Find(".notes").Text(), "Daily Beast") {
		t.Error("notes missing")
	}

	for _, target := range []string{"/incidents/no-such-thing", "/bases/nowhere", "/bases/..%2f..%2fetc%2fpasswd"} {
		rec := get(t, s, target)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", target, rec.Code)
			continue
		}
		d := doc(t, rec)
		if !strings.Contains(d.Find("main h1").Text(), "404") || d.Find(".site-header .brand").Length() != 1 {
			t.Errorf("%s: not a 404 page in the site's layout", target)
		}
	}
	if rec := get(t, s, "/bases/harir?x=1"); rec.Code != http.StatusBadRequest {
		t.Errorf("unknown parameter on a report page: %d", rec.Code)
	}
}

func TestEmbedPageAndFraming(t *testing.T) {
	s := shippedServer(t)
	rec := get(t, s, "/embed?weapon=drone&title=Drones+%3Cb%3Ehit%3C/b%3E&legend=1&controls=0&v=0123456789ab")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors *") || rec.Header().Get("X-Frame-Options") != "" {
		t.Errorf("embed may not be framed: CSP %q, X-Frame-Options %q", csp, rec.Header().Get("X-Frame-Options"))
	}
	d := doc(t, rec)
	if got := d.Find("h1.embed-title").Text(); got != "Drones <b>hit</b>" {
		t.Errorf("title %q (it must be text, escaped)", got)
	}
	if d.Find("h1.embed-title b").Length() != 0 {
		t.Error("title became markup")
	}
	if !strings.Contains(d.Find(".embed-stale").Text(), "Data updated since this map was published") {
		t.Error("no stale-data notice for another dataset version")
	}
	if d.Find("#panel").Length() != 0 || d.Find(".embed-legend").Length() != 1 {
		t.Error("embed shows the panel, or no legend")
	}
	var cfg struct {
		Embed, Controls bool
		Version         string
	}
	if err := jsonUnmarshal(d.Find("script#map-config").Text(), &cfg); err != nil || !cfg.Embed || cfg.Controls {
		t.Errorf("config %+v %v", cfg, err)
	}
	// The current version: no notice.
	rec = get(t, s, "/embed?v="+cfg.Version)
	if doc(t, rec).Find(".embed-stale").Length() != 0 {
		t.Error("stale notice for the current version")
	}
	// Other pages only by strikemap itself.
	for _, target := range []string{"/", "/bases/harir", "/api/incidents.geojson"} {
		h := get(t, s, target).Header()
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'self'") || h.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("%s: CSP %q, X-Frame-Options %q", target, h.Get("Content-Security-Policy"), h.Get("X-Frame-Options"))
		}
	}
	// The operator can narrow who embeds.
	narrow := mustNew(t, s.store, Options{EmbedAncestors: "https://news.example"})
	if csp := get(t, narrow, "/embed").Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://news.example") {
		t.Errorf("configured ancestors: %q", csp)
	}
	for _, bad := range []string{"", "a;script-src *", "x,y"} {
		if CheckFrameAncestors(bad) == nil {
			t.Errorf("frame-ancestors %q accepted", bad)
		}
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// TestBasePagePaging walks a base's report page by page: 200 rows a page,
// the remainder on the last, every incident once and in the API's order,
// while the summary, the chart and the map cover all of them.
func TestBasePagePaging(t *testing.T) {
	t.Parallel()
	// Enough incidents that the busiest base fills three pages however many
	// bases the shipped data spreads them over.
	s := syntheticServer(t, 1400*len(shippedData(t).Bases))
	d := s.store.Dataset()
	var base string
	var total int
	for _, b := range d.Bases {
		if n := d.Count(geo.Filter{Bases: []string{b.ID}}); n > total {
			base, total = b.ID, n
		}
	}
	pages := (total + 199) / 200
	if pages < 3 || total%200 == 0 {
		t.Fatalf("base %s has %d incidents; the test needs at least three pages and a partial last one", base, total)
	}
	want := apiIDsFrom(t, s, "base="+base)
	if len(want) != total {
		t.Fatalf("the API lists %d incidents of %s, Count says %d", len(want), base, total)
	}

	var first *goquery.Document
	var got []string
	seen := map[string]bool{}
	target, prev := "/bases/"+base, ""
	for page := 1; target != ""; page++ {
		if page > pages {
			t.Fatalf("paging goes past page %d", pages)
		}
		rec := get(t, s, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		d := doc(t, rec)
		rows := d.Find("table.incident-table tbody tr")
		wantRows := 200
		if page == pages {
			wantRows = total - 200*(pages-1)
		}
		if rows.Length() != wantRows {
			t.Errorf("%s: %d rows, want %d", target, rows.Length(), wantRows)
		}
		rows.Each(func(_ int, r *goquery.Selection) {
			id := r.AttrOr("data-id", "")
			if seen[id] {
				t.Errorf("%s: incident %s again", target, id)
			}
			seen[id] = true
			got = append(got, id)
		})
		lo, hi := 200*(page-1)+1, 200*(page-1)+wantRows
		wantRange := fmt.Sprintf("Incidents %s–%s of %s, oldest first.", groupedInt(lo), groupedInt(hi), groupedInt(total))
		if text := strings.Join(strings.Fields(d.Find(".list-range").Text()), " "); !strings.HasPrefix(text, wantRange) {
			t.Errorf("%s: range %q, want it to start %q", target, text, wantRange)
		}
		if pageOf := d.Find(".report-paging .page-of").Text(); pageOf != fmt.Sprintf("Page %d of %d", page, pages) {
			t.Errorf("%s: %q", target, pageOf)
		}
		if href := d.Find(`.report-paging a[rel=prev]`).AttrOr("href", ""); href != prev {
			t.Errorf("%s: previous link %q, want %q", target, href, prev)
		}
		for _, want := range []string{"/api/incidents.csv?download=1&base=" + base, "/api/incidents.geojson?download=1&base=" + base} {
			if d.Find(`.list-range a[href="`+want+`"]`).Length() != 1 {
				t.Errorf("%s: no link to all the incidents at %s", target, want)
			}
		}
		// The summary, the chart and the map are the whole base's on every page.
		if first == nil {
			first = d
		} else {
			for _, sel := range []string{"table.counts", ".facts", "svg.timeline-chart", ".report-map"} {
				a, _ := first.Find(sel).Html()
				b, _ := d.Find(sel).Html()
				if a != b {
					t.Errorf("%s: %s differs from the first page's", target, sel)
				}
			}
		}
		prev, target = target, d.Find(`.report-paging a[rel=next]`).AttrOr("href", "")
		if page == pages && target != "" {
			t.Errorf("the last page links a next page %q", target)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the pages list %d incidents, not the API's %d in its order", len(got), len(want))
	}
	if got := get(t, s, fmt.Sprintf("/bases/%s?page=%d", base, pages)); got.Code != http.StatusOK || doc(t, got).Find("table.incident-table tbody tr").Length() != total-200*(pages-1) {
		t.Errorf("page=%d: %d", pages, got.Code)
	}
	attacks := 0
	first.Find("table.counts").First().Find("tbody td").Each(func(_ int, td *goquery.Selection) {
		n, _ := strconv.Atoi(td.Text())
		attacks += n
	})
	if attacks != total {
		t.Errorf("the counts by weapon add up to %d, want all %d incidents", attacks, total)
	}
	if title := first.Find("head title").Text(); strings.Contains(title, "page") {
		t.Errorf("page 1 title %q", title)
	}
	if rec := get(t, s, "/bases/"+base+"?page=2"); !strings.Contains(doc(t, rec).Find("head title").Text(), fmt.Sprintf("page 2 of %d", pages)) {
		t.Error("page 2's title does not say the page")
	}

	for _, tc := range []struct {
		query  string
		status int
	}{
		{"page=0", http.StatusBadRequest},
		{"page=-1", http.StatusBadRequest},
		{"page=abc", http.StatusBadRequest},
		{"page=", http.StatusBadRequest},
		{"page=1.5", http.StatusBadRequest},
		{"page=+2", http.StatusBadRequest},
		{"page=%202", http.StatusBadRequest},
		{"page=99999999999999999999999", http.StatusBadRequest},
		{"page=1&page=2", http.StatusBadRequest},
		{"pages=2", http.StatusBadRequest},
		{fmt.Sprintf("page=%d", pages+1), http.StatusNotFound},
		{"page=1000000", http.StatusNotFound},
	} {
		target := "/bases/" + base + "?" + tc.query
		rec := get(t, s, target)
		if rec.Code != tc.status {
			t.Errorf("%s: %d, want %d", target, rec.Code, tc.status)
			continue
		}
		d := doc(t, rec)
		if !strings.Contains(d.Find("main h1").Text(), strconv.Itoa(tc.status)) || d.Find(".site-header .brand").Length() != 1 {
			t.Errorf("%s: not an error page in the site's layout", target)
		}
		if msg := d.Find("main p").First().Text(); !strings.Contains(msg, "page") {
			t.Errorf("%s: message %q does not say what was wrong with the page", target, msg)
		}
	}
}

// TestBasePageOnePage checks the list of a base with one page of
// incidents, and of one with none.
func TestBasePageOnePage(t *testing.T) {
	s := shippedServer(t)
	d := doc(t, get(t, s, "/bases/ain-al-asad"))
	n := len(apiIDsFrom(t, s, "base=ain-al-asad"))
	if text := d.Find(".list-range").Text(); !strings.HasPrefix(strings.TrimSpace(text), fmt.Sprintf("All %d incidents, oldest first.", n)) {
		t.Errorf("range %q", text)
	}
	if d.Find(".report-paging").Length() != 0 {
		t.Error("paging links on a single page")
	}
	if rec := get(t, s, "/bases/ain-al-asad?page=1"); rec.Code != http.StatusOK {
		t.Errorf("page=1: %d", rec.Code)
	}
	if rec := get(t, s, "/bases/ain-al-asad?page=2"); rec.Code != http.StatusNotFound {
		t.Errorf("page=2 of 1: %d", rec.Code)
	}
	// One incident.
	d = doc(t, get(t, fixtureServer(t), "/bases/bravo"))
	if text := strings.Join(strings.Fields(d.Find(".list-range").Text()), " "); text != "1 incident. Download it as CSV or GeoJSON." {
		t.Errorf("bravo: %q", text)
	}
	// A base without incidents has one, empty, page.
	basesJSON, err := os.ReadFile("../geo/testdata/valid/bases.geojson")
	if err != nil {
		t.Fatal(err)
	}
	none, err := geo.Parse(basesJSON, []byte(`{"type":"FeatureCollection","features":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	s = mustNew(t, geo.NewStore(none, time.Now()), Options{})
	rec := get(t, s, "/bases/alpha")
	d = doc(t, rec)
	if rec.Code != http.StatusOK || d.Find("table.incident-table").Length() != 0 || strings.TrimSpace(d.Find(".list-range").Text()) != "No incidents." {
		t.Errorf("a base without incidents: %d %q", rec.Code, d.Find(".list-range").Text())
	}
	if rec := get(t, s, "/bases/alpha?page=2"); rec.Code != http.StatusNotFound {
		t.Errorf("page=2 of a base without incidents: %d", rec.Code)
	}
}

// groupedInt writes n as the report pages do: 12,345.
func groupedInt(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestReportMapNamesPlaces: a base's report map, wide and phone-shaped,
// tells a reader where the base is: the country it is in is named, and
// towns round it. Before, Ain al-Asad's map at zoom 9 named one town (Hīt)
// and no country: none of Iraq's label points was in the image.
func TestReportMapNamesPlaces(t *testing.T) {
	s := shippedServer(t)
	doc, err := goquery.NewDocumentFromReader(get(t, s, "/bases/ain-al-asad").Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	wide, _ := doc.Find(".report-map img").Attr("src")
	narrow, _ := doc.Find(".report-map source").Attr("srcset")
	for _, tc := range []struct {
		what, src  string
		leastTowns int
	}{{"wide", wide, 3}, {"narrow", narrow, 1}} {
		if !strings.HasPrefix(tc.src, "/api/export/map.svg?") {
			t.Errorf("the %s map is %q", tc.what, tc.src)
			continue
		}
		svg, err := goquery.NewDocumentFromReader(get(t, s, tc.src).Result().Body)
		if err != nil {
			t.Fatal(err)
		}
		countries := svg.Find("g.country-name text").Map(func(_ int, e *goquery.Selection) string { return e.Text() })
		towns := svg.Find("g.town-name text").Map(func(_ int, e *goquery.Selection) string { return e.Text() })
		if !slices.Contains(countries, "IRAQ") || len(towns) < tc.leastTowns {
			t.Errorf("the %s map names the countries %q and the towns %q; want Iraq and %d towns or more", tc.what, countries, towns, tc.leastTowns)
		}
	}
}
