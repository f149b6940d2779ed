package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"testing"
	"time"

	"strikemap/internal/geo"
	"strikemap/internal/reload"
)

// fakeReloads reports a fixed reload outcome.
type fakeReloads struct {
	r  reload.Result
	ok bool
}

func (f fakeReloads) Last() (reload.Result, bool) { return f.r, f.ok }

func TestHealthReload(t *testing.T) {
	d, err := geo.Load(os.DirFS("../geo/testdata/valid"))
	if err != nil {
		t.Fatal(err)
	}
	loaded := time.Date(2023, 10, 23, 12, 0, 0, 0, time.UTC)
	at := loaded.Add(time.Hour)
	for _, tc := range []struct {
		name    string
		reloads Reloads
		want    string
	}{
		{"embedded data: no reload object", nil,
			`{"dataset":{"bases":3,"incidents":5,"loaded_at":"2023-10-23T12:00:00Z","version":"` + d.Version + `"},"status":"ok"}`},
		{"watched, last reload good", fakeReloads{reload.Result{At: at, Version: d.Version}, true},
			`{"dataset":{"bases":3,"incidents":5,"loaded_at":"2023-10-23T12:00:00Z","version":"` + d.Version + `"},"reload":{"at":"2023-10-23T13:00:00Z","ok":true},"status":"ok"}`},
		{"watched, last reload failed", fakeReloads{reload.Result{At: at, Err: errors.New(`load d: weapon "drones" is wrong`), Version: d.Version}, true},
			`{"dataset":{"bases":3,"incidents":5,"loaded_at":"2023-10-23T12:00:00Z","version":"` + d.Version + `"},"reload":{"at":"2023-10-23T13:00:00Z","error":"load d: weapon \"drones\" is wrong","ok":false},"status":"degraded"}`},
		{"watched, no reload yet", fakeReloads{},
			`{"dataset":{"bases":3,"incidents":5,"loaded_at":"2023-10-23T12:00:00Z","version":"` + d.Version + `"},"reload":{"at":null,"ok":true},"status":"ok"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, geo.NewStore(d, loaded), Options{Reloads: tc.reloads})
			rec := get(t, s, "/healthz")
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			var got, want any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(want)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("body\n %s\nwant\n %s", gotJSON, wantJSON)
			}
		})
	}
}
