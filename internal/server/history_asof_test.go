package server

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"strikemap/data"
	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/store"
	"strikemap/internal/testenv"
)

// recordServer serves a SQLite record holding testenv.HistorySteps as
// versions 1 to 3, the newest served.
type recordFixture struct {
	s                  *Server
	rec                *store.Store
	gs                 *geo.Store
	versions           []store.Version
	changed, retracted string
}

func newVersionedServer(t *testing.T) recordFixture {
	t.Helper()
	ctx := context.Background()
	rec, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	steps, changed, retracted := testenv.HistorySteps(t)
	for _, fsys := range steps {
		if _, err := rec.Import(ctx, fsys, store.ImportAuthor, "history step"); err != nil {
			t.Fatal(err)
		}
	}
	vs, err := rec.Versions(ctx)
	if err != nil || len(vs) != 3 {
		t.Fatalf("versions %v, %v", vs, err)
	}
	d, err := follow.Load(ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	gs := geo.NewStore(d, time.Now())
	s := mustNew(t, gs, Options{Record: rec, Basemap: data.Basemap})
	t.Cleanup(s.Close)
	return recordFixture{s: s, rec: rec, gs: gs, versions: vs, changed: changed, retracted: retracted}
}

// decodeJSON decodes a response body into v.
func decodeJSON(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("%s: %v", rec.Body.String(), err)
	}
}

func TestVersionsJSON(t *testing.T) {
	f := newVersionedServer(t)
	rec := get(t, f.s, "/api/versions.json")
	var out struct {
		Source   string
		History  bool
		Total    int
		Next     string
		Versions []struct {
			Number           *int64
			AsOf             string `json:"as_of"`
			Digest, Author   string
			CreatedAt        string `json:"created_at"`
			Current          bool
			Incidents, Bases int
			Files            map[string]store.FileChanges
		}
	}
	decodeJSON(t, rec, &out)
	if rec.Code != http.StatusOK || out.Source != "database" || !out.History || out.Total != 3 || len(out.Versions) != 3 || out.Next != "" {
		t.Fatalf("versions.json: %d %+v", rec.Code, out)
	}
	d, _ := geo.Load(data.FS)
	for i, v := range out.Versions {
		want := f.versions[2-i] // newest first
		if v.Number == nil || *v.Number != want.Number || v.AsOf != strconv.FormatInt(want.Number, 10) || v.Digest != want.Digest || v.Author != "import" || v.CreatedAt != want.CreatedAt || v.Current != (i == 0) {
			t.Errorf("entry %d: %+v, want version %+v", i, v, want)
		}
	}
	if got := []int{out.Versions[0].Incidents, out.Versions[1].Incidents, out.Versions[2].Incidents}; !slices.Equal(got, []int{len(d.Incidents) + 1, len(d.Incidents) - 1, len(d.Incidents)}) || out.Versions[0].Bases != len(d.Bases) {
		t.Errorf("incident counts newest first %v, bases %d", got, out.Versions[0].Bases)
	}
	if fc := out.Versions[1].Files[geo.IncidentsFile]; fc.Updated != 1 || fc.Retracted != 1 {
		t.Errorf("version 2 changed %+v, want 1 updated and 1 retracted", fc)
	}
	rec = get(t, f.s, "/api/versions.json?per_page=2&page=2")
	decodeJSON(t, rec, &out)
	if len(out.Versions) != 1 || *out.Versions[0].Number != 1 || out.Next != "" {
		t.Errorf("second page of 2: %+v", out)
	}
	rec = get(t, f.s, "/api/versions.json?per_page=2")
	decodeJSON(t, rec, &out)
	if out.Next != "/api/versions.json?page=2&per_page=2" {
		t.Errorf("next %q", out.Next)
	}
	for _, bad := range []string{"?per_page=0", "?page=x", "?per_page=5000", "?sort=old"} {
		rec := get(t, f.s, "/api/versions.json"+bad)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("%s: %d %s", bad, rec.Code, rec.Body.String())
		}
	}

	// Files are one version, said so, not an error.
	files := shippedServer(t)
	rec = get(t, files, "/api/versions.json")
	decodeJSON(t, rec, &out)
	if rec.Code != http.StatusOK || out.Source != "files" || out.History || len(out.Versions) != 1 || out.Versions[0].Number != nil || out.Versions[0].AsOf != d.Version || !out.Versions[0].Current {
		t.Errorf("files: %d %s", rec.Code, rec.Body.String())
	}
}

