package main

import (
	"io"
	"log/slog"
	"math"
	"runtime/debug"
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
	stop := rederiveOnReload(memoryLimitAuto, store, log)
	defer stop()
	live.Store(1600 << 20)
	store.Replace(d, time.Now())
	deadline := time.Now().Add(30 * time.Second)
	for debug.SetMemoryLimit(-1) != 3200<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("limit %d MiB 30 s after a reload to a 1600 MiB heap, want 3200", debug.SetMemoryLimit(-1)>>20)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
