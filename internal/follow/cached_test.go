package follow_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/follow"
	"strikemap/internal/geo"
	"strikemap/internal/loadcache"
	"strikemap/internal/store"
)

// sameDataset fails unless got is what a full load of the record's newest
// version (follow.Load, the oracle) gives.
func sameDataset(t *testing.T, rec *store.Store, got *geo.Dataset) {
	t.Helper()
	want, err := follow.Load(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	if got.Record != want.Record || got.Version != want.Version {
		t.Fatalf("loaded version %d (%s), a full load %d (%s)", got.Record, got.Version, want.Record, want.Version)
	}
	if !reflect.DeepEqual(got.Incidents, want.Incidents) || !reflect.DeepEqual(got.Bases, want.Bases) ||
		!slices.Equal(fileOrder(got), fileOrder(want)) || !reflect.DeepEqual(got.Strikes, want.Strikes) ||
		!reflect.DeepEqual(got.OfficialCounts, want.OfficialCounts) {
		t.Fatal("the dataset loaded through the cache differs from a full load")
	}
}

// A start from a record reads its snapshot when the snapshot is of one of
// the record's versions, applies the changes since, and writes a snapshot
// of the newest version for the next start; a snapshot of a record made
// again from scratch, or a damaged one, is not used. Each load equals a
// full load of the record (follow.Load).
func TestLoadCached(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			url := b.url(t)
			rec := open(t, url)
			if _, err := rec.Import(ctx, data.FS, store.ImportAuthor, "first"); err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&log, nil))
			cache, err := loadcache.Open(t.TempDir(), logger)
			if err != nil {
				t.Fatal(err)
			}
			defer cache.Close()
			load := func() *geo.Dataset {
				t.Helper()
				log.Reset()
				d, err := follow.LoadCached(ctx, rec, cache, logger)
				if err != nil {
					t.Fatal(err)
				}
				cache.Wait()
				sameDataset(t, rec, d)
				return d
			}
			path := cache.RecordPath(rec.String())

			// No snapshot: the record is loaded whole, and its snapshot written.
			load()
			if !strings.Contains(log.String(), "dataset snapshot written") || strings.Contains(log.String(), "record snapshot read") {
				t.Fatalf("first load's log:\n%s", log.String())
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatal(err)
			}

			// The snapshot of the newest version: read, and nothing written.
			load()
			if !strings.Contains(log.String(), "record snapshot read") || strings.Contains(log.String(), "dataset snapshot written") || strings.Contains(log.String(), "loading the record whole") {
				t.Fatalf("second load's log:\n%s", log.String())
			}

			// A change approved since: the snapshot is read, the change
			// applied, and a snapshot of version 2 written.
			d1, err := follow.Load(ctx, rec)
			if err != nil {
				t.Fatal(err)
			}
			editor, err := rec.AddUser(ctx, "cache-test", store.Editor, "correct horse battery staple")
			if err != nil {
				t.Fatal(err)
			}
			changed := d1.Incidents[3].ID
			before, after := edited(t, rec, changed, "", "Changed after the snapshot")
			if _, err := rec.Edit(ctx, editor, "a change", store.Edit{File: geo.IncidentsFile, ID: changed, Before: before, After: after}); err != nil {
				t.Fatal(err)
			}
			d2 := load()
			if inc, ok := d2.Incident(changed); !ok || inc.Outcome != "Changed after the snapshot" || d2.Record != 2 {
				t.Fatalf("version %d, the changed incident %+v", d2.Record, inc)
			}
			if !strings.Contains(log.String(), "record snapshot read") || !strings.Contains(log.String(), "dataset snapshot written") || strings.Contains(log.String(), "loading the record whole") {
				t.Fatalf("the load after a change's log:\n%s", log.String())
			}
			if snap, err := cache.ReadRecord(rec.String()); err != nil || snap.Record != 2 {
				t.Fatalf("the snapshot written after the change: %v, %v", snap, err)
			}

			// A damaged snapshot is not used.
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			raw[len(raw)/2] ^= 0xff
			if err := os.WriteFile(path, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			load()
			if !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "checksum") {
				t.Fatalf("the load from a damaged snapshot's log:\n%s", log.String())
			}

			// The record made again from scratch, with other data: its
			// version 2 is not the snapshot's.
			load() // the snapshot of version 2 again
			if b.name != "sqlite" {
				return // made again below by deleting its file: the SQLite record covers it
			}
			if err := rec.Close(); err != nil {
				t.Fatal(err)
			}
			file := strings.TrimPrefix(url, "sqlite:")
			for _, f := range []string{file, file + "-wal", file + "-shm"} {
				os.Remove(f)
			}
			rec = open(t, url)
			if _, err := rec.Import(ctx, data.FS, store.ImportAuthor, "first again"); err != nil {
				t.Fatal(err)
			}
			editor, err = rec.AddUser(ctx, "cache-test", store.Editor, "correct horse battery staple")
			if err != nil {
				t.Fatal(err)
			}
			before, after = edited(t, rec, changed, "", "Another change")
			if _, err := rec.Edit(ctx, editor, "another change", store.Edit{File: geo.IncidentsFile, ID: changed, Before: before, After: after}); err != nil {
				t.Fatal(err)
			}
			d := load()
			if inc, _ := d.Incident(changed); inc.Outcome != "Another change" {
				t.Fatalf("the record made again serves %q", inc.Outcome)
			}
			if !strings.Contains(log.String(), "not of this record") {
				t.Fatalf("the load of a record made again's log:\n%s", log.String())
			}
		})
	}
}