// Every data endpoint answers at the version as_of names: the dataset of
// that version (its digest), cacheable for ever.
func TestAsOfEveryEndpoint(t *testing.T) {
	f := newVersionedServer(t)
	endpoints := []string{
		"/api/incidents.geojson", "/api/incidents.csv", "/api/clusters.geojson?zoom=4", "/api/density.geojson?zoom=4",
		"/api/timeline.json", "/api/bases.geojson", "/api/strikes.geojson", "/api/strikes.csv", "/api/links.geojson",
		"/api/official-counts.json", "/api/export/map.svg", "/ogc/collections/incidents/items?f=json",
	}
	for _, n := range []int{1, 2, 3} {
		v := f.versions[n-1]
		for _, e := range endpoints {
			sep := "?"
			if strings.Contains(e, "?") {
				sep = "&"
			}
			url := e + sep + "as_of=" + strconv.Itoa(n)
			rec := get(t, f.s, url)
			if rec.Code != http.StatusOK {
				t.Errorf("%s: %d %s", url, rec.Code, rec.Body.String())
				continue
			}
			if got := rec.Header().Get("X-Dataset-Version"); got != "" && got != v.Digest {
				t.Errorf("%s: X-Dataset-Version %s, want version %d's %s", url, got, n, v.Digest)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != immutable {
				t.Errorf("%s: Cache-Control %q, want %q", url, cc, immutable)
			}
		}
	}
	// What changed between versions shows: the retracted incident is in
	// version 1, gone in 2, back in 3; the changed one's outcome differs.
	has := func(n, id string) bool {
		fc := decodeCollection(t, get(t, f.s, "/api/incidents.geojson?as_of="+n).Body.Bytes())
		return slices.Contains(featureIDs(fc), id)
	}
	if !has("1", f.retracted) || has("2", f.retracted) || !has("3", f.retracted) || has("2", "history-test-new") || !has("3", "history-test-new") {
		t.Errorf("the retracted incident at versions 1, 2, 3: %v %v %v", has("1", f.retracted), has("2", f.retracted), has("3", f.retracted))
	}
	if body := get(t, f.s, "/ogc/collections/incidents/items/"+f.changed+"?f=json&as_of=1").Body.String(); strings.Contains(body, "Changed by the history test") {
		t.Error("the OGC item at version 1 has version 2's outcome")
	}
	if body := get(t, f.s, "/ogc/collections/incidents/items/"+f.changed+"?f=json&as_of=2").Body.String(); !strings.Contains(body, "Changed by the history test") {
		t.Error("the OGC item at version 2 lacks its outcome")
	}
	// No as_of: the current data, cached briefly as before.
	if rec := get(t, f.s, "/api/incidents.geojson"); rec.Header().Get("X-Dataset-Version") != f.versions[2].Digest || rec.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("current: %s, %q", rec.Header().Get("X-Dataset-Version"), rec.Header().Get("Cache-Control"))
	}
	// The pages: their config names the version and pins the script to it.
	for _, page := range []string{"/", "/embed"} {
		rec := get(t, f.s, page+"?as_of=1")
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		var cfg struct {
			Version, AsOf string
			Record        int64
			Total         int
		}
		if err := json.Unmarshal([]byte(doc.Find("script#map-config").Text()), &cfg); err != nil {
			t.Fatal(err)
		}
		if rec.Code != http.StatusOK || cfg.Version != f.versions[0].Digest || cfg.AsOf != "1" || cfg.Record != 1 {
			t.Errorf("%s?as_of=1: %d, config %+v", page, rec.Code, cfg)
		}
		if cc, vary := rec.Header().Get("Cache-Control"), rec.Header().Values("Vary"); cc != "public, max-age=86400" || !slices.Contains(vary, "Accept-Language") {
			t.Errorf("%s?as_of=1: Cache-Control %q, Vary %v; want a day, per language", page, cc, vary)
		}
	}
}

func TestAsOfRefused(t *testing.T) {
	f := newVersionedServer(t)
	for _, v := range []string{"4", "0", "-1", "abc", "1.5", f.versions[0].Digest} {
		rec := get(t, f.s, "/api/incidents.geojson?as_of="+v)
		var body struct{ Error, Param string }
		decodeJSON(t, rec, &body)
		if rec.Code != http.StatusBadRequest || body.Param != "as_of" || !strings.Contains(body.Error, "the record holds versions 1 to 3") {
			t.Errorf("as_of=%s: %d %+v", v, rec.Code, body)
		}
	}
	if rec := get(t, f.s, "/api/incidents.geojson?as_of=1&as_of=2"); rec.Code != http.StatusBadRequest {
		t.Errorf("as_of twice: %d", rec.Code)
	}
	files := shippedServer(t)
	current := files.store.Dataset().Version
	rec := get(t, files, "/api/incidents.geojson?as_of=2")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "-db") || !strings.Contains(rec.Body.String(), current) {
		t.Errorf("files, as_of=2: %d %s", rec.Code, rec.Body.String())
	}
	if rec := get(t, files, "/api/incidents.geojson?as_of="+current); rec.Code != http.StatusOK {
		t.Errorf("files, as_of=the current version: %d %s", rec.Code, rec.Body.String())
	}
}

