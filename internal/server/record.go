package server

import (
	"context"
	"fmt"
)

// recordChanged serves the record's dataset as it is now in the database
// (Options.Record): called after an approval or a direct edit made version
// digest, so that this process serves it before it answers. The load goes
// through the Follower (cmd/web's, or one that only loads when asked),
// under the one lock that orders every reload, so an older version never
// replaces a newer one. A dataset already being served (digest equal to
// its Version) is not read again.
func (s *Server) recordChanged(ctx context.Context, digest string) error {
	if s.opts.Record == nil {
		return nil
	}
	if digest != "" && s.store.Dataset().Version == digest {
		return nil
	}
	if err := s.opts.Follower.Sync(ctx); err != nil {
		return fmt.Errorf("load the record after a change: %w", err)
	}
	return nil
}
