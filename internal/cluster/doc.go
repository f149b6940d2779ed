// Package cluster groups points into clusters for display on a web map, with
// the method of Mapbox's supercluster (github.com/mapbox/supercluster): the
// points are projected to the Web Mercator unit square [0,1]², and from the
// maximum zoom down to the minimum each zoom's points and clusters are merged
// greedily with their neighbours within a radius given in screen pixels; a
// cluster sits at the weighted centroid of what it merged. Each zoom keeps a
// static KD-tree, so a viewport query at any zoom is a range search.
//
// Input and output positions are orb.Point values in [longitude, latitude]
// order (WGS84 degrees). Counts are exact: at every zoom, the counts of the
// clusters and single points covering the world add up to the number of input
// points. Points with identical coordinates are allowed.
//
// An Index is immutable once built and safe for concurrent use.
package cluster