func TestHistoryJSONAndPage(t *testing.T) {
	f := newVersionedServer(t)
	type revision struct {
		Revision       int64
		Author, State  string
		Reason, Change string
		Version        *int64
		Before, After  json.RawMessage
		Fields         []struct {
			Field         string
			Before, After *string
		}
	}
	var h struct {
		ID        string
		Revisions []revision
	}
	rec := get(t, f.s, "/api/incidents/"+f.changed+"/history.json")
	decodeJSON(t, rec, &h)
	if rec.Code != http.StatusOK || h.ID != f.changed || len(h.Revisions) != 2 {
		t.Fatalf("history of %s: %d %s", f.changed, rec.Code, rec.Body.String())
	}
	added, changed := h.Revisions[0], h.Revisions[1]
	if added.Change != "added" || string(added.Before) != "null" || *added.Version != 1 || changed.Change != "changed" || *changed.Version != 2 || changed.Author != "import" || changed.Reason != "history step" || changed.State != "approved" {
		t.Errorf("revisions %+v", h.Revisions)
	}
	if len(changed.Fields) != 1 || changed.Fields[0].Field != "outcome" || changed.Fields[0].After == nil || *changed.Fields[0].After != "Changed by the history test" || changed.Fields[0].Before == nil {
		t.Errorf("fields of the change: %+v, want outcome alone", changed.Fields)
	}
	rec = get(t, f.s, "/api/incidents/"+f.retracted+"/history.json")
	decodeJSON(t, rec, &h)
	if len(h.Revisions) != 3 || h.Revisions[1].Change != "retracted" || string(h.Revisions[1].After) != "null" || h.Revisions[2].Change != "added" {
		t.Errorf("history of the retracted: %s", rec.Body.String())
	}
	if rec := get(t, f.s, "/api/bases/al-tanf/history.json"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"change":"added"`) {
		t.Errorf("a base's history: %d %s", rec.Code, rec.Body.String())
	}
	for _, u := range []string{"/api/incidents/no-such/history.json", "/incidents/no-such/history"} {
		if rec := get(t, f.s, u); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", u, rec.Code)
		}
	}
	if rec := get(t, shippedServer(t), "/api/incidents/"+f.changed+"/history.json"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "-db") {
		t.Errorf("files: %d %s", rec.Code, rec.Body.String())
	}

	// The page: newest first, each field's before and after, the
	// tombstone said, and linked from the incident's page.
	rec = get(t, f.s, "/incidents/"+f.retracted+"/history")
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil || rec.Code != http.StatusOK {
		t.Fatalf("history page: %d %v", rec.Code, err)
	}
	items := doc.Find(".history-list > li")
	if items.Length() != 3 || !items.Eq(1).HasClass("change-retracted") || items.Eq(1).Find(".tombstone").Length() != 1 {
		t.Errorf("history page: %d entries; the middle one retracted with a tombstone line", items.Length())
	}
	rec = get(t, f.s, "/incidents/"+f.changed+"/history")
	doc, _ = goquery.NewDocumentFromReader(rec.Body)
	row := doc.Find(".history-list > li").First().Find("table.diff tbody tr")
	if row.Length() != 1 || row.Find("th").Text() != "outcome" || row.Find("ins").Text() != "Changed by the history test" || row.Find("del").Text() == "" {
		t.Errorf("the change's diff: %d rows, %q", row.Length(), row.Text())
	}
	doc, _ = goquery.NewDocumentFromReader(get(t, f.s, "/incidents/"+f.changed).Body)
	if href, _ := doc.Find(".history-link a").Attr("href"); href != "/incidents/"+f.changed+"/history" {
		t.Errorf("the incident page links to %q", href)
	}
	doc, _ = goquery.NewDocumentFromReader(get(t, shippedServer(t), "/incidents/"+f.changed).Body)
	if doc.Find(".history-link").Length() != 0 {
		t.Error("with files, the incident page links to a history that is not kept")
	}
}

// An embed pinned to an old version says when it was published and links
// to the current data; pinned to the newest, it says nothing.
func TestEmbedPinned(t *testing.T) {
	f := newVersionedServer(t)
	doc, _ := goquery.NewDocumentFromReader(get(t, f.s, "/embed?as_of=1&map=6/34/41&legend=0").Body)
	note := doc.Find(".embed-asof")
	want := "Data as published on " + f.versions[0].CreatedAt[:10] + " (version 1) — see the current data"
	if got := strings.Join(strings.Fields(note.Text()), " "); got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	if href, _ := note.Find("a").Attr("href"); href != "/?map=6/34/41" {
		t.Errorf("the current data's link %q", href)
	}
	doc, _ = goquery.NewDocumentFromReader(get(t, f.s, "/embed?as_of=3").Body)
	if doc.Find(".embed-asof, .embed-stale").Length() != 0 {
		t.Error("an embed pinned to the newest version says it is old")
	}

	// The map page at that version says the same, with the same link (its
	// script then keeps the link to the view); at the newest it says nothing.
	doc, _ = goquery.NewDocumentFromReader(get(t, f.s, "/?as_of=1&map=6/34/41").Body)
	page := doc.Find(".asof-note")
	if got := strings.Join(strings.Fields(page.Text()), " "); got != want {
		t.Errorf("the map page's notice %q, want %q", got, want)
	}
	if href, _ := page.Find("a#asof-current").Attr("href"); href != "/?map=6/34/41" {
		t.Errorf("the map page's link to the current data %q", href)
	}
	for _, target := range []string{"/?as_of=3", "/"} {
		doc, _ = goquery.NewDocumentFromReader(get(t, f.s, target).Body)
		if doc.Find(".asof-note").Length() != 0 {
			t.Errorf("%s says it shows an old version", target)
		}
	}
}

// /api/events sends the version served at once and every new one, then
// ends when the server closes; streams beyond the cap get 503.
func TestEventStream(t *testing.T) {
	f := newVersionedServer(t)
	ts := httptest.NewServer(f.s)
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/event-stream" || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("events: %d %s %s", resp.StatusCode, ct, resp.Header.Get("Content-Encoding"))
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func() (string, bool) {
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					return "", false
				}
				if strings.HasPrefix(l, "data: ") {
					return strings.TrimPrefix(l, "data: "), true
				}
			case <-time.After(30 * time.Second):
				t.Fatal("no event in 30 s")
			}
		}
	}
	if data, _ := next(); data != `{"number":3,"digest":"`+f.versions[2].Digest+`"}` {
		t.Errorf("first event %s", data)
	}
	// A new dataset served (as a reload or the follower does) is sent.
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	f.gs.Replace(d, time.Now())
	if data, _ := next(); data != `{"number":null,"digest":"`+d.Version+`"}` {
		t.Errorf("next event %s", data)
	}
	// The cap.
	f.s.events.max = 1
	if r := get(t, f.s, "/api/events"); r.Code != http.StatusServiceUnavailable || r.Header().Get("Retry-After") == "" || !strings.Contains(r.Body.String(), `"error"`) {
		t.Errorf("a stream past the cap: %d %s", r.Code, r.Body.String())
	}
	// Closing the server ends the stream.
	f.s.Close()
	for {
		if _, ok := next(); !ok {
			break
		}
	}
	if n := f.s.events.open(); n != 0 {
		t.Errorf("%d streams open after Close", n)
	}
}

// recordTargets are the routes that answer 200 only over a record (or,
// for the event stream, never end): TestSecurityHeadersOnEveryRoute leaves
// them to TestRecordRoutesSecurityHeaders. %s is an incident's id.
var recordTargets = map[string]string{
	"/api/incidents/:id/history.json": "/api/incidents/%s/history.json",
	"/api/bases/:id/history.json":     "/api/bases/al-tanf/history.json",
	"/incidents/:id/history":          "/incidents/%s/history",
	"/bases/:id/history":              "/bases/al-tanf/history",
	"/api/events":                     "/api/events",
}

func TestRecordRoutesSecurityHeaders(t *testing.T) {
	f := newVersionedServer(t)
	for _, pattern := range recordTargets {
		target := strings.ReplaceAll(pattern, "%s", f.changed)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		req := httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx)
		rec := httptest.NewRecorder()
		f.s.ServeHTTP(rec, req)
		cancel()
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d %s", target, rec.Code, rec.Body.String())
		}
		checkSecurityHeaders(t, "GET "+target, rec.Header(), "'self'")
		bad := get(t, f.s, target+"?no-such-parameter=1")
		if bad.Code != http.StatusBadRequest {
			t.Errorf("GET %s?no-such-parameter=1: %d", target, bad.Code)
		}
		checkSecurityHeaders(t, "400 "+target, bad.Header(), "'self'")
	}
}
