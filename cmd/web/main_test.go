package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
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
	if cfg.Addr != ":8080" || cfg.DataDir != "" || cfg.Tiles != defaultTiles || cfg.ShutdownTimeout != 15*time.Second {
		t.Errorf("defaults: %+v", cfg)
	}

	env := map[string]string{"STRIKEMAP_ADDR": "127.0.0.1:9000", "STRIKEMAP_DATA": "/srv/data", "STRIKEMAP_TILES": "off", "STRIKEMAP_SHUTDOWN_TIMEOUT": "3s"}
	cfg, err = parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9000" || cfg.DataDir != "/srv/data" || cfg.Tiles != "" || cfg.ShutdownTimeout != 3*time.Second {
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

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
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
	case <-time.After(10 * time.Second):
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
	case <-time.After(10 * time.Second):
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
