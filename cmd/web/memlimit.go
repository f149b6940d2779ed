package main

import (
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"

	"strikemap/internal/geo"
)

// The memory limit settings other than a size in bytes.
const (
	memoryLimitOff     int64 = 0  // no limit
	memoryLimitAuto    int64 = -1 // derived from the dataset after loading it
	memoryLimitRuntime int64 = -2 // GOMEMLIMIT is set: the Go runtime applies it
)

// minAutoMemoryLimit is the least limit derived from a dataset: below it,
// a small dataset would leave too little for the requests themselves.
const minAutoMemoryLimit = 512 << 20

// parseMemoryLimit reads -memory-limit: "auto", "off", or a size in bytes
// with an optional unit (B, KiB, MiB, GiB, KB, MB, GB), e.g. 800MiB or 1GiB.
// goMemLimit is GOMEMLIMIT's value, which "auto" defers to when it is set.
func parseMemoryLimit(s, goMemLimit string) (int64, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto", "":
		if goMemLimit != "" {
			return memoryLimitRuntime, nil
		}
		return memoryLimitAuto, nil
	case "off", "0":
		return memoryLimitOff, nil
	}
	units := []struct {
		suffix string
		scale  float64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"b", 1}}
	num, scale := strings.ToLower(strings.TrimSpace(s)), 1.0
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, scale = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.scale
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || !(v*scale >= 64<<20) || v*scale > math.MaxInt64/2 {
		return 0, fmt.Errorf("memory limit %q is not auto, off or a size of at least 64MiB such as 800MiB or 1.5GiB", s)
	}
	return int64(v * scale), nil
}

// autoMemoryLimit is the limit derived from the live heap once the dataset
// is loaded: twice it, room for a reload to build the next dataset beside
// the one being served, and at least minAutoMemoryLimit.
func autoMemoryLimit(live uint64) int64 {
	return max(minAutoMemoryLimit, 2*int64(live))
}

// liveHeapFunc is what applyMemoryLimit reads the live heap with; tests
// replace it to see the limit follow a dataset that grows.
var liveHeapFunc = liveHeap

// liveHeap is the heap the last garbage collection found live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// applyMemoryLimit sets the Go runtime's soft memory limit as configured.
// The limit makes the collector work harder as the heap nears it and return
// freed memory to the system, so a burst of large answers does not leave
// the process holding gigabytes.
func applyMemoryLimit(setting int64, log *slog.Logger) {
	switch setting {
	case memoryLimitRuntime:
		log.Info("memory limit from GOMEMLIMIT", "bytes", debug.SetMemoryLimit(-1))
		return
	case memoryLimitOff:
		debug.SetMemoryLimit(math.MaxInt64)
		log.Info("memory limit off")
		return
	case memoryLimitAuto:
		// The live heap as the last collection found it may date from the
		// middle of the load: collect now, so the limit counts the whole
		// dataset (a limit below it would make the collector run without
		// end). run calls this on its own goroutine, so the first answer
		// does not wait for the collection.
		runtime.GC()
		live := liveHeapFunc()
		setting = autoMemoryLimit(live)
		// Set, then log: the line says the limit is in force (a test
		// waits for it).
		debug.SetMemoryLimit(setting)
		log.Info("memory limit derived from the dataset", "live_heap_mib", live>>20, "limit_mib", setting>>20)
	default:
		debug.SetMemoryLimit(setting)
		log.Info("memory limit", "limit_mib", setting>>20)
	}
}

// rederiveOnReload keeps an "auto" limit following the dataset: every
// dataset store starts serving (a reload of -data DIR) derives the limit
// again from the heap it leaves live, so a dataset that doubled on reload is
// not squeezed under a limit made for the old one, and one that shrank
// gives memory back. Reloads that come while one derivation runs are
// served by one more, not one each. Other settings do not depend on the
// dataset, and nothing is registered for them. The returned function stops
// it and returns once a derivation under way has ended.
func rederiveOnReload(setting int64, store *geo.Store, log *slog.Logger) (stop func()) {
	if setting != memoryLimitAuto {
		return func() {}
	}
	kick := make(chan struct{}, 1)
	done, exited := make(chan struct{}), make(chan struct{})
	remove := store.OnReplace(func(*geo.Dataset) {
		select {
		case kick <- struct{}{}:
		default: // one is pending already; it will see this dataset
		}
	})
	go func() {
		defer close(exited)
		for {
			select {
			case <-done:
				return
			case <-kick:
				applyMemoryLimit(setting, log)
			}
		}
	}()
	return func() { remove(); close(done); <-exited }
}

// gcPause is the collector's setting while datasets load at start (see
// pauseGC): one run of the server pauses it at a time in a process, but
// tests start several.
var gcPause struct {
	sync.Mutex
	count   int
	percent int // GOGC before the first pause
}

// pauseGC turns the garbage collector off while a dataset whose incidents
// file is size bytes loads at start, and returns the function that turns
// it back on (safe to call more than once). A load's heap is almost all
// live, since the loader reuses its buffers, so each collection while it
// grows marks again the incidents read so far, for nothing: at a million
// incidents that was about a seventh of the CPU before the first answer
// (docs/performance.md). A memory limit stays as the backstop: the
// configured one, or with "auto" the file's size (a loaded dataset's heap
// is about half its file), at least minAutoMemoryLimit. With the limit
// off, or a size not known (a database), the collector is left alone.
// The caller sets the serving limit (applyMemoryLimit) before resuming,
// so the collection that resuming starts is paced by it.
func pauseGC(setting, size int64) (resume func()) {
	if setting == memoryLimitOff || size < 0 {
		return func() {}
	}
	switch {
	case setting == memoryLimitAuto:
		debug.SetMemoryLimit(max(minAutoMemoryLimit, size))
	case setting > 0:
		debug.SetMemoryLimit(setting)
	} // memoryLimitRuntime: GOMEMLIMIT's, set by the runtime
	gcPause.Lock()
	if gcPause.count == 0 {
		gcPause.percent = debug.SetGCPercent(-1)
	}
	gcPause.count++
	gcPause.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			gcPause.Lock()
			defer gcPause.Unlock()
			if gcPause.count--; gcPause.count == 0 {
				debug.SetGCPercent(gcPause.percent)
			}
		})
	}
}
