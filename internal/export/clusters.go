package export

import (
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"strikemap/internal/cluster"
	"strikemap/internal/geo"
)

// Clusters is an answer of the clusters endpoint: the clusters found, of
// Matched incidents in all.
type Clusters struct {
	Found   []cluster.Cluster
	Matched int
	// Incidents are the incidents clustered: a single incident's
	// PointIndex is its index here.
	Incidents []*geo.Incident
	// Provisional marks counts made in a grid while the index is built:
	// their clusters are named by their place in Found ("g3"), not an id.
	Provisional bool
	// ExpansionZoom is the zoom at which a cluster splits.
	ExpansionZoom func(cluster.Cluster) (int, error)
}

// WriteClusters writes c as a GeoJSON FeatureCollection: a single
// incident as its full feature (as WriteIncidents writes it) with
// cluster=false, a cluster as a Point with cluster=true, its exact count,
// the zoom at which it splits, and the nearest of d's bases (near) with
// how far it is (near_km): the nearest base names the cluster for a reader
// ("Near Ain al-Asad: 1,234 incidents"), not its coordinates.
func WriteClusters(w io.Writer, d *geo.Dataset, c Clusters) error {
	b := make([]byte, 0, 256*len(c.Found)+64)
	b = append(b, `{"type":"FeatureCollection","numberMatched":`...)
	b = strconv.AppendInt(b, int64(c.Matched), 10)
	if c.Provisional {
		b = append(b, `,"provisional":true`...)
	}
	b = append(b, `,"features":[`...)
	for i, cl := range c.Found {
		if i > 0 {
			b = append(b, ',')
		}
		if !cl.IsCluster() {
			b = appendIncident(b, d, c.Incidents[cl.PointIndex])
			continue
		}
		expansion, err := c.ExpansionZoom(cl)
		if err != nil {
			return err
		}
		b = append(b, `{"type":"Feature","id":"`...)
		if c.Provisional {
			b = append(b, 'g') // a grid cell's, which names no cluster
			b = strconv.AppendInt(b, int64(i), 10)
		} else {
			b = append(b, 'c')
			b = strconv.AppendInt(b, int64(cl.ID), 10)
		}
		b = append(b, `","geometry":{"type":"Point","coordinates":`...)
		b = appendPosition(b, cl.Point)
		b = append(b, `},"properties":{"cluster":true,"cluster_id":`...)
		b = strconv.AppendInt(b, int64(cl.ID), 10)
		b = append(b, `,"count":`...)
		b = strconv.AppendInt(b, int64(cl.Count), 10)
		b = append(b, `,"expansion_zoom":`...)
		b = strconv.AppendInt(b, int64(expansion), 10)
		if base, m, ok := geo.NearestBase(d.Bases, cl.Point, math.Inf(1)); ok {
			b = append(b, `,"near":`...)
			b = appendString(b, base.Name)
			b = append(b, `,"near_km":`...)
			b = strconv.AppendInt(b, int64(math.Round(m/1000)), 10)
		}
		b = append(b, "}}"...)
	}
	b = append(b, "]}"...)
	_, err := w.Write(b)
	return err
}

// WriteDensity writes hexagons as a GeoJSON FeatureCollection of Polygons
// with their counts, of matched incidents in all; most is the largest
// count.
func WriteDensity(w io.Writer, bins []cluster.Hexbin, matched int) error {
	most := 0
	for _, bin := range bins {
		most = max(most, bin.Count)
	}
	b := make([]byte, 0, 400*len(bins)+64)
	b = append(b, `{"type":"FeatureCollection","numberMatched":`...)
	b = strconv.AppendInt(b, int64(matched), 10)
	b = append(b, `,"most":`...)
	b = strconv.AppendInt(b, int64(most), 10)
	b = append(b, `,"features":[`...)
	for i, bin := range bins {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[`...)
		for j, p := range bin.Ring {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendPosition(b, p)
		}
		b = append(b, `]]},"properties":{"count":`...)
		b = strconv.AppendInt(b, int64(bin.Count), 10)
		b = append(b, "}}"...)
	}
	b = append(b, "]}"...)
	_, err := w.Write(b)
	return err
}

// appendPosition writes p as [lon,lat], rounded to 6 decimals.
func appendPosition(b []byte, p orb.Point) []byte {
	b = append(b, '[')
	b = appendFloat(b, round6(p[0]))
	b = append(b, ',')
	b = appendFloat(b, round6(p[1]))
	return append(b, ']')
}
