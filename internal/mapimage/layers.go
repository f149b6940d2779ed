package mapimage

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"strikemap/internal/cluster"
	"strikemap/internal/geo"
)

// Layers says which layers a view draws.
type Layers struct {
	Bases, Incidents, Rings, Links, Density bool
	// Strikes are the strikes made in response (the page's layer "US
	// strikes in response"), off unless asked for, as on the page.
	Strikes bool
}

// Index is the cluster index of the incidents a view draws: the one the
// map page takes its clusters and density hexagons from, so that an image
// shows what the page shows (see cluster.Index).
type Index interface {
	Clusters(bound orb.Bound, zoom int) []cluster.Cluster
	Hexbins(bound orb.Bound, zoom int, radius float64) []cluster.Hexbin
}

// Source is what a view's layers are drawn from.
type Source struct {
	Dataset *geo.Dataset
	Filter  geo.Filter
	// Incidents are the Dataset's incidents matching Filter.
	Incidents []*geo.Incident
	// RingRadii are the range rings' radii in km round the Filter's bases
	// (every base when it names none).
	RingRadii []float64
	// MaxMarks is the most incidents drawn one by one: past it they are
	// drawn as clusters and the links are left out, or the image would take
	// minutes and weigh hundreds of megabytes.
	MaxMarks int
	// Index returns the cluster index of Incidents and the incident of
	// each of its points. It is called only for clusters or density.
	Index func() (Index, []*geo.Incident, error)
}

// Shown says how a view shows its incidents, for its caption.
type Shown int

const (
	ShownMarks               Shown = iota // one mark per incident, or none
	ShownClusters                         // clusters, as the map page past its threshold
	ShownDensity                          // a density layer only
	ShownClustersOverDensity              // clusters over their density
)

// Phrase is what a caption adds for s: ", shown as clusters"; nothing for
// incidents drawn one by one.
func (s Shown) Phrase() string {
	switch s {
	case ShownClusters:
		return ", shown as clusters"
	case ShownDensity:
		return ", shown as density"
	case ShownClustersOverDensity:
		return ", shown as clusters over their density"
	}
	return ""
}

// ErrRings is wrapped by AddLayers' error when the range rings cannot be
// drawn with the radii asked for.
var ErrRings = errors.New("range rings")

// AddLayers fills v with the layers l drawn from src, as the map page
// draws them: bases, incidents (past src.MaxMarks, the clusters of
// src.Index at the view's zoom, with no two discs overlapping), range
// rings, links (left out past src.MaxMarks) and the density hexagons of
// the page's density layer. A fitted view is framed first, on the bases,
// the rings and the incidents, so that clusters and hexagons are those of
// the zoom the view is drawn at. The strikes drawn are those whose days
// meet the Filter's dates, as the page shows them whatever the other
// filters. It says how the incidents are shown.
func (r *Renderer) AddLayers(v *View, src Source, l Layers) (Shown, error) {
	d := src.Dataset
	many := len(src.Incidents) > src.MaxMarks
	if l.Bases {
		v.Bases = d.SelectBases(geo.Filter{})
	}
	if l.Strikes {
		v.Strikes = d.SelectStrikes(geo.Filter{From: src.Filter.From, To: src.Filter.To})
	}
	if l.Incidents && !many {
		v.Incidents = src.Incidents
	}
	if l.Rings {
		rings, err := geo.RangeRings(d.SelectBases(geo.Filter{Bases: src.Filter.Bases}), src.RingRadii)
		if err != nil {
			return ShownMarks, fmt.Errorf("%w: %w", ErrRings, err)
		}
		v.Rings = rings
	}
	if l.Links && !many {
		v.Links = d.Links(src.Filter)
	}
	clusters := l.Incidents && many
	if !clusters && !l.Density {
		return ShownMarks, nil
	}
	if v.Fit && len(src.Incidents) > 0 {
		// Framing needs only the incidents' bound.
		b := src.Incidents[0].Point.Bound()
		for _, inc := range src.Incidents {
			b = b.Extend(inc.Point)
		}
		v.extent = &b
		v.Center, v.Zoom = r.Frame(*v)
		v.Fit, v.extent = false, nil
	}
	ix, incidents, err := src.Index()
	if err != nil {
		return ShownMarks, err
	}
	zoom := int(math.Floor(v.Zoom))
	bound := r.Bound(*v, 0)
	shown := ShownMarks
	if clusters {
		v.Clusters = []Cluster{}
		for _, cl := range ix.Clusters(bound, zoom) {
			c := Cluster{Point: cl.Point, Count: cl.Count}
			if !cl.IsCluster() {
				c.Incident = incidents[cl.PointIndex]
			} else if b, m, ok := geo.NearestBase(d.Bases, cl.Point, math.Inf(1)); ok {
				c.Near, c.NearKm = b.Name, int(math.Round(m/1000))
			}
			v.Clusters = append(v.Clusters, c)
		}
		shown = ShownClusters
	}
	if l.Density {
		// Padded by a hexagon, so that the hexagons cut by the image's
		// edge are drawn too.
		v.Density = ix.Hexbins(r.Bound(*v, 2*cluster.DensityRadius), zoom, cluster.DensityRadius)
		switch {
		case clusters:
			shown = ShownClustersOverDensity
		case !l.Incidents:
			shown = ShownDensity
		}
	}
	return shown, nil
}
