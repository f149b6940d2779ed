package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	noEnv := func(string) string { return "" }
	cfg, err := parseConfig(nil, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || cfg.DataDir != "" || cfg.TileURL != defaultTiles || cfg.ShutdownTimeout != 15*time.Second {
		t.Errorf("defaults: %+v", cfg)
	}

	env := map[string]string{"STRIKEMAP_ADDR": "127.0.0.1:9000", "STRIKEMAP_DATA": "/srv/data", "STRIKEMAP_TILES": "off", "STRIKEMAP_SHUTDOWN_TIMEOUT": "3s"}
	cfg, err = parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9000" || cfg.DataDir != "/srv/data" || cfg.TileURL != "" || cfg.ShutdownTimeout != 3*time.Second {
		t.Errorf("from environment: %+v", cfg)
	}

	cfg, err = parseConfig([]string{"-addr", ":1", "-shutdown-timeout", "1m"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || cfg.Addr != ":1" || cfg.ShutdownTimeout != time.Minute {
		t.Errorf("flags must win over the environment: %+v %v", cfg, err)
	}

	for _, args := range [][]string{
		{"-shutdown-timeout", "soon"},
		{"-log-format", "xml"},
		{"-tiles", "ftp://tiles/{z}/{x}/{y}.png"},
		{"extra"},
		{"-base-url", "example.org"},
		{"-base-url", "ftp://example.org"},
		{"-base-url", "https://example.org/?x=1"},
		{"-trust-forwarded=maybe"},
		{"-nope"},
	} {
		if _, err := parseConfig(args, noEnv, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}

	// A bad value is reported under the name it was given by.
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, map[string]string{"STRIKEMAP_RATE_LIMIT": "fast"}, "STRIKEMAP_RATE_LIMIT=fast: not a number"},
		{[]string{"-rate-limit", "fast"}, nil, "-rate-limit fast: not a number"},
		{nil, map[string]string{"STRIKEMAP_TRUST_FORWARDED": "maybe"}, "STRIKEMAP_TRUST_FORWARDED=maybe: not true or false"},
		{nil, map[string]string{"STRIKEMAP_SHUTDOWN_TIMEOUT": "soon"}, "STRIKEMAP_SHUTDOWN_TIMEOUT=soon: not a positive duration"},
		{[]string{"-log-format", "xml"}, map[string]string{"STRIKEMAP_LOG_FORMAT": "json"}, "-log-format xml: not text or json"},
	} {
		_, err := parseConfig(c.args, func(k string) string { return c.env[k] }, io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%v with %v: got %v, want %q", c.args, c.env, err, c.want)
		}
	}

	cfg, err = parseConfig([]string{"-base-url", "https://example.org/strikemap/", "-trust-forwarded"}, noEnv, io.Discard)
	if err != nil || cfg.BaseURL != "https://example.org/strikemap" || !cfg.TrustForwarded {
		t.Errorf("-base-url and -trust-forwarded: %+v %v", cfg, err)
	}
	cfg, err = parseConfig(nil, func(k string) string {
		return map[string]string{"STRIKEMAP_BASE_URL": "http://proxy:8000", "STRIKEMAP_TRUST_FORWARDED": "true"}[k]
	}, io.Discard)
	if err != nil || cfg.BaseURL != "http://proxy:8000" || !cfg.TrustForwarded {
		t.Errorf("base URL from the environment: %+v %v", cfg, err)
	}
	if cfg, _ := parseConfig(nil, noEnv, io.Discard); cfg.BaseURL != "" || cfg.TrustForwarded {
		t.Errorf("base URL defaults: %+v", cfg)
	}

	var help bytes.Buffer
	if _, err := parseConfig([]string{"-h"}, noEnv, &help); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
	for _, f := range []string{"-addr", "-data", "-tiles", "-log-format", "-shutdown-timeout", "-base-url", "-trust-forwarded", "STRIKEMAP_DATA", "STRIKEMAP_BASE_URL"} {
		if !strings.Contains(help.String(), f) {
			t.Errorf("-h does not document %s", f)
		}
	}
}

// syncBuffer is a log sink safe for the server's goroutines, which a test
// can wait on for a line.
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	grew chan struct{} // closed by the next Write, when someone waits
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grew != nil {
		close(s.grew)
		s.grew = nil
	}
	return s.b.Write(p)
}

// count returns how many times the log holds text.
func (s *syncBuffer) count(text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.b.String(), text)
}

