package geo

import (
	"hash/maphash"
	"strings"
	"unsafe"
)

// A keeper gives the text and lists of decoded incidents their lasting
// memory, in few large blocks instead of millions of small allocations: a
// million incidents hold some four million strings (ids, URLs, notes) and
// two million sources. Repeated text (publishers, paraphrases, outcomes,
// claimants) is shared through a small cache, so it costs nothing to keep
// however often it recurs, while text that never repeats (ids, most URLs)
// does not fill a map. Each loading goroutine has its own keeper.
//
// The strings point into byte blocks that are only ever appended to, so a
// string's bytes never change after it is made; a block lives as long as
// any string in it. This is the one place in strikemap that uses unsafe.
type keeper struct {
	text    []byte // the current text block; strings are copied to its end
	cache   [internSlots]string
	seed    maphash.Seed
	sources []Source // the current block of sources
	strs    []string // the current block of string lists
}

const (
	textBlock   = 256 << 10
	internSlots = 4096 // a power of two
	listBlock   = 4096
)

func newKeeper() *keeper { return &keeper{seed: maphash.MakeSeed()} }

// copy returns s in the keeper's memory: s may point into a buffer that
// will be reused.
func (k *keeper) copy(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > cap(k.text)-len(k.text) {
		if len(s) > textBlock/8 {
			return strings.Clone(s)
		}
		k.text = make([]byte, 0, textBlock)
	}
	off := len(k.text)
	k.text = append(k.text, s...)
	return unsafe.String(&k.text[off], len(s))
}

// intern returns s in the keeper's memory, shared with an equal string
// kept recently.
func (k *keeper) intern(s string) string {
	if s == "" {
		return ""
	}
	slot := &k.cache[maphash.String(k.seed, s)&(internSlots-1)]
	if *slot == s {
		return *slot
	}
	*slot = k.copy(s)
	return *slot
}

// sourceList returns a slice of n sources from the current block.
func (k *keeper) sourceList(n int) []Source {
	if n > cap(k.sources)-len(k.sources) {
		k.sources = make([]Source, 0, max(listBlock, n))
	}
	l := len(k.sources)
	k.sources = k.sources[:l+n]
	return k.sources[l : l+n : l+n]
}

// strings returns a copy of list, each string interned (or mapped through
// canon when canon is not nil), from the current block.
func (k *keeper) strings(list []string, canon func(string) string) []string {
	if len(list) == 0 {
		return nil
	}
	n := len(list)
	if n > cap(k.strs)-len(k.strs) {
		k.strs = make([]string, 0, max(listBlock, n))
	}
	l := len(k.strs)
	k.strs = k.strs[:l+n]
	out := k.strs[l : l+n : l+n]
	for i, s := range list {
		if canon != nil {
			out[i] = canon(s)
		} else {
			out[i] = k.intern(s)
		}
	}
	return out
}

// incident moves every string of a valid inc into the keeper's memory. Its sources are
// already in a block (see sourceList).
func (k *keeper) incident(inc *Incident, baseIDs map[string]string) {
	inc.ID = k.copy(inc.ID)
	if inc.Base != "" {
		inc.Base = baseIDs[inc.Base]
	}
	inc.Outcome = k.intern(inc.Outcome)
	inc.Notes = k.intern(inc.Notes)
	inc.ClaimedBy = k.strings(inc.ClaimedBy, nil)
	inc.Disputed = k.strings(inc.Disputed, func(s string) string { return canonical(DisputableFields, s) })
	for i := range inc.Sources {
		s := &inc.Sources[i]
		s.Publisher = k.intern(s.Publisher)
		s.URL = k.intern(s.URL)
		s.Says = k.intern(s.Says)
	}
}

// canonical returns the element of list equal to v (which the caller has
// validated), so that no copy of v is kept.
func canonical(list []string, v string) string {
	for _, w := range list {
		if w == v {
			return w
		}
	}
	return strings.Clone(v)
}
