package loader

import (
	"hash/maphash"
	"strings"
)

// Text gives decoded strings their lasting memory, in few large blocks
// instead of millions of small allocations: a million incidents hold some
// four million strings (ids, URLs, notes). Repeated text (publishers,
// paraphrases, outcomes) is shared through a small cache, so it costs
// nothing to keep however often it recurs, while text that never repeats
// (ids, most URLs) does not fill a map. Each loading goroutine has its own;
// the zero Text is ready to use.
//
// The strings point into blocks that are only ever appended to, so a
// string's bytes never change after it is made; a block lives as long as
// any string in it (see unsafe.go).
type Text struct {
	block  []byte // the current block; strings are copied to its end
	cache  [internSlots]string
	seed   maphash.Seed
	seeded bool
}

const (
	textBlock   = 256 << 10
	internSlots = 4096 // a power of two
	listBlock   = 4096
)

// Copy returns s in the Text's memory: s may be a view of a buffer that
// will be reused.
func (t *Text) Copy(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > cap(t.block)-len(t.block) {
		if len(s) > textBlock/8 {
			return strings.Clone(s)
		}
		t.block = make([]byte, 0, textBlock)
	}
	off := len(t.block)
	t.block = append(t.block, s...)
	return view(t.block[off:])
}

// Intern returns s in the Text's memory, shared with an equal string kept
// recently.
func (t *Text) Intern(s string) string {
	if s == "" {
		return ""
	}
	if !t.seeded {
		t.seed, t.seeded = maphash.MakeSeed(), true
	}
	slot := &t.cache[maphash.String(t.seed, s)&(internSlots-1)]
	if *slot == s {
		return *slot
	}
	*slot = t.Copy(s)
	return *slot
}

// Blocks hands out short slices of T from large blocks, for the lists of
// decoded values (an incident's sources, its claimants). The zero Blocks is
// ready to use.
type Blocks[T any] struct {
	cur []T
}

// Take returns a slice of n zero values, of capacity n, so that appending
// to it never writes over the next one.
func (b *Blocks[T]) Take(n int) []T {
	if n > cap(b.cur)-len(b.cur) {
		b.cur = make([]T, 0, max(listBlock, n))
	}
	l := len(b.cur)
	b.cur = b.cur[:l+n]
	return b.cur[l : l+n : l+n]
}
