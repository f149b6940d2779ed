package store

import (
	"context"
	"io"
	"testing"
	"time"

	"strikemap/internal/geo"
)

// TestWritesGoOnDuringARead: a read of the record (a Snapshot, which a
// server holds open while it loads a whole record, minutes at a million
// incidents) does not hold up a write on either engine. On SQLite every
// read transaction began IMMEDIATE, taking the write lock, and a write
// meanwhile waited out the 10 s busy timeout and failed with "database is
// locked"; here it must be done within 3 s, while the read is open, and the
// read must go on as before.
func TestWritesGoOnDuringARead(t *testing.T) {
	eachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		s := open(t, url)
		if _, err := s.Import(ctx, mapFS(shipped(t)), ImportAuthor, ""); err != nil {
			t.Fatal(err)
		}
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Close()
		f, err := snap.Open(geo.BasesFile) // the read under way
		if err != nil {
			t.Fatal(err)
		}
		before, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		if _, err := s.AddUserWithoutPassword(wctx, "writer", Contributor); err != nil {
			t.Fatalf("a write while a read is open: %v", err)
		}
		f, err = snap.Open(geo.BasesFile)
		if err != nil {
			t.Fatal(err)
		}
		after, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(after) != string(before) {
			t.Errorf("the open read's bases read again (%v): %d bytes, then %d", err, len(before), len(after))
		}
	})
}
