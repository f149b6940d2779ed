package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"strikemap/data"
	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/store"
)

// editServer is a record server whose database holds the shipped dataset
// (imported), served from it as cmd/web -db serves it, with carla the
// contributor and eddie the editor.
func editServer(t *testing.T, dbURL string) *recordServer {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Import(ctx, data.FS, store.ImportAuthor, ""); err != nil {
		t.Fatal(err)
	}
	d, err := follow.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	s := mustNew(t, geo.NewStore(d, time.Now()), Options{Record: st, Basemap: data.Basemap})
	hs := httptest.NewServer(s)
	t.Cleanup(func() { hs.Close(); s.Close() })
	rs := &recordServer{Server: s, Store: st, URL: hs.URL}
	rs.addUser(t, "carla", store.Contributor)
	rs.addUser(t, "eddie", store.Editor)
	return rs
}

// validIncidentForm is the form of a valid new incident near Tower 22.
func validIncidentForm() url.Values {
	return url.Values{
		"id": {"2024-02-10-test-drone"}, "lat": {"33.3"}, "lon": {"38.7"}, "date": {"2024-02-10"}, "date_end": {""},
		"weapon": {"drone"}, "count": {"1"}, "base": {"tower-22"}, "location_precision": {"near"},
		"outcome": {"A drone struck near the base."}, "injured": {""}, "killed": {"0"}, "claimed_by": {"Islamic Resistance in Iraq"},
		"source_publisher": {"Test Wire"}, "source_kind": {"media"}, "source_url": {"https://example.org/a"},
		"source_published": {"2024-02-11"}, "source_says": {"A drone struck near Tower 22."},
	}
}

func parseHTML(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The form's round trip: each problem is shown beside its field with the
// typed values kept; a valid form becomes a proposal the map does not
// show until an editor approves it in /review, after which this process
// serves it at once.
func TestIncidentFormRoundTrip(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := editServer(t, dbURL)
		carla := rs.client(t)
		carla.login("carla", testPassword)
		if res, doc := carla.page("/incidents/new"); res.StatusCode != http.StatusOK || doc.Find("#incident-form #pick-map").Length() != 1 {
			t.Fatalf("GET /incidents/new: %s", res.Status)
		}
		bad := validIncidentForm()
		bad.Set("lat", "north")
		bad.Set("date_end", "2024-02-01")
		bad.Set("injured", "many")
		bad.Set("source_url", "javascript:alert(1)")
		bad.Set("base", "nowhere")
		res, body := carla.post("/incidents/new", bad)
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("a bad form: %s, want 400", res.Status)
		}
		doc := parseHTML(t, body)
		// Errors the form finds itself (not numbers) come first; geo's
		// rules are checked once the values can be read.
		for _, field := range []string{"lat", "injured"} {
			msg := doc.Find("#err-f-" + field).Text()
			input := doc.Find("#f-" + field)
			if msg == "" || input.AttrOr("aria-describedby", "") != "err-f-"+field || input.AttrOr("aria-invalid", "") != "true" {
				t.Errorf("%s: error %q beside it, input %v", field, msg, input.Nodes)
			}
		}
		if v := doc.Find("#f-lat").AttrOr("value", ""); v != "north" {
			t.Errorf("the typed latitude is not kept: %q", v)
		}
		if v := doc.Find("#f-outcome").Text(); v != "A drone struck near the base." {
			t.Errorf("the typed outcome is not kept: %q", v)
		}
		bad.Set("lat", "33.3")
		bad.Set("injured", "")
		res, body = carla.post("/incidents/new", bad)
		doc = parseHTML(t, body)
		for field, want := range map[string]string{"date_end": "before date", "sources-0--url": "not an absolute http(s) URL", "base": "not the id of any base"} {
			if msg := doc.Find("#err-f-" + field).Text(); !strings.Contains(msg, want) {
				t.Errorf("%s: error %q, want it to say %q (status %s)", field, msg, want, res.Status)
			}
		}
		if v := doc.Find("#f-sources-0--url").AttrOr("value", ""); v != "javascript:alert(1)" {
			t.Errorf("the typed url is not kept: %q", v)
		}
		if rs, _ := rs.Store.Revisions(context.Background(), store.StateProposed); len(rs) != 0 {
			t.Fatalf("a refused form made %d proposals", len(rs))
		}

		res, body = carla.post("/incidents/new", validIncidentForm())
		if res.StatusCode != http.StatusCreated || !strings.Contains(body, `id="proposal-done"`) {
			t.Fatalf("a valid form: %s", res.Status)
		}
		if _, ok := rs.store.Dataset().Incident("2024-02-10-test-drone"); ok {
			t.Fatal("a proposal is served before its approval")
		}
		// carla may not review; eddie sees the proposal as a diff.
		if res, _ := carla.do(http.MethodGet, "/review", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a contributor's GET /review: %s, want 403", res.Status)
		}
		eddie := rs.client(t)
		eddie.login("eddie", testPassword)
		res, doc = eddie.page("/review")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /review: %s", res.Status)
		}
		row := doc.Find(".proposal .diff tr").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find("th").Text() == "outcome" })
		if row.Find(".diff-after").Text() != "A drone struck near the base." || row.Find(".diff-before").Text() != "" {
			t.Errorf("the review's outcome row: %q", row.Text())
		}
		action, _ := doc.Find(".proposal form.decide-form").First().Attr("action")
		before := rs.store.Dataset().Version
		if res, _ := carla.post(action, url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("a contributor approving: %s, want 403", res.Status)
		}
		res, _ = eddie.post(action, url.Values{"reason": {"checked"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %s", res.Status)
		}
		d := rs.store.Dataset()
		inc, ok := d.Incident("2024-02-10-test-drone")
		if !ok || d.Version == before {
			t.Fatalf("after the approval the server serves version %s (was %s) without the incident", d.Version, before)
		}
		// Unknown is not zero: the blank injured stays unknown, the typed 0
		// killed is a known 0.
		if n, known := inc.Injured.Get(); known {
			t.Errorf("injured left blank is served as %d, want unknown", n)
		}
		if n, known := inc.Killed.Get(); !known || n != 0 {
			t.Errorf("killed typed as 0 is served as %d (known %v), want a known 0", n, known)
		}
		res, body = eddie.do(http.MethodGet, "/api/incidents.geojson?from=2024-02-10&to=2024-02-10", nil)
		if !strings.Contains(body, "2024-02-10-test-drone") || res.Header.Get("X-Dataset-Version") != d.Version {
			t.Errorf("the API after approval (%s): %.200s", res.Header.Get("X-Dataset-Version"), body)
		}
		if _, doc := eddie.page("/review"); doc.Find("#review-empty").Length() != 1 {
			t.Errorf("the queue is not empty after the approval")
		}
	})
}

