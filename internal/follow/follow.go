// Package follow keeps a geo.Store serving the newest dataset version of a
// record (internal/store), whichever process made it: several strikemap
// processes on one PostgreSQL each follow the record, so a change approved
// on one is served by all within a second.
package follow

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"strikemap/internal/geo"
	"strikemap/internal/loadcache"
	"strikemap/internal/store"
)

// Options configure a Follower.
type Options struct {
	// Logger receives a line per version loaded and per failure; nil
	// discards them.
	Logger *slog.Logger
	// Poll is store.WatchOptions.Poll: 0 for its defaults.
	Poll time.Duration
	// Checked is store.WatchOptions.Checked: it hears each look at the
	// record's newest version, once any load it caused is served.
	Checked func(number int64)
}

// Follower reloads a geo.Store from a record at every new dataset version.
type Follower struct {
	record *store.Store
	store  *geo.Store
	log    *slog.Logger
	stop   context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex // one load at a time
}

// Load reads the record's newest version, in one transaction, as a
// dataset whose Record is that version's number. The incidents' rows are
// streamed into the loader (store.Snapshot), never built into a file first.
func Load(ctx context.Context, record *store.Store) (*geo.Dataset, error) {
	snap, err := record.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", record, err)
	}
	defer snap.Close()
	v := snap.Version()
	d, err := geo.Load(snap)
	if err != nil {
		return nil, fmt.Errorf("load %s version %d: %w", record, v.Number, err)
	}
	d.Record = v.Number
	return d, nil
}

// LoadCached is Load with a snapshot cache (internal/loadcache), so that a
// start from a record takes the time of a start from a directory's
// snapshot, not of reading a million rows. The record's snapshot holds its
// bases and incidents at one of its versions, with that version's digest;
// it is used when the record's version of that number has the same digest
// (a record made again from scratch numbers its versions anew), and the
// changes since are applied to it as a follower applies a new version
// (apply). Otherwise, or when they cannot be applied in place, the newest
// version is loaded whole. Either way, when the dataset is not the
// snapshot's version, a snapshot of it is written in the background for
// the next start.
func LoadCached(ctx context.Context, record *store.Store, cache *loadcache.Cache, log *slog.Logger) (*geo.Dataset, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name := record.String()
	snap, err := record.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", record, err)
	}
	defer snap.Close()
	v := snap.Version()
	d, why := cached(ctx, record, snap, cache, name)
	if d != nil {
		return d, nil
	}
	switch {
	case why == nil: // no snapshot yet
	case loadcache.IsStale(why) || errors.As(why, new(staleRecord)) || errors.Is(why, store.ErrNoDelta):
		// Expected: another build, a record made again, or more changes
		// since the snapshot than apply takes in place.
		log.Info("loading the record whole: its snapshot is not of this record or build, or too far behind", "db", name, "reason", why)
	default:
		log.Warn("loading the record whole: its snapshot cannot be used", "db", name, "reason", why)
	}
	core, err := geo.LoadCore(snap)
	if err != nil {
		return nil, fmt.Errorf("load %s version %d: %w", record, v.Number, err)
	}
	if d, err = core.WithExtras(snap); err != nil {
		return nil, fmt.Errorf("load %s version %d: %w", record, v.Number, err)
	}
	d.Record = v.Number
	if d.Version != v.Digest {
		// Never seen (store's TestFilesAtEveryVersion): a snapshot under
		// the record's digest would not be of what that digest names.
		log.Warn("no snapshot of the record written: its version's digest is not the one loaded", "db", name, "version", v.Number, "digest", v.Digest, "loaded", d.Version)
		return d, nil
	}
	cache.WriteRecord(name, d)
	return d, nil
}

