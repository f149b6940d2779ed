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

// TestStoreOnReplaceRemove registers two hooks and removes one: the other
// still hears every replacement, the removed one none after its removal,
// and removing twice is harmless.
func TestStoreOnReplaceRemove(t *testing.T) {
	a := validDataset(t)
	s := geo.NewStore(a, time.Now())
	var kept, removed []*geo.Dataset
	s.OnReplace(func(d *geo.Dataset) { kept = append(kept, d) })
	remove := s.OnReplace(func(d *geo.Dataset) { removed = append(removed, d) })
	b := validDataset(t)
	s.Replace(b, time.Now())
	remove()
	remove()
	c := validDataset(t)
	s.Replace(c, time.Now())
	if len(kept) != 2 || kept[0] != b || kept[1] != c {
		t.Errorf("the kept hook heard %d replacements, want b then c", len(kept))
	}
	if len(removed) != 1 || removed[0] != b {
		t.Errorf("the removed hook heard %d replacements, want only b, before its removal", len(removed))
	}
}
