package cluster

import (
	"math"
	"sync"
)

// The KD-tree is kdbush's (github.com/mourner/kdbush), which supercluster
// uses: static, packed into the point arrays themselves. Sorting reorders the
// interleaved coordinates [x0, y0, x1, y1, ...] (and a parallel permutation)
// so that every run [left, right] longer than nodeSize has its median, split
// on x at even depths and on y at odd ones, at (left+right)/2. No nodes, no
// pointers: the tree is the order of the slice.

// nodeSize is the number of points under which a run is scanned linearly
// rather than split; supercluster's default.
const nodeSize = 64

// parallelMin is the run length above which kdSort sorts the two halves in
// separate goroutines.
const parallelMin = 1 << 16

// kdSort orders coords (interleaved x, y) as a KD-tree, permuting perm along
// with it, so that perm[i] is where the point now at i was before. It returns
// the tree's split values in breadth-first order (node k's children are
// 2k+1 and 2k+2): searches read them instead of the medians' coordinates,
// which would be a cache miss each, deep in the tree.
func kdSort(coords []float64, perm []int32, parallelDepth int) []float64 {
	splits := make([]float64, kdNodes(len(perm)))
	kdSortRange(coords, perm, splits, 0, 0, len(perm)-1, 0, parallelDepth)
	return splits
}

// kdNodes returns the size of the breadth-first array of split nodes of a
// tree over n points.
func kdNodes(n int) int {
	levels := 0
	for l := n; l > nodeSize+1; l = l / 2 { // the larger half of a split run
		levels++
	}
	return 1<<levels - 1
}

func kdSortRange(coords []float64, perm []int32, splits []float64, node, left, right, axis, parallelDepth int) {
	if right-left <= nodeSize {
		return
	}
	m := (left + right) >> 1
	kdSelect(coords, perm, m, left, right, axis)
	splits[node] = coords[2*m+axis]
	if parallelDepth > 0 && right-left > parallelMin {
		var wg sync.WaitGroup
		wg.Go(func() { kdSortRange(coords, perm, splits, 2*node+1, left, m-1, 1-axis, parallelDepth-1) })
		kdSortRange(coords, perm, splits, 2*node+2, m+1, right, 1-axis, parallelDepth-1)
		wg.Wait()
		return
	}
	kdSortRange(coords, perm, splits, 2*node+1, left, m-1, 1-axis, 0)
	kdSortRange(coords, perm, splits, 2*node+2, m+1, right, 1-axis, 0)
}

// kdSelect rearranges [left, right] so that the k-th smallest on axis is at k,
// smaller ones before it and larger ones after: Floyd and Rivest's selection.
func kdSelect(coords []float64, perm []int32, k, left, right, axis int) {
	for right > left {
		if right-left > 600 {
			n := float64(right - left + 1)
			m := float64(k - left + 1)
			z := math.Log(n)
			s := 0.5 * math.Exp(2*z/3)
			sd := 0.5 * math.Sqrt(z*s*(n-s)/n)
			if m-n/2 < 0 {
				sd = -sd
			}
			newLeft := max(left, int(math.Floor(float64(k)-m*s/n+sd)))
			newRight := min(right, int(math.Floor(float64(k)+(n-m)*s/n+sd)))
			kdSelect(coords, perm, k, newLeft, newRight, axis)
		}
		t := coords[2*k+axis]
		i, j := left, right
		kdSwap(coords, perm, left, k)
		if coords[2*right+axis] > t {
			kdSwap(coords, perm, left, right)
		}
		for i < j {
			kdSwap(coords, perm, i, j)
			i++
			j--
			for coords[2*i+axis] < t {
				i++
			}
			for coords[2*j+axis] > t {
				j--
			}
		}
		if coords[2*left+axis] == t {
			kdSwap(coords, perm, left, j)
		} else {
			j++
			kdSwap(coords, perm, j, right)
		}
		if j <= k {
			left = j + 1
		}
		if k <= j {
			right = j - 1
		}
	}
}