// waitCount waits until the log holds text n times, for up to a minute.
func (s *syncBuffer) waitCount(t *testing.T, text string, n int) {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		s.mu.Lock()
		if strings.Count(s.b.String(), text) >= n {
			s.mu.Unlock()
			return
		}
		if s.grew == nil {
			s.grew = make(chan struct{})
		}
		grew := s.grew
		s.mu.Unlock()
		select {
		case <-grew:
		case <-timeout:
			t.Fatalf("waited a minute for the log to hold %s %d times:\n%s", text, n, s.String())
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs syncBuffer
	go func() {
		done <- run(ctx, Config{Addr: "127.0.0.1:0", LogFormat: "json", ShutdownTimeout: 5 * time.Second}, &logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(time.Minute): // a bound for a failure, not a wait: the event ends it
		t.Fatal("server did not start")
	}
	resp, err := http.Get("http://" + addr + "/api/incidents.geojson")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"2023-10-18-ain-al-asad-drones"`)) {
		t.Errorf("status %d, body %.200s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(time.Minute): // a bound for a failure, not a wait: the event ends it
		t.Fatal("server did not shut down")
	}
	for _, want := range []string{`"msg":"dataset loaded"`, `"msg":"request"`, `"status":200`, `"msg":"shutting down"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
}

func TestRunRefusesInvalidData(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../data/bases.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bases.geojson"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	inc, err := os.ReadFile("../../data/incidents.geojson")
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(inc, []byte(`"weapon": "rocket"`), []byte(`"weapon": "rockets"`), 1)
	if err := os.WriteFile(filepath.Join(dir, "incidents.geojson"), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	err = run(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir, LogFormat: "text", ShutdownTimeout: time.Second}, io.Discard, ready)
	if err == nil || !strings.Contains(err.Error(), `weapon "rockets" is not one of drone, rocket, missile, unknown`) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("got %v, want the validation error naming the directory", err)
	}
	if len(ready) != 0 {
		t.Error("server started listening on invalid data")
	}
}

// TestRunRefusesMissingDataDir gives -data paths that are not dataset
// directories: each error names the path and says what -data must be,
// instead of the loader's "open bases.geojson" that reads like an empty
// folder.
func TestRunRefusesMissingDataDir(t *testing.T) {
	empty := t.TempDir()
	file := filepath.Join(empty, "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(empty, "typo"), "does not exist"},
		{file, "is a file"},
		{empty, "has no bases.geojson or incidents.geojson"},
	} {
		ready := make(chan string, 1)
		err := run(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: c.dir, LogFormat: "text", ShutdownTimeout: time.Second}, io.Discard, ready)
		if err == nil || !strings.Contains(err.Error(), c.dir) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bases.geojson and incidents.geojson") {
			t.Errorf("-data %s: got %v, want it named, %q, and what a dataset directory holds", c.dir, err, c.want)
		}
		if len(ready) != 0 {
			t.Errorf("-data %s: server started listening", c.dir)
		}
	}
}

