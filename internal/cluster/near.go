package cluster

import (
	"runtime"
	"sync"
)

// nearLimit is the most neighbours kept for an entry by nearLists.
const nearLimit = 15

// nearLists holds each entry's neighbours within the clustering radius at
// one zoom, found before the greedy pass. Clustering visits entries in the
// order they were made, which is random in space, so searching the tree as
// it goes costs a cache miss at nearly every step; searching in tree order
// instead, where consecutive entries are neighbours, hits the cache, and
// several goroutines can share the work. An entry with more than nearLimit
// neighbours (a dense spot) gets no list and is searched again when the
// greedy pass reaches it, which it only does if no earlier entry took it:
// so dense data costs no more than supercluster's way.
type nearLists struct {
	chunk int       // entries per worker
	lists [][]int32 // a worker's lists, concatenated
	start []int32   // where entry p's list starts in its worker's lists
	count []uint8   // its length, or tooMany
}

const tooMany = 255

// parallelNear is the fewest entries worth sharing among goroutines.
const parallelNear = 1 << 14

// find fills the lists for the entries of l and radius r.
func (nl *nearLists) find(l *level, r float64) {
	n := len(l.num)
	workers := 1
	if n >= parallelNear {
		workers = min(runtime.GOMAXPROCS(0), 8)
	}
	nl.chunk = (n + workers - 1) / workers
	if cap(nl.start) < n {
		nl.start = make([]int32, n)
		nl.count = make([]uint8, n)
	}
	nl.start, nl.count = nl.start[:n], nl.count[:n]
	for len(nl.lists) < workers {
		nl.lists = append(nl.lists, nil)
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*nl.chunk, min(n, (w+1)*nl.chunk)
		wg.Go(func() { nl.lists[w] = nl.findRange(l, r, lo, hi, nl.lists[w][:0]) })
	}
	wg.Wait()
}

// findRange fills the lists of entries lo to hi-1, appending them to dst.
func (nl *nearLists) findRange(l *level, r float64, lo, hi int, dst []int32) []int32 {
	coords, splits := l.coords, l.splits
	for p := lo; p < hi; p++ {
		start := len(dst)
		var ok bool
		// nearLimit+1: the entry finds itself, and is dropped below.
		dst, ok = kdWithinMax(coords, splits, coords[2*p], coords[2*p+1], r, nearLimit+1, dst)
		if !ok {
			dst = dst[:start]
			nl.count[p] = tooMany
			continue
		}
		// Drop the entry itself, keeping the tree order of the rest.
		k := start
		for _, q := range dst[start:] {
			if q != int32(p) {
				dst[k] = q
				k++
			}
		}
		dst = dst[:k]
		nl.start[p] = int32(start)
		nl.count[p] = uint8(k - start)
	}
	return dst
}

// of returns the neighbours of entry p, in tree order and without p; ok is
// false if p has too many and must be searched again.
func (nl *nearLists) of(p int32) (near []int32, ok bool) {
	c := nl.count[p]
	if c == tooMany {
		return nil, false
	}
	s := nl.start[p]
	return nl.lists[int(p)/nl.chunk][s : s+int32(c)], true
}
