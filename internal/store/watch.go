package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// VersionsChannel is the PostgreSQL notification channel a new dataset
// version is announced on (migration 0004's trigger on versions).
const VersionsChannel = "strikemap_versions"

// WatchOptions configure Watch.
type WatchOptions struct {
	// Poll is how often the newest version is read: SQLite's only way to
	// learn of another process's version, and PostgreSQL's fallback for a
	// notification lost while its connection was down. 0 means 200 ms on
	// SQLite and 5 s on PostgreSQL.
	Poll time.Duration
	// OnError, when set, hears of each failed check or lost listening
	// connection (Watch goes on).
	OnError func(error)
	// Checked, when set, hears the newest version's number after each
	// check of it, whether or not it changed (after seen, when it did): a
	// test waits on it for a look that found nothing new.
	Checked func(number int64)
}

// Watch calls seen with the newest dataset version's number whenever it
// differs from the one seen before (first with the number at the start),
// until ctx ends. On PostgreSQL it listens on VersionsChannel, so a version
// another process makes is seen as its transaction commits, and it checks
// again after every reconnection; on SQLite it polls MAX(number), an index
// lookup.
func (s *Store) Watch(ctx context.Context, opts WatchOptions, seen func(number int64)) {
	if opts.Poll <= 0 {
		opts.Poll = 200 * time.Millisecond
		if s.dialect == Postgres {
			opts.Poll = 5 * time.Second
		}
	}
	fail := func(err error) {
		if opts.OnError != nil && ctx.Err() == nil {
			opts.OnError(err)
		}
	}
	last := int64(-1)
	check := func() {
		n, err := s.LatestNumber(ctx)
		if err != nil {
			fail(err)
			return
		}
		if n != last {
			last = n
			seen(n)
		}
		if opts.Checked != nil {
			opts.Checked(n)
		}
	}
	if s.dialect != Postgres {
		t := time.NewTicker(opts.Poll)
		defer t.Stop()
		for {
			check()
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, s.url)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+VersionsChannel)
		}
		if err != nil {
			fail(err)
			if conn != nil {
				conn.Close(context.Background())
			}
			// Poll while the listener is down, so versions are still seen.
			check()
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, opts.Poll)
			continue
		}
		backoff = 100 * time.Millisecond
		check() // what was made while not listening
		for ctx.Err() == nil {
			wait, cancel := context.WithTimeout(ctx, opts.Poll)
			_, err := conn.WaitForNotification(wait)
			cancel()
			if ctx.Err() != nil {
				break
			}
			if err != nil && conn.IsClosed() {
				fail(err) // the connection broke: listen again
				break
			}
			check() // on a notification, or the periodic check
		}
		conn.Close(context.Background())
	}
}
