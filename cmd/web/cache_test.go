package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStartFromSnapshot starts the server three times on one directory
// with a cache: the first start reads the files and writes a snapshot, the
// second reads the snapshot and serves the same bytes, and after a reload
// of edited files (which writes their snapshot) the third start reads that
// one and serves the edit.
func TestStartFromSnapshot(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	for _, name := range []string{"bases.geojson", "incidents.geojson", "official-counts.json", "strikes.geojson"} {
		b, err := os.ReadFile(filepath.Join("../../data", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const (
		written = `"msg":"dataset snapshot written"`
		read    = `"msg":"dataset snapshot read"`
		marker  = "Edited while serving."
	)
	// start serves dir until the returned function stops it.
	start := func(logs *syncBuffer) (base string, stop func()) {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		ready, done := make(chan string, 1), make(chan error, 1)
		go func() {
			done <- run(ctx, Config{Addr: "127.0.0.1:0", DataDir: dir, CacheDir: cacheDir, LogFormat: "json", ShutdownTimeout: 5 * time.Second}, logs, ready)
		}()
		select {
		case addr := <-ready:
			base = "http://" + addr
		case err := <-done:
			t.Fatalf("run ended early: %v\n%s", err, logs.String())
		}
		return base, func() {
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
	}
	get := func(url string) []byte {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", url, resp.StatusCode, err)
		}
		return b
	}
	const page = "/api/incidents.geojson?limit=10000"

	var logs1 syncBuffer
	base, stop := start(&logs1)
	want := get(base + page)
	logs1.waitCount(t, written, 1)
	stop()
	if logs1.count(read) != 0 {
		t.Fatalf("the first start read a snapshot:\n%s", logs1.String())
	}

	var logs2 syncBuffer
	base, stop = start(&logs2)
	if logs2.count(read) != 1 {
		t.Fatalf("the second start did not read the snapshot:\n%s", logs2.String())
	}
	if got := get(base + page); !bytes.Equal(got, want) {
		t.Fatal("the second start, from the snapshot, served other incidents than the first")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "incidents.geojson"))
	edited := bytes.Replace(b, []byte(`"outcome": "",`), []byte(`"outcome": "`+marker+`",`), 1)
	if bytes.Equal(edited, b) {
		t.Fatal("no empty outcome to edit")
	}
	tmp := filepath.Join(dir, ".incidents.tmp")
	if err := os.WriteFile(tmp, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "incidents.geojson")); err != nil {
		t.Fatal(err)
	}
	logs2.waitCount(t, `"msg":"dataset reloaded"`, 1)
	logs2.waitCount(t, written, 1)
	stop()

	var logs3 syncBuffer
	base, stop = start(&logs3)
	defer stop()
	if logs3.count(read) != 1 {
		t.Fatalf("the third start did not read the snapshot the reload wrote:\n%s", logs3.String())
	}
	if got := get(base + page); !bytes.Contains(got, []byte(marker)) {
		t.Fatal("the third start does not serve the edit")
	}
}
