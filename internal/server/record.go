package server

import (
	"context"
	"fmt"
	"time"

	"strikemap/internal/follow"
)

// recordChanged serves the record's dataset as it is now in the database
// (Options.Record): called after an approval or a direct edit made version
// digest, so that this process serves it before it answers. With a
// Follower (cmd/web) the load goes through it, under the one lock that
// orders every reload, so an older version never replaces a newer one.
// Without one (a server made in a test), the server loads the record
// itself. A dataset already being served (digest equal to its Version) is
// not read again.
func (s *Server) recordChanged(ctx context.Context, digest string) error {
	if s.opts.Record == nil {
		return nil
	}
	if digest != "" && s.store.Dataset().Version == digest {
		return nil
	}
	if s.opts.Follower != nil {
		if err := s.opts.Follower.Sync(ctx); err != nil {
			return fmt.Errorf("load the record after a change: %w", err)
		}
		return nil
	}
	s.recordMu.Lock()
	defer s.recordMu.Unlock()
	if digest != "" && s.store.Dataset().Version == digest {
		return nil
	}
	d, err := follow.Load(ctx, s.opts.Record)
	if err != nil {
		return fmt.Errorf("load the record after a change: %w", err)
	}
	if d.Record > s.store.Dataset().Record {
		s.store.Replace(d, time.Now())
	}
	return nil
}