// cached returns the record's newest version (snap's) from its snapshot,
// with the changes since applied, or nil and why not (nil too when there
// is no snapshot yet).
func cached(ctx context.Context, record *store.Store, snap *store.Snapshot, cache *loadcache.Cache, name string) (*geo.Dataset, error) {
	v := snap.Version()
	core, err := cache.ReadRecord(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	at, err := record.VersionAt(ctx, core.Record)
	switch {
	case errors.Is(err, store.ErrNoVersion) || core.Record > v.Number:
		return nil, staleRecord{fmt.Sprintf("the snapshot is of version %d, which the record does not hold", core.Record)}
	case err != nil:
		return nil, err
	case at.Digest != core.Version:
		return nil, staleRecord{fmt.Sprintf("the snapshot's version %d has digest %s, the record's version %d %s", core.Record, core.Version, core.Record, at.Digest)}
	}
	// The optional files (official counts, strikes) are the newest
	// version's: the snapshot's, when it is the newest; and when it is not,
	// apply's changes are only of incidents and bases (ChangesSince), so
	// the snapshot's version had the same ones.
	d, err := core.WithExtras(snap)
	if err != nil {
		return nil, err
	}
	d.Version = at.Digest // WithExtras hashed the files again over the digest, which covers them
	if core.Record == v.Number {
		return d, nil
	}
	applied, err := apply(snap, d)
	if err != nil {
		return nil, fmt.Errorf("the changes since the snapshot's version %d: %w", core.Record, err)
	}
	applied.Record = v.Number
	cache.WriteRecord(name, applied)
	return applied, nil
}

// staleRecord says a snapshot is of another record, or of one made again:
// expected, not a fault.
type staleRecord struct{ reason string }

func (e staleRecord) Error() string { return e.reason }

// New returns a Follower that loads the record into st only when asked
// (Sync): a server with no watch of its own still serves its approvals at
// once, through the same lock and checks. Close is a no-op.
func New(record *store.Store, st *geo.Store, opts Options) *Follower {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	done := make(chan struct{})
	close(done)
	return &Follower{record: record, store: st, log: opts.Logger, stop: func() {}, done: done}
}

// Start follows record into st until Close. st's dataset should have been
// read with Load: a version it already serves is not read again.
func Start(record *store.Store, st *geo.Store, opts Options) *Follower {
	f := New(record, st, opts)
	ctx, stop := context.WithCancel(context.Background())
	f.stop, f.done = stop, make(chan struct{})
	// The store's table of the incidents file's chunks, kept in the
	// background at start and after each new version (a read of the
	// record; nothing when the table is of that version already), so that
	// an approval here reads only the chunks it changes for its digest.
	keep := make(chan struct{}, 1)
	keep <- struct{}{}
	keeperDone := make(chan struct{})
	go func() {
		defer close(keeperDone)
		for {
			select {
			case <-ctx.Done():
				return
			case <-keep:
			}
			start := time.Now()
			n, kept, err := record.KeepChunks(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				f.log.Warn("keeping the record's chunks for the next approval's digest", "err", err)
			case kept:
				f.log.Info("the record's chunks kept", "number", n, "took", time.Since(start).Round(time.Millisecond))
			}
		}
	}()
	go func() {
		defer close(f.done)
		defer func() { <-keeperDone }()
		record.Watch(ctx, store.WatchOptions{Poll: opts.Poll, Checked: opts.Checked, OnError: func(err error) {
			f.log.Warn("following the record", "db", record.String(), "err", err)
		}}, func(n int64) {
			if err := f.load(ctx, n); err != nil && ctx.Err() == nil {
				f.log.Error("the record's new version is not served", "version", n, "err", err)
			}
			select {
			case keep <- struct{}{}:
			default:
			}
		})
	}()
	return f
}

// Sync serves the record's newest version now, unless it is served
// already: the process that approved a change serves it before it
// answers, and the watch that sees the same version later loads nothing.
func (f *Follower) Sync(ctx context.Context) error {
	return f.load(ctx, 0)
}

// load loads the record's newest version unless the store serves version
// n (or a newer one) already; n 0 always reads. One load at a time, and
// never an older version over a newer: the old dataset is served until the
// new one is whole.
//
// The newest version is applied to the dataset served when the changes
// since it allow (store.Snapshot.ChangesSince, geo.Dataset.Apply): the
// unchanged incidents are shared and only the changed ones read, so a
// change to a million-incident record is served in a fraction of a second
// and without a second dataset's memory. Otherwise (an import that
// reorders a file, too many changes, a first load) it is loaded whole.
func (f *Follower) load(ctx context.Context, n int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	cur := f.store.Dataset()
	if n > 0 && cur.Record >= n {
		return nil
	}
	start := time.Now()
	snap, err := f.record.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("read %s: %w", f.record, err)
	}
	defer snap.Close()
	v := snap.Version()
	if v.Number <= cur.Record {
		return nil
	}
	how := "in place"
	d, err := apply(snap, cur)
	if err != nil {
		how = "whole"
		if !errors.Is(err, store.ErrNoDelta) {
			f.log.Warn("the record's new version could not be applied in place: loading it whole", "version", v.Number, "err", err)
		}
		if d, err = geo.Load(snap); err != nil {
			return fmt.Errorf("load %s version %d: %w", f.record, v.Number, err)
		}
	}
	d.Record = v.Number
	f.store.Replace(d, time.Now())
	f.log.Info("dataset version loaded", "number", d.Record, "version", d.Version, "incidents", len(d.Incidents), "how", how, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// MaxInPlace is the most changes (rows of the changes table) a new version
// may bring and still be applied in place: beyond, loading the version
// whole costs about as much.
const MaxInPlace = 100_000

// apply returns snap's version as cur with the changes since applied, or
// an error wrapping store.ErrNoDelta when they cannot be.
func apply(snap *store.Snapshot, cur *geo.Dataset) (*geo.Dataset, error) {
	if cur.Record == 0 {
		return nil, fmt.Errorf("%w: the dataset served is not a version of the record", store.ErrNoDelta)
	}
	delta, err := snap.ChangesSince(cur.Record, MaxInPlace)
	if err != nil {
		return nil, err
	}
	c := geo.Changes{Version: snap.Version().Digest, Incidents: delta.Incidents}
	if delta.Bases {
		b, err := snap.Open(geo.BasesFile)
		if err != nil {
			return nil, err
		}
		defer b.Close()
		c.Bases = b
	}
	return cur.Apply(c)
}

// Close stops following and waits for a load under way to give up.
func (f *Follower) Close() {
	f.stop()
	<-f.done
}