func kdSwap(coords []float64, perm []int32, i, j int) {
	perm[i], perm[j] = perm[j], perm[i]
	coords[2*i], coords[2*j] = coords[2*j], coords[2*i]
	coords[2*i+1], coords[2*j+1] = coords[2*j+1], coords[2*i+1]
}

// kdSpan is a run of the tree still to visit: its node in the breadth-first
// order and the axis it splits on.
type kdSpan struct{ left, right, node, axis int32 }

// kdStackSize bounds the traversal stack: each step pops one span and pushes
// at most two, one level deeper, and a tree over 2^31 points is less than 32
// levels deep.
const kdStackSize = 64

// kdWithin appends to dst the positions of the points within distance r
// (inclusive) of (qx, qy), in tree order.
func kdWithin(coords, splits []float64, qx, qy, r float64, dst []int32) []int32 {
	dst, _ = kdWithinMax(coords, splits, qx, qy, r, math.MaxInt, dst)
	return dst
}

// kdWithinMax is kdWithin stopping once it has found more than limit points,
// for a search that only wants short answers: ok is false if it stopped.
func kdWithinMax(coords, splits []float64, qx, qy, r float64, limit int, dst []int32) (_ []int32, ok bool) {
	n := len(coords) / 2
	if n == 0 {
		return dst, true
	}
	limit += len(dst)
	var stack [kdStackSize]kdSpan
	stack[0] = kdSpan{0, int32(n - 1), 0, 0}
	sp := 1
	r2 := r * r
	for sp > 0 {
		sp--
		s := stack[sp]
		left, right := int(s.left), int(s.right)
		if right-left <= nodeSize {
			for i := left; i <= right; i++ {
				dx, dy := coords[2*i]-qx, coords[2*i+1]-qy
				if dx*dx+dy*dy <= r2 {
					dst = append(dst, int32(i))
				}
			}
			if len(dst) > limit {
				return dst, false
			}
			continue
		}
		m := (left + right) >> 1
		v, q := splits[s.node], qx
		if s.axis == 1 {
			q = qy
		}
		if q-r <= v && q+r >= v {
			if dx, dy := coords[2*m]-qx, coords[2*m+1]-qy; dx*dx+dy*dy <= r2 {
				dst = append(dst, int32(m))
			}
		}
		if q-r <= v {
			stack[sp] = kdSpan{s.left, int32(m - 1), 2*s.node + 1, 1 - s.axis}
			sp++
		}
		if q+r >= v {
			stack[sp] = kdSpan{int32(m + 1), s.right, 2*s.node + 2, 1 - s.axis}
			sp++
		}
	}
	return dst, len(dst) <= limit
}

// kdRange appends to dst the positions of the points inside the box
// [minX, maxX] × [minY, maxY] (inclusive), in tree order.
func kdRange(coords, splits []float64, minX, minY, maxX, maxY float64, dst []int32) []int32 {
	n := len(coords) / 2
	if n == 0 {
		return dst
	}
	var stack [kdStackSize]kdSpan
	stack[0] = kdSpan{0, int32(n - 1), 0, 0}
	sp := 1
	for sp > 0 {
		sp--
		s := stack[sp]
		left, right := int(s.left), int(s.right)
		if right-left <= nodeSize {
			for i := left; i <= right; i++ {
				x, y := coords[2*i], coords[2*i+1]
				if x >= minX && x <= maxX && y >= minY && y <= maxY {
					dst = append(dst, int32(i))
				}
			}
			continue
		}
		m := (left + right) >> 1
		v, lo, hi := splits[s.node], minX, maxX
		if s.axis == 1 {
			lo, hi = minY, maxY
		}
		if lo <= v && hi >= v {
			if x, y := coords[2*m], coords[2*m+1]; x >= minX && x <= maxX && y >= minY && y <= maxY {
				dst = append(dst, int32(m))
			}
		}
		if lo <= v {
			stack[sp] = kdSpan{s.left, int32(m - 1), 2*s.node + 1, 1 - s.axis}
			sp++
		}
		if hi >= v {
			stack[sp] = kdSpan{int32(m + 1), s.right, 2*s.node + 2, 1 - s.axis}
			sp++
		}
	}
	return dst
}
