package geo

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Store holds the dataset being served. Readers take one snapshot per request
// with Dataset, so a reload never mixes two versions in one response.
type Store struct {
	current atomic.Pointer[loaded]
	mu      sync.Mutex
	hooks   []*hook
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

// Replace starts serving d in place of the current dataset, and then calls
// the functions given to OnReplace with it.
func (s *Store) Replace(d *Dataset, loadedAt time.Time) {
	s.current.Store(&loaded{data: d, loadedAt: loadedAt})
	s.mu.Lock()
	hooks := s.hooks
	s.mu.Unlock()
	for _, h := range hooks {
		h.f(d)
	}
}

// OnReplace calls f with every dataset the store starts serving from now
// on, such as one reloaded after its files changed, until the returned
// function is called. f must return quickly: it runs before Replace
// returns.
func (s *Store) OnReplace(f func(*Dataset)) (remove func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &hook{f: f}
	s.hooks = append(s.hooks, h)
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.hooks = slices.DeleteFunc(slices.Clone(s.hooks), func(o *hook) bool { return o == h })
	}
}

// A hook is one function given to OnReplace; its address tells it apart.
type hook struct{ f func(*Dataset) }
