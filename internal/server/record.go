package server

import (
	"context"
	"fmt"
	"time"

	"strikemap/internal/geo"
)

// recordChanged serves the record's dataset as it is now in the database
// (Options.Record): called after an approval or a direct edit made version
// digest, so that this process serves it at once. It reads the record as
// the files geo.Load reads, as cmd/web does at start. A dataset already
// being served (digest equal to its Version) is not read again, so that a
// second caller for the same version, such as hist16's follower of other
// processes' changes, costs nothing.
func (s *Server) recordChanged(ctx context.Context, digest string) error {
	if s.opts.Record == nil {
		return nil
	}
	s.recordMu.Lock()
	defer s.recordMu.Unlock()
	if digest != "" && s.store.Dataset().Version == digest {
		return nil
	}
	fsys, err := s.opts.Record.FS(ctx)
	if err != nil {
		return fmt.Errorf("read the record after a change: %w", err)
	}
	d, err := geo.Load(fsys)
	if err != nil {
		return fmt.Errorf("load the record after a change: %w", err)
	}
	if d.Version != s.store.Dataset().Version {
		s.store.Replace(d, time.Now())
	}
	return nil
}
