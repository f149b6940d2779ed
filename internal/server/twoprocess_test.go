package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/store"
	"strikemap/internal/testenv"
)

// TestApprovalOnOneServedByAnother: two servers on one record, each with
// its own connections, dataset and follower, as two processes behind a
// load balancer. An editor's change made through the first one's form is
// served by the second within 1 s of the first's answer, under the same
// dataset version (issue 16). internal/follow's two-process test makes its
// versions through the store; this one goes through a server's HTTP route.
func TestApprovalOnOneServedByAnother(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		a := editServer(t, dbURL) // imports the shipped dataset into the record
		st, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		d, err := follow.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		gs := geo.NewStore(d, time.Now())
		f := follow.Start(st, gs, follow.Options{})
		b := mustNew(t, gs, Options{Record: st, Basemap: data.Basemap, Follower: f})
		hb := httptest.NewServer(b)
		t.Cleanup(func() { hb.Close(); b.Close(); f.Close() })

		eddie := a.client(t)
		eddie.login("eddie", testPassword)
		form := validIncidentForm()
		form.Set("apply", "1")
		res, _ := eddie.post("/incidents/new", form)
		answered := time.Now()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("an editor's new incident on the first server: %s, want 303", res.Status)
		}
		want := a.store.Dataset().Version
		if _, ok := a.store.Dataset().Incident("2024-02-10-test-drone"); !ok {
			t.Fatal("the first server does not serve its own change")
		}
		deadline := time.Second // the requirement
		if testenv.Race {
			deadline = 30 * time.Second
			t.Log(testenv.LessUnderRace)
		}
		for {
			r, err := http.Get(hb.URL + "/api/incidents.geojson?from=2024-02-10&to=2024-02-10")
			if err != nil {
				t.Fatal(err)
			}
			var body strings.Builder
			_, _ = io.Copy(&body, r.Body)
			r.Body.Close()
			if strings.Contains(body.String(), "2024-02-10-test-drone") {
				if v := r.Header.Get("X-Dataset-Version"); v != want {
					t.Errorf("the second server serves the change as version %s, the first as %s", v, want)
				}
				t.Logf("served by the second server %v after the first answered", time.Since(answered).Round(time.Millisecond))
				return
			}
			if time.Since(answered) > deadline {
				t.Fatalf("the second server does not serve the change %v after the first answered", deadline)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
