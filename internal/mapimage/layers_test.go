package mapimage_test

import (
	"errors"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/internal/cluster"
	"strikemap/internal/geo"
	"strikemap/internal/mapimage"
)

// source is the shipped data as the export handler hands it over, with
// its own cluster index.
func source(t *testing.T, d *geo.Dataset, f geo.Filter, maxMarks int) mapimage.Source {
	t.Helper()
	incidents := d.Select(f)
	return mapimage.Source{
		Dataset: d, Filter: f, Incidents: incidents, RingRadii: geo.DefaultRingRadii(), MaxMarks: maxMarks,
		Index: func() (mapimage.Index, []*geo.Incident, error) {
			points := make([]orb.Point, len(incidents))
			for i, inc := range incidents {
				points[i] = inc.Point
			}
			ix, err := cluster.New(points, cluster.DefaultOptions())
			return ix, incidents, err
		},
	}
}

func TestAddLayers(t *testing.T) {
	d, r := shipped(t)
	all := d.Select(geo.Filter{})
	newView := func() mapimage.View {
		return mapimage.View{Width: 800, Height: 600, Scale: 1, Fit: true}
	}
	t.Run("marks", func(t *testing.T) {
		v := newView()
		shown, err := r.AddLayers(&v, source(t, d, geo.Filter{}, 5000), mapimage.Layers{Bases: true, Incidents: true, Rings: true, Links: true})
		if err != nil || shown != mapimage.ShownMarks || shown.Phrase() != "" {
			t.Fatalf("%v %v", shown, err)
		}
		if len(v.Incidents) != len(all) || v.Clusters != nil || len(v.Bases) != len(d.Bases) || len(v.Links) != len(d.Links(geo.Filter{})) {
			t.Errorf("%d incidents, %d clusters, %d bases, %d links", len(v.Incidents), len(v.Clusters), len(v.Bases), len(v.Links))
		}
		if len(v.Rings) != len(d.Bases)*len(geo.DefaultRingRadii()) || !v.Fit {
			t.Errorf("%d rings, fit %v", len(v.Rings), v.Fit)
		}
	})
	t.Run("clusters past MaxMarks", func(t *testing.T) {
		v := newView()
		shown, err := r.AddLayers(&v, source(t, d, geo.Filter{}, 10), mapimage.Layers{Bases: true, Incidents: true, Links: true})
		if err != nil || shown != mapimage.ShownClusters {
			t.Fatalf("%v %v", shown, err)
		}
		n := 0
		for _, c := range v.Clusters {
			n += c.Count
			if c.Incident == nil && c.Near == "" {
				t.Errorf("a cluster of %d is not named by its nearest base", c.Count)
			}
		}
		if v.Incidents != nil || v.Links != nil || n != len(all) || v.Fit {
			t.Errorf("incidents %d, links %d, clusters stand for %d of %d, fit %v", len(v.Incidents), len(v.Links), n, len(all), v.Fit)
		}
	})
	t.Run("density", func(t *testing.T) {
		v := newView()
		shown, err := r.AddLayers(&v, source(t, d, geo.Filter{}, 5000), mapimage.Layers{Bases: true, Density: true})
		if err != nil || shown != mapimage.ShownDensity {
			t.Fatalf("%v %v", shown, err)
		}
		n := 0
		for _, h := range v.Density {
			n += h.Count
		}
		if n != len(all) || v.Incidents != nil || v.Clusters != nil {
			t.Errorf("the hexagons count %d of %d; %d incidents, %d clusters drawn", n, len(all), len(v.Incidents), len(v.Clusters))
		}
	})
	t.Run("bad radii", func(t *testing.T) {
		v := newView()
		src := source(t, d, geo.Filter{}, 5000)
		src.RingRadii = []float64{-1}
		if _, err := r.AddLayers(&v, src, mapimage.Layers{Rings: true}); !errors.Is(err, mapimage.ErrRings) {
			t.Errorf("error %v, want ErrRings", err)
		}
	})
}