// Who may do what: readers are sent to log in (pages) or refused with 401
// (writes, the API); a contributor cannot approve, reject, or touch bases;
// a rejection needs its reason.
func TestEditingRoles(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := editServer(t, dbURL)
		anon := rs.client(t)
		for _, path := range []string{"/incidents/new", "/review", "/bases/new", "/incidents/2023-10-18-harir-drone/edit"} {
			res, _ := anon.do(http.MethodGet, path, nil)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
				t.Errorf("anonymous GET %s: %s to %q, want 303 to /login", path, res.Status, res.Header.Get("Location"))
			}
		}
		for _, path := range []string{"/incidents/new", "/api/proposals", "/api/proposals/1/approve", "/review/1/reject", "/incidents/2023-10-18-harir-drone/sources"} {
			if res, _ := anon.do(http.MethodPost, path, url.Values{}); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous POST %s: %s, want 401", path, res.Status)
			}
		}
		carla := rs.client(t)
		carla.login("carla", testPassword)
		id, err := rs.Store.Propose(context.Background(), mustUser(t, rs, "carla"), "", store.Edit{File: geo.IncidentsFile, ID: "2024-02-10-test-drone", After: validFeature(t)})
		if err != nil {
			t.Fatal(err)
		}
		path := "/review/" + jsonNumber(id)
		for _, p := range []string{path + "/approve", path + "/reject", "/bases/new"} {
			if res, _ := carla.post(p, url.Values{"reason": {"x"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("carla POST %s: %s, want 403", p, res.Status)
			}
		}
		if res, _ := carla.do(http.MethodGet, "/bases/new", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("carla GET /bases/new: %s, want 403", res.Status)
		}
		eddie := rs.client(t)
		eddie.login("eddie", testPassword)
		res, body := eddie.post(path+"/reject", url.Values{"reason": {" "}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "reason is required") {
			t.Errorf("rejecting without a reason: %s", res.Status)
		}
		if res, _ := eddie.post(path+"/reject", url.Values{"reason": {"no such attack"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("rejecting: %s", res.Status)
		}
		if res, _ := eddie.post(path+"/approve", url.Values{}); res.StatusCode != http.StatusConflict {
			t.Errorf("approving a rejected proposal: %s, want 409", res.Status)
		}
	})
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

func mustUser(t *testing.T, rs *recordServer, name string) store.User {
	t.Helper()
	us, err := rs.Store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no user %s", name)
	return store.User{}
}

func validFeature(t *testing.T) []byte {
	inc := geo.Incident{ID: "2024-02-10-test-drone", Weapon: geo.WeaponDrone, Status: geo.StatusReported, LocationPrecision: geo.PrecisionNear,
		Base: "tower-22", Outcome: "A test.", Sources: []geo.Source{{Publisher: "Wire", URL: "https://example.org/", Kind: geo.SourceMedia, Says: "It happened."}}}
	inc.Point[0], inc.Point[1] = 38.7, 33.3
	inc.Date, _ = geo.ParseDate("2024-02-10")
	inc.DateEnd = inc.Date
	return geo.MarshalIncidentFeature(&inc)
}

// Adding a source is one step from the incident's page; an official
// source makes the incident confirmed, served at once when an editor
// applies it.
func TestAddSourceOneStep(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := editServer(t, dbURL)
		var target *geo.Incident
		for i := range rs.store.Dataset().Incidents {
			if inc := rs.store.Dataset().Incidents[i]; inc.Status == geo.StatusReported {
				target = inc
				break
			}
		}
		eddie := rs.client(t)
		eddie.login("eddie", testPassword)
		_, doc := eddie.page("/incidents/" + target.ID)
		form := doc.Find("#add-source form")
		if form.Length() != 1 {
			t.Fatal("the incident page has no add-source form for an editor")
		}
		if anon := rs.client(t); true {
			_, doc := anon.page("/incidents/" + target.ID)
			if doc.Find("#add-source").Length() != 0 {
				t.Error("a reader is shown the add-source form")
			}
		}
		action, _ := form.Attr("action")
		res, _ := eddie.post(action, url.Values{"source_publisher": {"US Department of Defense"}, "source_kind": {"official"},
			"source_url": {"https://www.defense.gov/x"}, "source_published": {""}, "source_says": {"Confirmed the attack."}, "apply": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("adding a source: %s", res.Status)
		}
		got, _ := rs.store.Dataset().Incident(target.ID)
		if got.Status != geo.StatusConfirmed || len(got.Sources) != len(target.Sources)+1 {
			t.Errorf("after adding an official source: %s with %d sources", got.Status, len(got.Sources))
		}
	})
}

// The API: a script proposes with a token, an editor approves it; bad
// bodies are 400 with what is allowed; a stale before is 409.
func TestProposalsAPI(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := editServer(t, dbURL)
		ctx := context.Background()
		_, carlaToken, err := rs.Store.AddToken(ctx, "carla", "script")
		if err != nil {
			t.Fatal(err)
		}
		_, eddieToken, err := rs.Store.AddToken(ctx, "eddie", "script")
		if err != nil {
			t.Fatal(err)
		}
		call := func(token, method, path string, body any) (*http.Response, map[string]any) {
			t.Helper()
			b, _ := json.Marshal(body)
			req, _ := http.NewRequest(method, rs.URL+path, bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			var out map[string]any
			json.Unmarshal(raw, &out)
			return res, out
		}
		res, out := call(carlaToken, http.MethodPost, "/api/proposals", map[string]any{"reason": "from a script",
			"changes": []map[string]any{{"file": geo.IncidentsFile, "id": "2024-02-10-test-drone", "before": nil, "after": json.RawMessage(validFeature(t))}}})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("POST /api/proposals: %s %v", res.Status, out)
		}
		id := int64(out["id"].(float64))
		if res, out := call(carlaToken, http.MethodPost, "/api/proposals/"+jsonNumber(id)+"/approve", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a contributor's token approving: %s %v", res.Status, out)
		}
		if res, out := call(carlaToken, http.MethodGet, "/api/proposals", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a contributor's token listing: %s %v", res.Status, out)
		}
		res, out = call(eddieToken, http.MethodGet, "/api/proposals", nil)
		if list, _ := out["proposals"].([]any); res.StatusCode != http.StatusOK || len(list) != 1 {
			t.Fatalf("GET /api/proposals: %s %v", res.Status, out)
		}
		res, out = call(eddieToken, http.MethodPost, "/api/proposals/"+jsonNumber(id)+"/approve", map[string]any{"reason": "ok"})
		if res.StatusCode != http.StatusOK || out["dataset_version"] != rs.store.Dataset().Version {
			t.Fatalf("approve: %s %v (serving %s)", res.Status, out, rs.store.Dataset().Version)
		}
		for _, tc := range []struct {
			body   any
			status int
			want   string
		}{
			{map[string]any{"changes": "x"}, 400, "want JSON"},
			{map[string]any{"changes": []any{}}, 400, "is empty"},
			{map[string]any{"changes": []map[string]any{{"file": "strikes.geojson", "id": "x", "after": json.RawMessage(`{}`)}}}, 400, "is not one of"},
			{map[string]any{"changes": []map[string]any{{"file": geo.IncidentsFile, "id": "2024-02-10-test-drone", "before": nil, "after": json.RawMessage(validFeature(t))}}}, 409, "already in the record"},
			{map[string]any{"changes": []map[string]any{{"file": geo.IncidentsFile, "id": "2024-02-10-test-drone", "before": json.RawMessage(`{"stale":1}`), "after": nil}}, "reason": "dup"}, 409, "has changed"},
		} {
			res, out := call(carlaToken, http.MethodPost, "/api/proposals", tc.body)
			if msg, _ := out["error"].(string); res.StatusCode != tc.status || !strings.Contains(msg, tc.want) {
				t.Errorf("POST %v: %s %v, want %d saying %q", tc.body, res.Status, out, tc.status, tc.want)
			}
		}
	})
}

