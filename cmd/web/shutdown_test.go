package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// TestSIGTERMUnderLoad starts the server as main does, with a signal
// context, puts 20 clients in the middle of slow requests (16 large GeoJSON
// streams read slowly, 4 map images queued for drawing), sends the process
// SIGTERM, and checks that every one of those requests completes with 200
// and a whole body, and that run returns nil, its shutdown finished within
// its timeout. The timeout is generous: drawing the images takes seconds on
// a busy machine, and much more under the race detector; the test waits for
// events (requests sent and accepted, the listener closed), never for a
// while.
func TestSIGTERMUnderLoad(t *testing.T) {
	dir := t.TempDir()
	basesJSON, err := data.FS.ReadFile(geo.BasesFile)
	if err != nil {
		t.Fatal(err)
	}
	d, err := geo.Parse(basesJSON, []byte(`{"type":"FeatureCollection","features":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	var incidents bytes.Buffer
	const n = 10000
	// Around the first six shipped bases only: the slow requests' work (the
	// map images' extent) must not grow as sites are added to the data.
	if err := synth.WriteIncidents(&incidents, synth.Config{N: n, Seed: 1, Bases: d.Bases[:min(6, len(d.Bases))]}); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{geo.BasesFile: basesJSON, geo.IncidentsFile: incidents.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	const timeout = 3 * time.Minute
	ready := make(chan string, 1)
	// run's error, and when it returned: sent together, so that reading
	// the time is not a race with writing it.
	type result struct {
		err error
		at  time.Time
	}
	done := make(chan result, 1)
	go func() {
		err := run(ctx, Config{Addr: "127.0.0.1:0", DataDir: dir, LogFormat: "json", ShutdownTimeout: timeout}, io.Discard, ready)
		done <- result{err, time.Now()}
	}()
	var addr string
	select {
	case addr = <-ready:
	case r := <-done:
		t.Fatalf("run ended early: %v", r.err)
	case <-time.After(timeout):
		// Loading the set takes a second, several under -race on a busy
		// machine: only a server that never starts ends the wait.
		t.Fatalf("the server did not start listening in %s", timeout)
	}

	const clients = 20
	var (
		started, wg sync.WaitGroup
		mu          sync.Mutex
		problems    []string
	)
	release := make(chan struct{})
	fail := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	for i := range clients {
		started.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: timeout, Transport: &http.Transport{}}
			stream := i%5 != 0
			target := "http://" + addr + "/api/incidents.geojson"
			if !stream {
				target = fmt.Sprintf("http://%s/api/export/map.png?width=300&height=200&from=2023-10-18&to=2023-10-%02d", addr, 20+i/5)
			}
			req, _ := http.NewRequest(http.MethodGet, target, nil)
			req.Header.Set("Accept-Encoding", "identity")
			var once sync.Once
			if !stream {
				// Sent: the image will be drawn or queued behind the others.
				req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
					WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(started.Done) },
				}))
			}
			resp, err := client.Do(req)
			if err != nil {
				if stream {
					started.Done()
				} else {
					once.Do(started.Done)
				}
				fail("%s: %v", target, err)
				return
			}
			defer resp.Body.Close()
			br := bufio.NewReaderSize(resp.Body, 1024)
			if stream {
				// Read a little and stop: the handler is now blocked
				// writing the rest, mid-request, until after SIGTERM.
				if _, err := br.Peek(1024); err != nil {
					fail("%s: %v", target, err)
				}
				started.Done()
				<-release
			}
			body, err := io.ReadAll(br)
			if err != nil || resp.StatusCode != http.StatusOK {
				fail("%s: status %d, err %v", target, resp.StatusCode, err)
				return
			}
			if stream {
				var fc struct{ Features []json.RawMessage }
				if err := json.Unmarshal(body, &fc); err != nil || len(fc.Features) != n {
					fail("%s: %d features of %d, err %v", target, len(fc.Features), n, err)
				}
			} else if !bytes.HasPrefix(body, []byte("\x89PNG")) {
				fail("%s: not a PNG", target)
			}
		}()
	}
	started.Wait()
	// The server accepts connections in the order they were made: once it
	// answers a new one, it has accepted every request above, and Shutdown
	// waits for them.
	probe := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := probe.Get("http://" + addr + "/healthz"); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	sent := time.Now()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-ctx.Done()
	// New connections are refused once the listener is closed, which
	// Shutdown does first.
	for deadline := time.Now().Add(30 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener still accepts connections 30s after SIGTERM")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("a new request after SIGTERM got %d", resp.StatusCode)
	}
	close(release)
	wg.Wait()
	select {
	case r := <-done:
		if r.err != nil {
			t.Errorf("run: %v", r.err)
		}
		t.Logf("run returned %v after SIGTERM", r.at.Sub(sent).Round(time.Millisecond))
	case <-time.After(timeout + 5*time.Second):
		t.Fatal("run did not return within the shutdown timeout")
	}
	for _, p := range problems {
		t.Error(p)
	}
}
