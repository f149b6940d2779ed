package geo

import (
	"sync/atomic"
	"time"
)

// Store holds the dataset being served. Readers take one snapshot per request
// with Dataset, so a reload never mixes two versions in one response.
type Store struct {
	current atomic.Pointer[loaded]
}

type loaded struct {
	data     *Dataset
	loadedAt time.Time
}

// NewStore returns a Store serving d, loaded at the given time.
func NewStore(d *Dataset, loadedAt time.Time) *Store {
	s := &Store{}
	s.Replace(d, loadedAt)
	return s
}

// Dataset returns the dataset being served now.
func (s *Store) Dataset() *Dataset { return s.current.Load().data }

// LoadedAt returns when the dataset being served was loaded.
func (s *Store) LoadedAt() time.Time { return s.current.Load().loadedAt }

// Snapshot returns the dataset being served and when it was loaded, read
// together: calling Dataset and then LoadedAt could straddle a reload.
func (s *Store) Snapshot() (*Dataset, time.Time) {
	l := s.current.Load()
	return l.data, l.loadedAt
}

// Replace starts serving d in place of the current dataset.
func (s *Store) Replace(d *Dataset, loadedAt time.Time) {
	s.current.Store(&loaded{data: d, loadedAt: loadedAt})
}
