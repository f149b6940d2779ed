package cluster

import (
	"sort"

	"github.com/paulmach/orb"
)

// Subset is some of an Index's points (a filter's matches, say), clustered
// as the Index clusters them all: at every zoom, a cluster of the Subset is
// a cluster of the Index with the points it holds of the Subset, at their
// centroid. Making one reads every point once; its queries then cost what
// the Index's do, where building an Index of the subset would take a second
// or more at a million points.
//
// A Subset keeps, along the Index's leaf order (in which every entry's
// points are one run), how many of its points, and the sums of their
// coordinates, come before each position: an entry's share is then two
// subtractions. That is 20 bytes a point.
type Subset struct {
	ix     *Index
	count  []int32   // count[k]: points of the subset among the first k leaves
	sx, sy []float64 // the sums of their Web Mercator x and y
}

// Subset returns the subset of ix's points i (indexes into the points given
// to New) for which keep(i) is true.
func (ix *Index) Subset(keep func(i int) bool) *Subset {
	n := len(ix.leaves)
	s := &Subset{ix: ix, count: make([]int32, n+1), sx: make([]float64, n+1), sy: make([]float64, n+1)}
	top := &ix.levels[len(ix.levels)-1]
	var c int32
	var x, y float64
	for k, t := range ix.leaves {
		if keep(int(top.id[t])) {
			c++
			x += top.coords[2*t]
			y += top.coords[2*t+1]
		}
		s.count[k+1], s.sx[k+1], s.sy[k+1] = c, x, y
	}
	return s
}

// Len returns the number of points in the Subset.
func (s *Subset) Len() int { return int(s.count[len(s.count)-1]) }

// Clusters returns the Subset's clusters and single points inside bound at
// zoom, as Index.Clusters does: each of the Index's clusters there that
// holds any of the Subset's points, with their count and at their
// centroid, or, holding one, that point alone. A cluster keeps the Index's
// ID, for ExpansionZoom.
func (s *Subset) Clusters(bound orb.Bound, zoom int) []Cluster {
	return s.AppendClusters(nil, bound, zoom)
}

// AppendClusters is Clusters appending to dst.
func (s *Subset) AppendClusters(dst []Cluster, bound orb.Bound, zoom int) []Cluster {
	ix := s.ix
	ix.eachIn(bound, zoom, func(l *level, i int32) {
		lo, hi := l.lo[i], l.lo[i]+l.num[i]
		n := s.count[hi] - s.count[lo]
		switch {
		case n == 0:
		case n == l.num[i]:
			dst = append(dst, ix.entry(l, i)) // all of it, as the Index has it
		case n == 1:
			top := &ix.levels[len(ix.levels)-1]
			idx := int(top.id[ix.leaves[s.next(lo)]])
			dst = append(dst, Cluster{Point: ix.points[idx], Count: 1, ID: -1, PointIndex: idx})
		default:
			c := ix.entry(l, i)
			x := (s.sx[hi] - s.sx[lo]) / float64(n)
			y := (s.sy[hi] - s.sy[lo]) / float64(n)
			c.Point = orb.Point{xLon(x), yLat(y)}
			c.Count = int(n)
			dst = append(dst, c)
		}
	})
	return dst
}

// next returns the leaf position of the Subset's first point at or after
// leaf position lo: where the count first rises.
func (s *Subset) next(lo int32) int32 {
	want := s.count[lo]
	k := sort.Search(len(s.count)-1-int(lo), func(k int) bool { return s.count[int(lo)+k+1] > want })
	return lo + int32(k)
}

// ExpansionZoom returns the zoom at which the Subset's points of cluster id
// part: the zoom to go to when a user clicks it. It is never less than the
// Index's ExpansionZoom, at which the cluster splits but all of the
// Subset's points may stay in one part.
func (s *Subset) ExpansionZoom(id int) (int, error) {
	ix := s.ix
	for {
		_, zoom, _, ok := ix.origin(id)
		if !ok {
			return 0, ErrNoCluster
		}
		parts, only := 0, -1
		err := ix.eachChild(id, func(l *level, i int32) {
			lo, hi := l.lo[i], l.lo[i]+l.num[i]
			if s.count[hi] > s.count[lo] {
				parts++
				if l.num[i] > 1 {
					only = int(l.id[i])
				}
			}
		})
		if err != nil {
			return 0, err
		}
		if parts != 1 || only < 0 {
			return zoom, nil
		}
		// All of them in one child, a cluster that stays whole up to the
		// zoom it was made at.
		id = only
	}
}

// Hexbins is Index.Hexbins for the Subset's points.
func (s *Subset) Hexbins(bound orb.Bound, zoom int, radius float64) []Hexbin {
	if !(radius > 0) {
		return nil
	}
	return hexbins(s.Clusters(bound, zoom+DensityZoomStep), zoom, radius)
}
