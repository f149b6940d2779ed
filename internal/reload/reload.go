// Package reload keeps a geo.Store serving the data files of a directory
// while they change: it watches the directory and loads the dataset again,
// debounced, whenever bases.geojson or incidents.geojson (or the optional
// official-counts.json or strikes.geojson) changes. A dataset
// that fails validation is never served: the store keeps the last good one and
// the failure is recorded for /healthz and logged.
package reload

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"strikemap/internal/geo"
)

// DefaultDebounce is how long the files must stay quiet before a reload: an
// editor or an import writes a file in several steps, and one reload after the
// last of them is enough.
const DefaultDebounce = 250 * time.Millisecond

// Result is the outcome of one reload attempt.
type Result struct {
	At      time.Time // when the attempt finished
	Err     error     // why the files were not loaded, or nil
	Version string    // the version served after the attempt
}

// Options configure a Watcher.
type Options struct {
	// Debounce is the quiet time before a reload; 0 means DefaultDebounce.
	Debounce time.Duration
	// Logger receives a line per reload; nil discards them.
	Logger *slog.Logger
	// OnReload, when set, is called after every attempt (for tests).
	OnReload func(Result)
	// OnChange, when set, is called with every change seen in the
	// directory and whether it will cause a reload (for tests).
	OnChange func(name string, reloads bool)
	// LoadedFrom, when set, is when the store's dataset started to be read
	// from dir: Start then reloads only if a data file changed since, so a
	// large dataset is not read twice at startup. When zero, Start always
	// reloads once, in case the files changed before watching began.
	LoadedFrom time.Time
	// Load loads the directory (internal/loadcache's, which reads and
	// writes a snapshot); nil is geo.Load of the directory.
	Load func(dir string) (*geo.Dataset, error)
}

// Watcher reloads a data directory into a store. Its methods are safe for
// concurrent use.
type Watcher struct {
	dir   string
	store *geo.Store
	opts  Options
	fsw   *fsnotify.Watcher
	done  chan struct{}

	reloading sync.Mutex // one reload at a time, so none replaces a newer one

	mu   sync.Mutex
	last Result
	ran  bool
}

// Start watches dir and reloads it into store on every change until Close.
// It watches the directory rather than the files, so that a file replaced by
// an atomic rename (as `dataset import` and most editors do) is still seen.
// Start checks the files once itself, so a change made between the caller's
// first load and the start of watching is not missed.
func Start(dir string, store *geo.Store, opts Options) (*Watcher, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Load == nil {
		opts.Load = func(dir string) (*geo.Dataset, error) { return geo.Load(os.DirFS(dir)) }
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	if err := fsw.Add(dir); err != nil {
		fsw.Close()
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	w := &Watcher{dir: dir, store: store, opts: opts, fsw: fsw, done: make(chan struct{})}
	if opts.LoadedFrom.IsZero() || changedSince(dir, opts.LoadedFrom) {
		w.Reload()
	}
	go w.loop()
	return w, nil
}

// Close stops watching and waits until no reload is running.
func (w *Watcher) Close() error {
	err := w.fsw.Close()
	<-w.done
	return err
}

// Last returns the outcome of the latest reload attempt; ok is false before
// the first.
func (w *Watcher) Last() (r Result, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last, w.ran
}

// Dir returns the directory being watched.
func (w *Watcher) Dir() string { return w.dir }

func (w *Watcher) loop() {
	defer close(w.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				timer.Stop()
				return
			}
			// A bare chmod (touch, some backup tools) changes no content.
			reloads := isDataFile(ev.Name) && ev.Op != fsnotify.Chmod
			if reloads {
				timer.Reset(w.opts.Debounce)
			}
			if w.opts.OnChange != nil {
				w.opts.OnChange(ev.Name, reloads)
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				timer.Stop()
				return
			}
			w.opts.Logger.Error("watching the data directory", "dir", w.dir, "err", err)
		case <-timer.C:
			w.Reload()
		}
	}
}

// isDataFile reports whether a changed path is one of the dataset's files,
// and not, say, an editor's swap file or an import's temporary file.
func isDataFile(name string) bool {
	base := filepath.Base(name)
	return base == geo.BasesFile || base == geo.IncidentsFile || base == geo.OfficialCountsFile || base == geo.StrikesFile
}

// Reload loads the directory now. A valid dataset with a new version replaces
// the one being served; the same version leaves the store (and its load time)
// alone; an invalid one is logged and recorded, and the last good dataset
// stays.
func (w *Watcher) Reload() Result {
	w.reloading.Lock()
	defer w.reloading.Unlock()
	d, err := w.opts.Load(w.dir)
	current := w.store.Dataset()
	r := Result{At: time.Now(), Version: current.Version}
	switch {
	case err != nil:
		r.Err = fmt.Errorf("load %s: %w", w.dir, err)
	case d.Version != current.Version:
		w.store.Replace(d, r.At)
		r.Version = d.Version
	}
	w.mu.Lock()
	w.last, w.ran = r, true
	w.mu.Unlock()
	// Logged once Last reports it, so that a reader of the log finds the
	// same in /healthz.
	switch {
	case err != nil:
		w.opts.Logger.Error("reload failed: still serving the last good dataset", "dir", w.dir, "version", current.Version, "err", r.Err)
	case d.Version != current.Version:
		w.opts.Logger.Info("dataset reloaded", "dir", w.dir, "version", d.Version, "previous", current.Version, "bases", len(d.Bases), "incidents", len(d.Incidents))
	}
	if w.opts.OnReload != nil {
		w.opts.OnReload(r)
	}
	return r
}

// changedSince reports whether a data file in dir was modified at or after
// t (or cannot be read, which a reload will report).
func changedSince(dir string, t time.Time) bool {
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile, geo.OfficialCountsFile, geo.StrikesFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		optional := name == geo.OfficialCountsFile || name == geo.StrikesFile
		if optional && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil || !fi.ModTime().Before(t) {
			return true
		}
	}
	return false
}
