package cluster

import (
	"math"

	"github.com/paulmach/orb"
)

// Cluster is a cluster of points, or a single point, at one zoom.
type Cluster struct {
	// Point is [lon, lat] in degrees: the weighted centroid (in Web
	// Mercator) of a cluster's points, or a single point as given to New.
	Point orb.Point
	// Count is the number of input points: 1 for a single point.
	Count int
	// ID identifies a cluster for Children, Leaves and ExpansionZoom; it is
	// -1 for a single point. IDs are positive and fit in an int32.
	ID int
	// PointIndex is a single point's index in the points given to New, or -1
	// for a cluster.
	PointIndex int
}

// IsCluster reports whether c is a cluster rather than a single point.
func (c Cluster) IsCluster() bool { return c.ID >= 0 }

// Len returns the number of points in the Index.
func (ix *Index) Len() int { return len(ix.points) }

// Options returns the options the Index was built with.
func (ix *Index) Options() Options { return ix.opts }

// Clusters returns the clusters and single points inside bound ([lon, lat]
// degrees, edges included) at zoom, in no particular order. Zooms below
// MinZoom are taken as MinZoom, and zooms above MaxZoom give every point
// alone. A bound at least 360° wide covers every longitude; a bound whose
// Min longitude, wrapped into [-180, 180], lies east of its Max longitude
// crosses the antimeridian, as does, say, [170, -10]..[190, 10].
func (ix *Index) Clusters(bound orb.Bound, zoom int) []Cluster {
	return ix.AppendClusters(nil, bound, zoom)
}

// AppendClusters is Clusters appending to dst, so that a caller can reuse a
// buffer.
func (ix *Index) AppendClusters(dst []Cluster, bound orb.Bound, zoom int) []Cluster {
	ix.eachIn(bound, zoom, func(l *level, i int32) { dst = append(dst, ix.entry(l, i)) })
	return dst
}

// eachIn calls fn with every entry inside bound at zoom (see Clusters).
func (ix *Index) eachIn(bound orb.Bound, zoom int, fn func(l *level, i int32)) {
	minLon := wrapLon(bound.Min[0])
	maxLon := 180.0
	if bound.Max[0] != 180 {
		maxLon = wrapLon(bound.Max[0])
	}
	minLat := math.Max(-90, math.Min(90, bound.Min[1]))
	maxLat := math.Max(-90, math.Min(90, bound.Max[1]))
	if bound.Max[0]-bound.Min[0] >= 360 {
		minLon, maxLon = -180, 180
	} else if minLon > maxLon {
		ix.eachIn(orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{180, maxLat}}, zoom, fn)
		ix.eachIn(orb.Bound{Min: orb.Point{-180, minLat}, Max: orb.Point{maxLon, maxLat}}, zoom, fn)
		return
	}
	if math.IsNaN(minLon) || math.IsNaN(maxLon) || math.IsNaN(minLat) || math.IsNaN(maxLat) {
		return
	}
	l := &ix.levels[ix.limitZoom(zoom)-ix.opts.MinZoom]
	// A viewport holds few entries, so a small buffer on the stack saves an
	// allocation most of the time.
	var buf [256]int32
	for _, i := range kdRange(l.coords, l.splits, lonX(minLon), latY(maxLat), lonX(maxLon), latY(minLat), buf[:0]) {
		fn(l, i)
	}
}

// wrapLon wraps a longitude into [-180, 180).
func wrapLon(lon float64) float64 {
	return math.Mod(math.Mod(lon+180, 360)+360, 360) - 180
}

func (ix *Index) limitZoom(z int) int {
	return max(ix.opts.MinZoom, min(z, ix.opts.MaxZoom+1))
}

// entry returns entry i of l as a Cluster.
func (ix *Index) entry(l *level, i int32) Cluster {
	if l.num[i] == 1 {
		idx := int(l.id[i])
		return Cluster{Point: ix.points[idx], Count: 1, ID: -1, PointIndex: idx}
	}
	return Cluster{
		Point:      orb.Point{xLon(l.coords[2*i]), yLat(l.coords[2*i+1])},
		Count:      int(l.num[i]),
		ID:         int(l.id[i]),
		PointIndex: -1,
	}
}

// origin decodes a cluster ID: the zoom of the level holding the entry the
// cluster grew from, and that entry's position there.
func (ix *Index) origin(id int) (l *level, zoom int, pos int32, ok bool) {
	if id <= 0 || id > math.MaxInt32 {
		return nil, 0, 0, false
	}
	zoom, pos = id&31, int32(id>>5)
	if zoom <= ix.opts.MinZoom || zoom > ix.opts.MaxZoom+1 {
		return nil, 0, 0, false
	}
	l = &ix.levels[zoom-ix.opts.MinZoom]
	if int(pos) >= len(l.num) || l.parent[pos] != int32(id) {
		return nil, 0, 0, false
	}
	return l, zoom, pos, true
}

// Children returns the clusters and single points that the cluster id
// merged, one zoom above the one it was made at.
func (ix *Index) Children(id int) ([]Cluster, error) {
	var children []Cluster
	err := ix.eachChild(id, func(l *level, i int32) { children = append(children, ix.entry(l, i)) })
	return children, err
}

// eachChild calls fn with every entry that cluster id merged.
func (ix *Index) eachChild(id int, fn func(l *level, i int32)) error {
	l, zoom, pos, ok := ix.origin(id)
	if !ok {
		return ErrNoCluster
	}
	// Every child lies within the radius of the origin, the entry the
	// cluster grew from.
	var buf [256]int32
	near := kdWithin(l.coords, l.splits, l.coords[2*pos], l.coords[2*pos+1], ix.opts.radiusAt(zoom-1), buf[:0])
	for _, i := range near {
		if l.parent[i] == int32(id) {
			fn(l, i)
		}
	}
	return nil
}

// Leaves returns the input indexes of the points in cluster id, skipping the
// first offset and returning at most limit (all if limit < 0).
func (ix *Index) Leaves(id, limit, offset int) ([]int, error) {
	var leaves []int
	if limit == 0 {
		_, err := ix.Children(id)
		return leaves, err
	}
	skipped := 0
	var walk func(id int) error
	walk = func(id int) error {
		var err error
		e := ix.eachChild(id, func(l *level, i int32) {
			if err != nil || (limit >= 0 && len(leaves) == limit) {
				return
			}
			n := int(l.num[i])
			switch {
			case n > 1 && skipped+n <= offset:
				skipped += n // skip the whole cluster
			case n > 1:
				err = walk(int(l.id[i]))
			case skipped < offset:
				skipped++
			default:
				leaves = append(leaves, int(l.id[i]))
			}
		})
		if e != nil {
			return e
		}
		return err
	}
	err := walk(id)
	return leaves, err
}

// ExpansionZoom returns the zoom at which cluster id splits into more than
// one child: the zoom to go to when a user clicks it.
func (ix *Index) ExpansionZoom(id int) (int, error) {
	_, zoom, _, ok := ix.origin(id)
	if !ok {
		return 0, ErrNoCluster
	}
	z := zoom - 1
	for z <= ix.opts.MaxZoom {
		var only, count int
		if err := ix.eachChild(id, func(l *level, i int32) {
			count++
			only = int(l.id[i])
		}); err != nil {
			return 0, err
		}
		z++
		if count != 1 {
			break
		}
		id = only
	}
	return z, nil
}
