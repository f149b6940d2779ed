package geo_test

import (
	"testing"
	"time"

	"strikemap/internal/geo"
)

func TestStoreReplace(t *testing.T) {
	a := validDataset(t)
	b := validDataset(t)
	t0 := time.Date(2023, 10, 23, 12, 0, 0, 0, time.UTC)
	s := geo.NewStore(a, t0)
	if d, at := s.Snapshot(); d != a || !at.Equal(t0) || s.Dataset() != a || !s.LoadedAt().Equal(t0) {
		t.Fatalf("new store serves %p loaded %v, want %p loaded %v", d, at, a, t0)
	}
	t1 := t0.Add(time.Hour)
	s.Replace(b, t1)
	if d, at := s.Snapshot(); d != b || !at.Equal(t1) {
		t.Errorf("after Replace: %p loaded %v, want %p loaded %v", d, at, b, t1)
	}
}