// TestRunReloadsUnderLoad edits a served directory good -> bad -> good while
// clients hammer the API: no request may fail, every response must carry the
// data of the version its X-Dataset-Version names, and /healthz must follow
// each state.
func TestRunReloadsUnderLoad(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{}
	for _, name := range []string{"bases.geojson", "incidents.geojson"} {
		b, err := os.ReadFile(filepath.Join("../../data", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	good := files["incidents.geojson"]
	bad := bytes.Replace(good, []byte(`"weapon": "rocket"`), []byte(`"weapon": "rockets"`), 1)
	// The edited dataset is told apart from the first by a marker in its body.
	const marker = "Edited while serving."
	edited := bytes.Replace(good, []byte(`"outcome": "",`), []byte(`"outcome": "`+marker+`",`), 1)
	write := func(content []byte) {
		t.Helper()
		tmp := filepath.Join(dir, ".incidents.tmp")
		if err := os.WriteFile(tmp, content, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "incidents.geojson")); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs syncBuffer
	go func() {
		done <- run(ctx, Config{Addr: "127.0.0.1:0", DataDir: dir, LogFormat: "json", ShutdownTimeout: 5 * time.Second}, &logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(time.Minute): // a bound for a failure, not a wait: the event ends it
		t.Fatal("server did not start")
	}
	base := "http://" + addr

	type health struct {
		Status  string `json:"status"`
		Dataset struct {
			Version  string `json:"version"`
			LoadedAt string `json:"loaded_at"`
		} `json:"dataset"`
		Reload *struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
			At    string `json:"at"`
		} `json:"reload"`
	}
	healthz := func() health {
		t.Helper()
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var h health
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/healthz status %d", resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	// The watcher logs each reload once /healthz can report it.
	const (
		failedMsg   = `"msg":"reload failed: still serving the last good dataset"`
		reloadedMsg = `"msg":"dataset reloaded"`
	)
	afterLog := func(msg string, n int) health {
		t.Helper()
		logs.waitCount(t, msg, n)
		return healthz()
	}

	first := healthz()
	if first.Status != "ok" || first.Reload == nil || !first.Reload.OK {
		t.Fatalf("at start /healthz says %+v", first)
	}
	v1 := first.Dataset.Version

	// Clients hammer the incidents endpoint for the whole test.
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		failures []string
		versions = map[string]int{}
	)
	stop := make(chan struct{})
	progress := make(chan struct{}, 1) // a response was counted
	// waitServed waits until clients have had n responses of version v.
	waitServed := func(v string, n int) {
		t.Helper()
		timeout := time.After(time.Minute)
		for {
			mu.Lock()
			got := versions[v]
			mu.Unlock()
			if got >= n {
				return
			}
			select {
			case <-progress:
			case <-timeout:
				t.Fatalf("waited a minute for %d responses of version %s; got %d", n, v, got)
			}
		}
	}
	served := func(v string) int {
		mu.Lock()
		defer mu.Unlock()
		return versions[v]
	}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Get(base + "/api/incidents.geojson")
				if err != nil {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				v := resp.Header.Get("X-Dataset-Version")
				hasMarker := bytes.Contains(body, []byte(marker))
				mu.Lock()
				versions[v]++
				select {
				case progress <- struct{}{}:
				default:
				}
				switch {
				case err != nil || resp.StatusCode != http.StatusOK:
					failures = append(failures, fmt.Sprintf("status %d, err %v", resp.StatusCode, err))
				case v == v1 && hasMarker, v != v1 && !hasMarker:
					failures = append(failures, fmt.Sprintf("version %s with a body of the other version", v))
				}
				mu.Unlock()
			}
		}()
	}

	// Clients are served before, between and after the edits.
	waitServed(v1, 8)
	n := logs.count(failedMsg)
	write(bad)
	h := afterLog(failedMsg, n+1)
	if h.Status != "degraded" || h.Dataset.Version != v1 || !strings.Contains(h.Reload.Error, `weapon "rockets"`) || h.Reload.At == "" {
		t.Errorf("after a bad edit /healthz says %+v", h)
	}
	waitServed(v1, served(v1)+8)
	n = logs.count(reloadedMsg)
	write(edited)
	h = afterLog(reloadedMsg, n+1)
	if h.Dataset.Version == v1 || h.Status != "ok" || !h.Reload.OK || h.Reload.Error != "" || h.Dataset.LoadedAt < first.Dataset.LoadedAt {
		t.Errorf("after a good edit /healthz says %+v", h)
	}
	waitServed(h.Dataset.Version, 8)
	close(stop)
	wg.Wait()

	mu.Lock()
	if len(failures) > 0 {
		t.Errorf("%d requests failed or mixed versions, first: %s", len(failures), failures[0])
	}
	if versions[v1] == 0 || versions[h.Dataset.Version] == 0 || len(versions) != 2 {
		t.Errorf("responses by version %v: want both %s and %s, and nothing else", versions, v1, h.Dataset.Version)
	}
	mu.Unlock()

	// A connection the transport dialled but never used is "new" to the
	// server, which waits up to 5 s before treating it as idle on shutdown.
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(time.Minute): // a bound for a failure, not a wait: the event ends it
		t.Fatal("server did not shut down")
	}
	for _, want := range []string{failedMsg, reloadedMsg} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s", want)
		}
	}
}

func TestParseConfigLimits(t *testing.T) {
	cfg, err := parseConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.MaxURLBytes != 32<<10 || cfg.RateLimit != 20 || cfg.RateBurst != 60 || cfg.RateLimitLoopback {
		t.Errorf("defaults: %+v %v", cfg, err)
	}
	env := map[string]string{"STRIKEMAP_MAX_URL_BYTES": "8192", "STRIKEMAP_RATE_LIMIT": "2.5", "STRIKEMAP_RATE_BURST": "5", "STRIKEMAP_RATE_LIMIT_LOOPBACK": "true"}
	cfg, err = parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil || cfg.MaxURLBytes != 8192 || cfg.RateLimit != 2.5 || cfg.RateBurst != 5 || !cfg.RateLimitLoopback {
		t.Errorf("from environment: %+v %v", cfg, err)
	}
	cfg, err = parseConfig([]string{"-rate-limit", "0", "-rate-limit-loopback=false"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || cfg.RateLimit != 0 || cfg.RateLimitLoopback {
		t.Errorf("flags must win: %+v %v", cfg, err)
	}
	for _, args := range [][]string{
		{"-max-url-bytes", "100"}, {"-max-url-bytes", "1e6"}, {"-rate-limit", "-1"}, {"-rate-limit", "NaN"},
		{"-rate-burst", "0"}, {"-rate-limit-loopback=maybe"},
	} {
		if _, err := parseConfig(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
}
