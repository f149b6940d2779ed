package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// An open event stream does not hold the shutdown: run returns long before
// its shutdown timeout, and the stream's client sees it end.
func TestShutdownEndsEventStreams(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const timeout = 2 * time.Minute
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, Config{Addr: "127.0.0.1:0", LogFormat: "json", ShutdownTimeout: timeout}, io.Discard, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	resp, err := http.Get("http://" + addr + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the stream ended before its first event: %v", err)
		}
		if strings.HasPrefix(line, "event: version") {
			break
		}
	}
	shutdown := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(timeout / 2):
		t.Fatal("an open event stream held the shutdown")
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Logf("the stream ended with %v", err)
	}
	t.Logf("shut down %s after it began, with a stream open", time.Since(shutdown).Round(time.Millisecond))
}
