package follow_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/server"
	"strikemap/internal/store"
	"strikemap/internal/testenv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopPostgres()
	os.Exit(code)
}

var backends = []struct {
	name string
	url  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "record.db") }},
	{"postgres", func(t *testing.T) string { return testenv.Postgres(t) }},
}

func open(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// process is one strikemap process: its own connections to the record,
// its geo.Store, its follower and its HTTP server.
type process struct {
	gs       *geo.Store
	ts       *httptest.Server
	replaced atomic.Int64
	looked   chan int64 // the number its watch's latest look found
}

func start(t *testing.T, url string) *process {
	t.Helper()
	rec := open(t, url)
	d, err := follow.Load(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	p := &process{gs: geo.NewStore(d, time.Now()), looked: make(chan int64, 1)}
	p.gs.OnReplace(func(*geo.Dataset) { p.replaced.Add(1) })
	// The default polls (PostgreSQL's every 5 s): the versions reach the
	// processes by their notifications there.
	f := follow.Start(rec, p.gs, follow.Options{Checked: func(n int64) {
		select {
		case <-p.looked: // keep the newest
		default:
		}
		p.looked <- n
	}})
	s, err := server.New(p.gs, server.Options{Record: rec})
	if err != nil {
		t.Fatal(err)
	}
	p.ts = httptest.NewServer(s)
	t.Cleanup(func() { p.ts.Close(); s.Close(); f.Close() })
	return p
}

// incidents asks a process for every incident: the version it says and
// how many it sent.
func (p *process) incidents() (version string, n int, err error) {
	resp, err := http.Get(p.ts.URL + "/api/incidents.geojson")
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", 0, err
	}
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal(b, &fc); err != nil {
		return "", 0, err
	}
	return resp.Header.Get("X-Dataset-Version"), len(fc.Features), nil
}

// Two processes serve one record. A version made through the store while
// both serve reaches each within a second, whether loaded whole (an import
// that reorders the file) or applied in place (an edit), and no answer of
// either, before, during or after, is anything but one whole version: its
// digest with its own number of incidents.
func TestTwoProcessesFollowOneRecord(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			url := b.url(t)
			writer := open(t, url)
			steps, _, _ := testenv.HistorySteps(t)
			whole := map[string]int{} // digest -> incidents
			for _, fsys := range steps[:2] {
				d, err := geo.Load(fsys)
				if err != nil {
					t.Fatal(err)
				}
				whole[d.Version] = len(d.Incidents)
			}
			if _, err := writer.Import(ctx, steps[0], store.ImportAuthor, "first"); err != nil {
				t.Fatal(err)
			}
			procs := []*process{start(t, url), start(t, url)}

			// Readers of both, all along.
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var mu sync.Mutex
			var errs []error
			answers := map[string]map[int]bool{} // digest -> the counts of incidents answered with it
			var reads atomic.Int64
			for _, p := range procs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						v, n, err := p.incidents()
						reads.Add(1)
						mu.Lock()
						if err != nil {
							errs = append(errs, err)
						} else if answers[v] == nil {
							answers[v] = map[int]bool{n: true}
						} else {
							answers[v][n] = true
						}
						mu.Unlock()
					}
				}()
			}
			deadline := time.Second // the requirement
			// The race detector slows loading a dataset five to ten
			// times, so the 1 s requirement is not measured under it.
			if testenv.Race {
				deadline = 30 * time.Second
				t.Log(testenv.LessUnderRace)
			}
			res, err := writer.Import(ctx, steps[1], store.ImportAuthor, "second")
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, procs, 2, res.Digest, deadline)
			editor, err := writer.AddUser(ctx, "two-processes", store.Editor, "correct horse battery staple")
			if err != nil {
				t.Fatal(err)
			}
			id := procs[0].gs.Dataset().Incidents[0].ID
			before, after := edited(t, writer, id, "", "Changed in place")
			applied, err := writer.Edit(ctx, editor, "one change", store.Edit{File: geo.IncidentsFile, ID: id, Before: before, After: after})
			if err != nil {
				t.Fatal(err)
			}
			whole[applied.Digest] = whole[res.Digest]
			waitFor(t, procs, 3, applied.Digest, deadline)
			// A second look at version 3 loads nothing (checked below: two
			// replacements for two versions). The watch looks one at a
			// time, each heard once any load it made is served: after a
			// look that found version 3, the next is a second look.
			// On PostgreSQL the next look comes with a notification (or
			// the 5 s poll): one is sent, with no new version, once each
			// watch has found version 3.
			look := func(i int, p *process) int64 {
				select {
				case n := <-p.looked:
					return n
				case <-time.After(time.Minute): // a bound for a failure, not a wait
					t.Fatalf("process %d's watch made no look at the record for a minute", i)
					return 0
				}
			}
			for i, p := range procs {
				for look(i, p) < 3 {
				}
			}
			if writer.Dialect() == store.Postgres {
				conn, err := pgx.Connect(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				_, err = conn.Exec(ctx, "SELECT pg_notify($1, '')", store.VersionsChannel)
				conn.Close(ctx)
				if err != nil {
					t.Fatal(err)
				}
			}
			for i, p := range procs {
				look(i, p)
			}
			close(stop)
			wg.Wait()
			if len(errs) > 0 {
				t.Errorf("%d of %d reads failed, e.g. %v", len(errs), reads.Load(), errs[0])
			}
			for v, counts := range answers {
				for n := range counts {
					if want, ok := whole[v]; !ok || n != want {
						t.Errorf("an answer was not one whole version: version %q with %d incidents", v, n)
					}
				}
			}
			for i, p := range procs {
				if n := p.replaced.Load(); n != 2 {
					t.Errorf("process %d replaced its dataset %d times for two new versions", i, n)
				}
			}
			t.Logf("%d answers read while the version changed", reads.Load())
		})
	}
}

// waitFor waits until every process serves version number (digest), for
// at most deadline from now.
func waitFor(t *testing.T, procs []*process, number int64, digest string, deadline time.Duration) {
	t.Helper()
	made := time.Now()
	for i, p := range procs {
		for {
			v, _, err := p.incidents()
			if err == nil && v == digest {
				break
			}
			if time.Since(made) > deadline {
				t.Fatalf("process %d still serves %s %s after version %d (%s) was committed", i, v, deadline, number, digest)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if got := p.gs.Dataset().Record; got != number {
			t.Errorf("process %d serves record version %d, want %d", i, got, number)
		}
	}
}
