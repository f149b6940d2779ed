package geo

import (
	"strings"

	"strikemap/internal/geo/loader"
)

// A keeper gives the text and lists of decoded incidents their lasting
// memory (loader.Text, loader.Blocks), in few large blocks: a million
// incidents hold some four million strings and two million sources. Each
// loading goroutine has its own; the zero keeper is ready to use.
type keeper struct {
	text    loader.Text
	sources loader.Blocks[Source]
	strs    loader.Blocks[string]
}

func newKeeper() *keeper { return new(keeper) }

// copy returns s in the keeper's memory: s may point into a buffer that
// will be reused.
func (k *keeper) copy(s string) string { return k.text.Copy(s) }

// intern returns s in the keeper's memory, shared with an equal string
// kept recently.
func (k *keeper) intern(s string) string { return k.text.Intern(s) }

// sourceList returns a slice of n sources from the current block.
func (k *keeper) sourceList(n int) []Source { return k.sources.Take(n) }

// strings returns a copy of list, each string interned (or mapped through
// canon when canon is not nil), from the current block.
func (k *keeper) strings(list []string, canon func(string) string) []string {
	if len(list) == 0 {
		return nil
	}
	out := k.strs.Take(len(list))
	for i, s := range list {
		if canon != nil {
			out[i] = canon(s)
		} else {
			out[i] = k.intern(s)
		}
	}
	return out
}

// incident moves every string of a valid inc into the keeper's memory. Its
// sources are already in a block (see sourceList).
func (k *keeper) incident(inc *Incident, baseIDs map[string]string) {
	inc.ID = k.copy(inc.ID)
	if inc.Base != "" {
		inc.Base = baseIDs[inc.Base]
	}
	inc.Outcome = k.intern(inc.Outcome)
	inc.Notes = k.intern(inc.Notes)
	inc.ClaimedBy = k.strings(inc.ClaimedBy, nil)
	inc.Disputed = k.strings(inc.Disputed, func(s string) string { return canonical(disputableFields, s) })
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