// POST /incidents/{id}/retract: the reason is required and shown beside
// its field; a contributor's retraction is a proposal, the incident served
// until it is approved; an editor's, applied at once, takes the incident
// off the map and leaves it in its history as a tombstone with the reason.
func TestRetractRoute(t *testing.T) {
	t.Parallel()
	rs := editServer(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	ctx := context.Background()
	const id = "2023-10-18-harir-drone"
	before, ok, err := rs.Store.Feature(ctx, geo.IncidentsFile, id)
	if err != nil || !ok {
		t.Fatalf("the record has no %s: %v", id, err)
	}
	form := func(reason string) url.Values {
		return url.Values{"before": {string(before)}, "reason": {reason}, "apply": {"1"}}
	}
	carla, eddie := rs.client(t), rs.client(t)
	carla.login("carla", testPassword)
	eddie.login("eddie", testPassword)

	res, body := eddie.post("/incidents/"+id+"/retract", form(""))
	if msg := parseHTML(t, body).Find("#err-f-retract_reason").Text(); res.StatusCode != http.StatusBadRequest || msg == "" {
		t.Errorf("a retraction without a reason: %s, error beside the reason %q; want 400 and an error", res.Status, msg)
	}
	if _, ok := rs.store.Dataset().Incident(id); !ok {
		t.Fatal("a refused retraction took the incident off")
	}

	res, _ = carla.post("/incidents/"+id+"/retract", form("a duplicate of another report"))
	if res.StatusCode != http.StatusCreated {
		t.Errorf("a contributor's retraction: %s, want 201 (a proposal)", res.Status)
	}
	if _, ok := rs.store.Dataset().Incident(id); !ok {
		t.Error("a proposed retraction took the incident off before its approval")
	}

	res, _ = eddie.post("/incidents/"+id+"/retract", form("a duplicate of 2023-10-18-harir-drones"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("an editor's retraction: %s, want 303", res.Status)
	}
	if _, ok := rs.store.Dataset().Incident(id); ok {
		t.Error("the retracted incident is still served")
	}
	res, body = eddie.do(http.MethodGet, "/api/incidents/"+id+"/history.json", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"retracted"`) || !strings.Contains(body, "a duplicate of 2023-10-18-harir-drones") {
		t.Errorf("the history of the retracted incident (%s): %.400s", res.Status, body)
	}
}
