package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/store"
	"strikemap/internal/testenv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopPostgres()
	os.Exit(code)
}

// serve runs the server with cfg until the test ends and returns its
// address.
func serve(t *testing.T, cfg Config, logs *syncBuffer) string {
	t.Helper()
	cfg.Addr, cfg.LogFormat, cfg.ShutdownTimeout = "127.0.0.1:0", "json", 5*time.Second
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, logs, ready) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(time.Minute): // a bound for a failure, not a wait: the event ends it
			t.Error("server did not shut down")
		}
	})
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		t.Fatalf("run ended early: %v\n%s", err, logs.String())
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	return ""
}

// get fetches a path and returns its body and dataset version.
func get(t *testing.T, addr, path string) ([]byte, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return body, resp.Header.Get("X-Dataset-Version")
}

// A server on a database imported from data/ serves what file mode serves,
// byte for byte and under the same dataset version, whether it loaded the
// record's rows or its snapshot (-cache).
func TestRunServesDatabase(t *testing.T) {
	var fileLogs syncBuffer
	fileAddr := serve(t, Config{}, &fileLogs)
	paths := []string{"/api/incidents.geojson", "/api/bases.geojson", "/api/strikes.geojson", "/api/official-counts.json"}
	want := map[string][]byte{}
	var wantVersion string
	for _, p := range paths {
		want[p], wantVersion = get(t, fileAddr, p)
	}
	for _, b := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "record.db") }},
		{"postgres", func(t *testing.T) string { return testenv.Postgres(t) }},
	} {
		t.Run(b.name, func(t *testing.T) {
			url := b.url(t)
			s, err := store.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Import(context.Background(), data.FS, store.ImportAuthor, ""); err != nil {
				t.Fatal(err)
			}
			s.Close()
			// Without a snapshot cache; with one, the first start writing
			// the record's snapshot and the second reading it.
			cacheDir := t.TempDir()
			for _, start := range []struct {
				cache, wantLog string
			}{{"", `"msg":"dataset loaded"`}, {cacheDir, `"msg":"dataset snapshot written"`}, {cacheDir, `"msg":"record snapshot read"`}} {
				var logs syncBuffer
				addr := serve(t, Config{DB: url, CacheDir: start.cache}, &logs)
				for _, p := range paths {
					got, version := get(t, addr, p)
					if !bytes.Equal(got, want[p]) || version != wantVersion {
						t.Errorf("%s (cache %q): %d bytes, version %s; file mode gives %d bytes, version %s", p, start.cache, len(got), version, len(want[p]), wantVersion)
					}
				}
				logs.waitCount(t, start.wantLog, 1)
				if !strings.Contains(logs.String(), `"source":"database `) || strings.Contains(logs.String(), "holds no dataset") || strings.Contains(logs.String(), "loading the record whole") {
					t.Errorf("log:\n%s", logs.String())
				}
			}
		})
	}
}

// A new database is created and migrated, and serves an empty map with a
// log line saying how to fill it.
func TestRunEmptyDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	var logs syncBuffer
	addr := serve(t, Config{DB: "sqlite:" + path}, &logs)
	body, _ := get(t, addr, "/api/incidents.geojson")
	if !bytes.Contains(body, []byte(`"features":[]`)) {
		t.Errorf("incidents of an empty database: %.300s", body)
	}
	get(t, addr, "/")
	if !strings.Contains(logs.String(), "dataset db import DIR -db URL") {
		t.Errorf("no log line says how to import:\n%s", logs.String())
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database was not created: %v", err)
	}
}

func TestConfigDBAndDataExclusive(t *testing.T) {
	_, err := parseConfig([]string{"-db", "sqlite:x.db", "-data", "dir"}, func(string) string { return "" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "give one") {
		t.Errorf("-db with -data: %v", err)
	}
	cfg, err := parseConfig(nil, func(k string) string {
		if k == "STRIKEMAP_DB" {
			return "sqlite:x.db"
		}
		return ""
	}, io.Discard)
	if err != nil || cfg.DB != "sqlite:x.db" {
		t.Errorf("STRIKEMAP_DB: %+v, %v", cfg.DB, err)
	}
}

func TestRunRefusesBadDatabase(t *testing.T) {
	var logs syncBuffer
	err := run(context.Background(), Config{Addr: "127.0.0.1:0", DB: "sqlite:" + filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")}, &logs, nil)
	if err == nil {
		t.Fatal("run served a database it could not open")
	}
	t.Log(err)
}
