package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"strikemap/internal/geo"
)

// pageOf is a page of /api/incidents.geojson.
type pageOf struct {
	NumberReturned int    `json:"numberReturned"`
	Next           string `json:"next"`
	Prev           string `json:"prev"`
	Features       []struct {
		ID         string `json:"id"`
		Properties struct {
			Date     string `json:"date"`
			BaseName string `json:"base_name"`
		} `json:"properties"`
	} `json:"features"`
}

func getPage(t *testing.T, s http.Handler, target string) pageOf {
	t.Helper()
	rec := get(t, s, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
	}
	var p pageOf
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	return p
}

func (p pageOf) ids() []string {
	out := make([]string, len(p.Features))
	for i, f := range p.Features {
		out[i] = f.ID
	}
	return out
}

// pagesOf follows next links from target and returns every id, in order.
func pagesOf(t *testing.T, s http.Handler, target string) []string {
	t.Helper()
	var all []string
	for pages := 0; target != ""; pages++ {
		if pages > 100 {
			t.Fatal("paging does not end")
		}
		p := getPage(t, s, target)
		all = append(all, p.ids()...)
		target = p.Next
	}
	return all
}

// Bug 7 of issue 12: sorting the list by date reversed only the first 500
// rows. The server orders the whole filtered set, and pages cut that order.
func TestIncidentSortPagesTheWholeSet(t *testing.T) {
	s := syntheticServer(t, 3000)
	d := s.store.Dataset()
	all := getPage(t, s, "/api/incidents.geojson").ids()
	if len(all) != len(d.Incidents) {
		t.Fatalf("%d incidents, want %d", len(all), len(d.Incidents))
	}
	newest := d.Incidents[len(d.Incidents)-1].ID

	first := getPage(t, s, "/api/incidents.geojson?sort=-date&limit=500")
	if first.Features[0].ID != newest {
		t.Errorf("the first row of sort=-date is %s (%s), want the newest, %s", first.Features[0].ID, first.Features[0].Properties.Date, newest)
	}
	if !strings.Contains(first.Next, "sort=-date") {
		t.Errorf("next %q loses the order", first.Next)
	}
	reversed := slices.Clone(all)
	slices.Reverse(reversed)
	if got := pagesOf(t, s, "/api/incidents.geojson?sort=-date&limit=500"); !slices.Equal(got, reversed) {
		t.Errorf("pages of sort=-date give %d ids, not the %d of the whole set reversed", len(got), len(reversed))
	}
	if got := pagesOf(t, s, "/api/incidents.geojson?sort=date&limit=700"); !slices.Equal(got, all) {
		t.Error("pages of sort=date are not the unsorted order")
	}

	// With a filter, the order is the filtered set's.
	q := "weapon=drone&base=harir," + url.QueryEscape("-")
	filtered := getPage(t, s, "/api/incidents.geojson?"+q).ids()
	slices.Reverse(filtered)
	if got := pagesOf(t, s, "/api/incidents.geojson?"+q+"&sort=-date&limit=250"); !slices.Equal(got, filtered) {
		t.Errorf("filtered: pages of sort=-date give %d ids, want the %d filtered reversed", len(got), len(filtered))
	}

	// By base: grouped by base name, no known base last; -base reverses it.
	byBase := pagesOf(t, s, "/api/incidents.geojson?sort=base&limit=1000")
	if len(byBase) != len(all) {
		t.Fatalf("sort=base gives %d ids, want %d", len(byBase), len(all))
	}
	var names []string
	for off := 0; off < len(all); off += 1000 {
		p := getPage(t, s, "/api/incidents.geojson?sort=base&limit=1000&offset="+itoa(off))
		for _, f := range p.Features {
			names = append(names, f.Properties.BaseName)
		}
	}
	if !slices.IsSortedFunc(names, func(a, b string) int {
		if (a == "") != (b == "") { // no base last
			if a == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	}) {
		t.Error("sort=base is not by base name with no known base last")
	}
	back := pagesOf(t, s, "/api/incidents.geojson?sort=-base&limit=1000")
	slices.Reverse(back)
	if !slices.Equal(back, byBase) {
		t.Error("sort=-base is not sort=base reversed")
	}

	// The CSV and the OGC API keep the date order and take no sort.
	rec := get(t, s, "/api/incidents.csv")
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	csvIDs := make([]string, 0, len(rows))
	for _, r := range rows[1:] {
		csvIDs = append(csvIDs, r[0])
	}
	if !slices.Equal(csvIDs, all) {
		t.Error("the CSV is no longer in date order")
	}
	for _, target := range []string{"/api/incidents.csv?sort=-date", "/ogc/collections/incidents/items?sort=-date"} {
		if rec := get(t, s, target); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400 (no sort there)", target, rec.Code)
		}
	}
	ogc := getPage(t, s, "/ogc/collections/incidents/items?limit=50")
	if !slices.Equal(ogc.ids(), all[:50]) {
		t.Error("the OGC items are no longer in date order")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestIncidentSortBadValues(t *testing.T) {
	s := fixtureServer(t)
	for _, bad := range []string{"sort=newest", "sort=", "sort=DATE", "sort=-weapon", "sort=date&sort=-date"} {
		rec := get(t, s, "/api/incidents.geojson?"+bad)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("%s: status %d, want 400", bad, rec.Code)
		}
		var body apiError
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: body is not JSON: %s", bad, rec.Body)
		}
		if body.Param != "sort" {
			t.Errorf("%s: param %q, want sort", bad, body.Param)
		}
		if !strings.Contains(body.Error, "date, -date, base, -base") && !strings.Contains(body.Error, "given 2 times") {
			t.Errorf("%s: error %q does not say what is allowed", bad, body.Error)
		}
	}
}

