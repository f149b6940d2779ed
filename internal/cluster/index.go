package cluster

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Options say how points are clustered. Start from DefaultOptions: the zero
// Options is not valid.
type Options struct {
	// Radius is the cluster radius in pixels of a tile Extent pixels wide:
	// at zoom z, points within Radius/(Extent·2^z) of each other in the
	// Web Mercator unit square are merged.
	Radius float64
	Extent float64
	// MinZoom and MaxZoom bound the zooms at which points are clustered;
	// above MaxZoom every point stands alone. MaxZoom is at most MaxZoomLimit.
	MinZoom, MaxZoom int
	// MinPoints is the fewest points a cluster may hold.
	MinPoints int
}

// MaxZoomLimit is the largest MaxZoom: a cluster ID keeps its zoom in 5 bits.
const MaxZoomLimit = 30

// MaxPoints is the most points an Index holds: a cluster ID keeps a point's
// position in the remaining 26 bits of an int32.
const MaxPoints = 1<<26 - 1

// DefaultOptions returns supercluster's defaults: radius 40 px at extent 512,
// zooms 0 to 16, clusters of at least 2 points.
func DefaultOptions() Options {
	return Options{Radius: 40, Extent: 512, MinZoom: 0, MaxZoom: 16, MinPoints: 2}
}

func (o Options) validate() error {
	switch {
	case !(o.Radius > 0) || math.IsInf(o.Radius, 0):
		return fmt.Errorf("radius %v is not a positive number", o.Radius)
	case !(o.Extent > 0) || math.IsInf(o.Extent, 0):
		return fmt.Errorf("extent %v is not a positive number", o.Extent)
	case o.MinZoom < 0 || o.MaxZoom > MaxZoomLimit || o.MinZoom > o.MaxZoom:
		return fmt.Errorf("zooms %d..%d are not within 0..%d", o.MinZoom, o.MaxZoom, MaxZoomLimit)
	case o.MinPoints < 1:
		return fmt.Errorf("min points %d is less than 1", o.MinPoints)
	}
	return nil
}

// radiusAt returns the cluster radius at zoom z in unit-square coordinates.
func (o Options) radiusAt(z int) float64 {
	return o.Radius / (o.Extent * math.Exp2(float64(z)))
}

// Index holds the clusters of a set of points at every zoom.
type Index struct {
	opts   Options
	points []orb.Point // a copy of the input
	// levels[z-MinZoom] holds the points and clusters at zoom z, for z from
	// MinZoom to MaxZoom+1; the last holds the input points alone.
	levels []level
	// leaves lists the points in leaf order, an order in which the points
	// of every entry, at every zoom, are one run (see level.lo), by their
	// entries in the last level. A Subset counts its points along it.
	leaves []int32
}

// level is one zoom's points and clusters, as a struct of arrays in KD-tree
// order: entry i is at (coords[2i], coords[2i+1]) in the unit square.
type level struct {
	coords []float64
	splits []float64 // the KD-tree's split values, from kdSort
	// num[i] is the number of input points in entry i: 1 for a single point.
	num []int32
	// id[i] is the input index of a single point, or the cluster ID.
	id []int32
	// parent[i] is the ID of the cluster entry i joined at the next zoom
	// down, or -1 if it stayed apart (or this is the lowest zoom).
	parent []int32
	// lo[i] is where entry i's points start in the leaf order: they are
	// leaves[lo[i] : lo[i]+num[i]].
	lo []int32
}

// ErrNoCluster is returned for a cluster ID the Index did not make.
var ErrNoCluster = errors.New("no cluster with this id")

// New clusters points ([lon, lat] degrees) at every zoom from opts.MinZoom
// to opts.MaxZoom. Latitudes beyond about ±85.05° are clamped to the edge of
// the Web Mercator square; coordinates must be finite. The Index keeps a copy
// of points, so Clusters can return single points exactly as given.
//
// Which points join which cluster depends on the order of points, as in
// supercluster: clustering at each zoom takes entries in the order the zoom
// above made them, starting from the input order.
func New(points []orb.Point, opts Options) (*Index, error) {
	return NewContext(context.Background(), points, opts)
}

// NewContext is New that gives up, with ctx's error, once ctx is done: an
// index of a million points takes a second or more, which a reload or a
// shutdown should not wait for. It looks at ctx before each zoom.
func NewContext(ctx context.Context, points []orb.Point, opts Options) (*Index, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	n := len(points)
	if n > MaxPoints {
		return nil, fmt.Errorf("%d points are more than %d", n, MaxPoints)
	}
	ix := &Index{
		opts:   opts,
		points: make([]orb.Point, n),
		levels: make([]level, opts.MaxZoom+2-opts.MinZoom),
	}
	copy(ix.points, points)

	b := builder{
		opts:    opts,
		coords:  make([]float64, 2*n),
		num:     make([]int32, n),
		id:      make([]int32, n),
		perm:    make([]int32, n),
		order:   make([]int32, n),
		src:     make([]int32, n),
		visited: make([]bool, n),
	}
	for i, p := range points {
		if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
			return nil, fmt.Errorf("point %d (%v, %v) is not finite", i, p[0], p[1])
		}
		b.coords[2*i] = lonX(p[0])
		b.coords[2*i+1] = latY(p[1])
		b.num[i] = 1
		b.id[i] = int32(i)
	}
	top := len(ix.levels) - 1
	ix.levels[top] = b.finish(n)
	// up[k][t] is where entry t of levels[k] stands in levels[k+1] when it
	// merged nothing there, or -1 for a cluster made at that zoom.
	up := make([][]int32, top)
	for z := opts.MaxZoom; z >= opts.MinZoom; z-- {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := z - opts.MinZoom
		from := &ix.levels[k+1]
		m, merged := b.cluster(from, z)
		if merged {
			ix.levels[k] = b.finish(m)
			up[k] = make([]int32, m)
			for t, i := range b.perm[:m] {
				up[k][t] = b.src[i]
			}
		} else {
			ix.levels[k] = b.share(from)
		}
	}
	ix.leafOrder(up)
	return ix, nil
}

