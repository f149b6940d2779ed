package main

import (
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
)

func TestMemoryLimitConfig(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want int64
	}{
		{nil, nil, memoryLimitAuto},
		{nil, map[string]string{"GOMEMLIMIT": "2GiB"}, memoryLimitRuntime},
		{nil, map[string]string{"STRIKEMAP_MEMORY_LIMIT": "1GiB"}, 1 << 30},
		{[]string{"-memory-limit", "800MiB"}, map[string]string{"STRIKEMAP_MEMORY_LIMIT": "1GiB"}, 800 << 20},
		{[]string{"-memory-limit", "1.5GB"}, map[string]string{"GOMEMLIMIT": "2GiB"}, 1.5e9},
		{[]string{"-memory-limit", "off"}, nil, memoryLimitOff},
		{[]string{"-memory-limit", "268435456"}, nil, 256 << 20},
	} {
		cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
		if err != nil || cfg.MemoryLimit != tc.want {
			t.Errorf("%v with %v: memory limit %d, %v; want %d", tc.args, tc.env, cfg.MemoryLimit, err, tc.want)
		}
	}
	for _, bad := range []string{"lots", "-1GiB", "1TB!", "10MiB", "NaN"} {
		if _, err := parseConfig([]string{"-memory-limit", bad}, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("-memory-limit %s: accepted", bad)
		}
	}
}

// By default the server runs with a memory limit: twice the heap the
// dataset needs, never less than 512 MiB.
func TestDefaultMemoryLimitIsSet(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	debug.SetMemoryLimit(math.MaxInt64)
	applyMemoryLimit(memoryLimitAuto, slog.New(slog.DiscardHandler))
	got := debug.SetMemoryLimit(-1)
	if got == math.MaxInt64 || got < minAutoMemoryLimit {
		t.Errorf("memory limit %d after applying the default; want twice the live heap (%d), at least %d", got, liveHeap(), minAutoMemoryLimit)
	}
	if autoMemoryLimit(400<<20) != 800<<20 || autoMemoryLimit(10<<20) != minAutoMemoryLimit {
		t.Errorf("autoMemoryLimit: %d for 400 MiB live, %d for 10 MiB", autoMemoryLimit(400<<20), autoMemoryLimit(10<<20))
	}
}

// With "auto", a reloaded dataset derives the limit again from the heap it
// leaves live: one four times the size gets a limit four times as high.
func TestMemoryLimitFollowsReloads(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	var live atomic.Uint64
	live.Store(400 << 20)
	defer func(f func() uint64) { liveHeapFunc = f }(liveHeapFunc)
	liveHeapFunc = live.Load
	log := slog.New(slog.DiscardHandler)
	applyMemoryLimit(memoryLimitAuto, log)
	if got := debug.SetMemoryLimit(-1); got != 800<<20 {
		t.Fatalf("limit %d MiB at start, want 800", got>>20)
	}
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := geo.NewStore(d, time.Now())
	// The derivation's log line is the event the test waits for.
	derived := make(chan string, 4)
	stop := rederiveOnReload(memoryLimitAuto, store, slog.New(slog.NewTextHandler(lineFunc(func(line string) { derived <- line }), nil)))
	defer stop()
	live.Store(1600 << 20)
	store.Replace(d, time.Now())
	select {
	case line := <-derived:
		if got := debug.SetMemoryLimit(-1); got != 3200<<20 {
			t.Fatalf("limit %d MiB after a reload to a 1600 MiB heap, want 3200 (logged: %s)", got>>20, line)
		}
	case <-time.After(time.Minute): // a bound for a failure, not a wait: the log line ends it
		t.Fatal("no limit derived a minute after a reload")
	}
}

// lineFunc is a log's writer that hands each line to a function.
type lineFunc func(line string)

func (f lineFunc) Write(p []byte) (int, error) {
	f(string(p))
	return len(p), nil
}

// gcPercent reads GOGC's current setting.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// While a start loads its dataset the collector is off, under a memory
// limit; resuming turns it back on as it was, once the last of several
// overlapping pauses resumes, however often each resume is called.
func TestPauseGC(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	debug.SetMemoryLimit(math.MaxInt64)
	resume := pauseGC(memoryLimitAuto, 800<<20)
	if p, lim := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || lim != 800<<20 {
		t.Errorf("while loading an 800 MiB file: GOGC %d, limit %d MiB; want off under the file's size", p, lim>>20)
	}
	again := pauseGC(memoryLimitAuto, 10<<20)
	if lim := debug.SetMemoryLimit(-1); lim != minAutoMemoryLimit {
		t.Errorf("a 10 MiB file: limit %d MiB while loading, want at least %d", lim>>20, minAutoMemoryLimit>>20)
	}
	resume()
	resume()
	if p := gcPercent(); p != -1 {
		t.Errorf("GOGC %d with one load still paused, want off", p)
	}
	again()
	if p := gcPercent(); p != 150 {
		t.Errorf("GOGC %d after both resumed, want 150 as before", p)
	}
	for _, c := range []struct {
		setting, size int64
	}{{memoryLimitOff, 800 << 20}, {memoryLimitAuto, -1}} {
		pauseGC(c.setting, c.size)
		if p := gcPercent(); p != 150 {
			t.Errorf("limit %d, size %d: GOGC %d; want the collector left alone", c.setting, c.size, p)
		}
	}
}

// A started server collects garbage again: the pause ends once the memory
// limit is set, after the server listens.
func TestRunResumesGC(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	const before = 120
	defer debug.SetGCPercent(debug.SetGCPercent(before))
	dir := t.TempDir()
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile} {
		b, err := fs.ReadFile(data.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	startServer(t, Config{DataDir: dir, MemoryLimit: memoryLimitAuto})
	deadline := time.Now().Add(30 * time.Second)
	for gcPercent() != before {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC %d 30 s after the server started, want %d", gcPercent(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// -cpuprofile FILE profiles the process into FILE (gzipped, as pprof
// writes it), and a file that cannot be made is an error before serving.
func TestCPUProfileFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "start.prof")
	cfg, err := parseConfig([]string{"-cpuprofile", path}, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.CPUProfile != path {
		t.Fatalf("-cpuprofile %s: %q, %v", path, cfg.CPUProfile, err)
	}
	stop, err := startCPUProfile(cfg.CPUProfile)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile: %d bytes starting % x, %v; want a gzipped pprof profile", len(b), b[:min(len(b), 2)], err)
	}
	if _, err := startCPUProfile(filepath.Join(t.TempDir(), "no", "such", "dir", "x.prof")); err == nil || !strings.Contains(err.Error(), "-cpuprofile") {
		t.Errorf("a profile in a missing directory: %v", err)
	}
}