// Bug 4 of issue 12: unticking one target dropped every incident with no
// base. "-" in base stands for them, on every endpoint that filters.
func TestNoBaseOnEveryEndpoint(t *testing.T) {
	s := syntheticServer(t, 3000)
	d := s.store.Dataset()
	harir := d.Count(geo.Filter{Bases: []string{"harir"}})
	none := d.Count(geo.Filter{Bases: []string{geo.NoBase}})
	if harir == 0 || none == 0 {
		t.Fatalf("the synthetic set needs incidents on harir (%d) and with no base (%d)", harir, none)
	}
	var others []string
	for _, b := range d.Bases {
		if b.ID != "harir" {
			others = append(others, b.ID)
		}
	}
	allButHarir := "base=" + strings.Join(others, ",") + ",-"
	want := len(d.Incidents) - harir

	counts := map[string]func(q string) int{
		"incidents": func(q string) int { return len(getPage(t, s, "/api/incidents.geojson?"+q).Features) },
		"clusters": func(q string) int {
			var fc clusterFC
			mustJSON(t, get(t, s, "/api/clusters.geojson?zoom=5&"+q), &fc)
			return fc.NumberMatched
		},
		"timeline": func(q string) int {
			var tl struct{ Total int }
			mustJSON(t, get(t, s, "/api/timeline.json?"+q), &tl)
			return tl.Total
		},
		"csv": func(q string) int {
			rec := get(t, s, "/api/incidents.csv?"+q)
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatalf("csv %s: %v (%d)", q, err, rec.Code)
			}
			return len(rows) - 1
		},
		"ogc": func(q string) int {
			var fc struct{ NumberMatched int }
			mustJSON(t, get(t, s, "/ogc/collections/incidents/items?limit=1&"+q), &fc)
			return fc.NumberMatched
		},
	}
	for name, count := range counts {
		if got := count(allButHarir); got != want {
			t.Errorf("%s with every base but harir, and -: %d incidents, want %d", name, got, want)
		}
		if got := count("base=-"); got != none {
			t.Errorf("%s with base=-: %d incidents, want %d", name, got, none)
		}
	}
	// Links join incidents to their base: none for incidents with no base.
	var links struct{ Features []json.RawMessage }
	mustJSON(t, get(t, s, "/api/links.geojson?base=-"), &links)
	if len(links.Features) != 0 {
		t.Errorf("base=-: %d links, want none", len(links.Features))
	}
	mustJSON(t, get(t, s, "/api/links.geojson?base=harir,-"), &links)
	if got, want := len(links.Features), len(d.Links(geo.Filter{Bases: []string{"harir"}})); got != want {
		t.Errorf("base=harir,-: %d links, want harir's %d", got, want)
	}
	// The image says what it shows.
	rec := get(t, s, "/api/export/map.svg?base=harir,-")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "no known base") {
		t.Errorf("map.svg?base=harir,-: status %d, caption does not say no known base", rec.Code)
	}
	rec = get(t, s, "/api/incidents.geojson?base=harir,-&download=1")
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "harir-nobase") {
		t.Errorf("download name %q does not say nobase", cd)
	}
	rec = get(t, s, "/api/incidents.geojson?base=nobase")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "- for incidents with no known base") {
		t.Errorf("base=nobase: status %d, %s; want 400 naming -", rec.Code, rec.Body)
	}
}

func mustJSON(t *testing.T, rec interface{ Result() *http.Response }, v any) {
	t.Helper()
	resp := rec.Result()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestListCountInViewAfterClusters asks, as the map page does, for a
// filter's clusters and then its list's page with count=1 in the view: the
// count (taken from the clusters' index and the incidents outside the
// view, when that reads less) is the brute count of the filter in the view.
func TestListCountInViewAfterClusters(t *testing.T) {
	s := syntheticServer(t, 8000)
	s.warming.Wait()
	d := s.store.Dataset()
	for _, filter := range []string{"weapon=drone", "weapon=drone,rocket&from=2019-01-01&to=2023-06-30", "base=ain-al-asad,-", "status=confirmed"} {
		for _, bbox := range []string{"36.40869,32.32428,46.60400,37.88352", "30,25,55,42", "42.25,33,43.5,34.75", "44.1,33.2,44.6,33.5"} {
			if rec := get(t, s, "/api/clusters.geojson?zoom=7&bbox="+bbox+"&"+filter); rec.Code != http.StatusOK {
				t.Fatalf("clusters %s: %d %s", filter, rec.Code, rec.Body)
			}
			rec := get(t, s, "/api/incidents.geojson?"+filter+"&bbox="+bbox+"&sort=date&limit=500&count=1")
			if rec.Code != http.StatusOK {
				t.Fatalf("list %s in %s: %d %s", filter, bbox, rec.Code, rec.Body)
			}
			var p struct {
				NumberMatched int `json:"numberMatched"`
			}
			mustJSON(t, rec, &p)
			f := parseFilterForTest(t, filter+"&bbox="+bbox, d)
			want := 0
			for i := range d.Incidents {
				if f.Match(d.Incidents[i]) {
					want++
				}
			}
			if p.NumberMatched != want {
				t.Errorf("%s in %s: numberMatched %d, want %d", filter, bbox, p.NumberMatched, want)
			}
			// The count could come from the clusters' subset: the cache
			// finds it by what the list's filter means (the same answer
			// from a full count would hide a lookup that always misses).
			if _, ok := s.clusterCache.matched(d, f); !ok {
				t.Errorf("%s in %s: the list's count did not find the clusters' subset", filter, bbox)
			}
		}
	}
}