// leafOrder numbers the points so that every entry's points are one run,
// from the lowest zoom up: an entry's run is split among its children at
// the next zoom (a cluster made there) or passed on whole (an entry that
// merged nothing). It sets each level's lo and ix.leaves.
func (ix *Index) leafOrder(up [][]int32) {
	first := &ix.levels[0]
	first.lo = make([]int32, len(first.num))
	var at int32
	for t, c := range first.num {
		first.lo[t] = at
		at += c
	}
	cursor := make([]int32, len(ix.points)) // a cluster's next free leaf, by its origin's position
	for k := 0; k+1 < len(ix.levels); k++ {
		cur, next := &ix.levels[k], &ix.levels[k+1]
		if up[k] == nil { // nothing merged: the same entries
			next.lo = cur.lo
			continue
		}
		next.lo = make([]int32, len(next.num))
		for t, u := range up[k] {
			if u >= 0 {
				next.lo[u] = cur.lo[t]
			} else {
				cursor[cur.id[t]>>5] = cur.lo[t]
			}
		}
		for i, p := range next.parent {
			if p >= 0 {
				o := p >> 5
				next.lo[i] = cursor[o]
				cursor[o] += next.num[i]
			}
		}
	}
	last := &ix.levels[len(ix.levels)-1]
	ix.leaves = make([]int32, len(ix.points))
	for t, k := range last.lo {
		ix.leaves[k] = int32(t)
	}
}

// builder holds the scratch space of New, sized for the input and reused at
// every zoom. coords, num and id hold the entries of the level being made,
// in the order supercluster makes them; order maps that order to KD-tree
// positions in the level last finished.
type builder struct {
	opts       Options
	coords     []float64
	num, id    []int32
	perm       []int32
	order      []int32
	src        []int32 // the position in the level above of each entry made, or -1
	visited    []bool
	neighbours []int32
	near       nearLists
}

// finish turns the first m entries of the scratch arrays into a level in
// KD-tree order, and leaves in b.order where each entry went.
func (b *builder) finish(m int) level {
	l := level{
		coords: make([]float64, 2*m),
		num:    make([]int32, m),
		id:     make([]int32, m),
		parent: make([]int32, m),
	}
	copy(l.coords, b.coords[:2*m])
	perm := b.perm[:m]
	for i := range perm {
		perm[i] = int32(i)
	}
	l.splits = kdSort(l.coords, perm, 1)
	for t, i := range perm {
		l.num[t] = b.num[i]
		l.id[t] = b.id[i]
		l.parent[t] = -1
		b.order[i] = int32(t)
	}
	return l
}

// share returns a level with the same entries as from, for a zoom at which
// nothing merged: it shares from's arrays and tree, and has parents of its
// own. It leaves in b.order where each entry is.
func (b *builder) share(from *level) level {
	l := *from
	l.parent = make([]int32, len(from.parent))
	for i := range l.parent {
		l.parent[i] = -1
	}
	copy(b.order, b.src[:len(from.num)])
	return l
}

// cluster merges the entries of from at zoom z, as supercluster does: in the
// order from's entries were made, each entry not yet taken takes every
// untaken neighbour within the radius, if that makes at least MinPoints.
// The neighbours are searched for first, in KD-tree order, where each search
// finds the tree nodes the last one left in the cache (see nearLists).
// It writes the new entries to the scratch arrays and returns their number,
// and whether any merged.
func (b *builder) cluster(from *level, z int) (m int, merged bool) {
	r := b.opts.radiusAt(z)
	minPoints := int64(b.opts.MinPoints)
	n := len(from.num)
	visited := b.visited[:n]
	clear(visited)
	coords, num := from.coords, from.num
	b.near.find(from, r)
	emit := func(src int32, x, y float64, count, id int32) {
		b.coords[2*m], b.coords[2*m+1] = x, y
		b.num[m], b.id[m], b.src[m] = count, id, src
		m++
	}
	for _, p := range b.order[:n] {
		if visited[p] {
			continue
		}
		visited[p] = true
		x, y := coords[2*p], coords[2*p+1]
		neighbours, ok := b.near.of(p)
		if !ok {
			b.neighbours = kdWithin(coords, from.splits, x, y, r, b.neighbours[:0])
			neighbours = b.neighbours
		}

		origin := int64(num[p])
		total := origin
		for _, q := range neighbours {
			if !visited[q] {
				total += int64(num[q])
			}
		}
		if total > origin && total >= minPoints {
			id := p<<5 | int32(z+1)
			wx, wy := x*float64(origin), y*float64(origin)
			for _, q := range neighbours {
				if visited[q] {
					continue
				}
				visited[q] = true
				w := float64(num[q])
				wx += coords[2*q] * w
				wy += coords[2*q+1] * w
				from.parent[q] = id
			}
			from.parent[p] = id
			emit(-1, wx/float64(total), wy/float64(total), int32(total), id)
			merged = true
			continue
		}
		emit(p, x, y, num[p], from.id[p])
		if total > 1 {
			// Too few to cluster: the neighbours stay apart, and are
			// done at this zoom.
			for _, q := range neighbours {
				if visited[q] {
					continue
				}
				visited[q] = true
				emit(q, coords[2*q], coords[2*q+1], num[q], from.id[q])
			}
		}
	}
	return m, merged
}
