package server

import (
	"bytes"
	"container/list"
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"golang.org/x/sync/singleflight"

	"strikemap/internal/cluster"
	"strikemap/internal/export"
	"strikemap/internal/geo"
	"strikemap/internal/request"
)

// clusterCache keeps the cluster index of each dataset's incidents, and the
// subsets of it that recent filters select. An index over a million
// incidents takes a second or more to build and some 100 MB; a filter's
// subset of it (cluster.Subset: the same clusters, holding only the
// matches) takes one pass over the incidents and 20 bytes an incident. So
// a filter change costs tens of milliseconds, not a build. The cache is
// bounded by the points it holds (a subset's counted at a quarter), and
// concurrent requests for the same entry share one build.
type clusterCache struct {
	mu        sync.Mutex
	maxPoints int
	points    int
	order     *list.List // of *clusterEntry, most recent first
	byKey     map[string]*list.Element
	builds    singleflight.Group
	// version is the dataset version being served, once keep has been
	// called: only its indexes are kept.
	version string
	// whole is every incident of one dataset version and its point, in
	// the dataset's order: what the index is built from, and what the
	// provisional clusters count while it is built.
	whole *wholeSet
}

// wholeSet is a dataset's incidents and their points, in its order.
type wholeSet struct {
	version   string
	incidents []*geo.Incident
	points    []orb.Point
}

// wholeOf returns every incident of d and its point, made once per
// dataset version: reading a million incidents' points out of the
// dataset's structs is slow, and a provisional answer must not do it at
// each request while the index is built from the same points.
func (cc *clusterCache) wholeOf(d *geo.Dataset) *wholeSet {
	cc.mu.Lock()
	w := cc.whole
	cc.mu.Unlock()
	if w != nil && w.version == d.Version {
		return w
	}
	v, _, _ := cc.builds.Do(d.Version+"\x00points", func() (any, error) {
		incidents := d.Select(geo.Filter{})
		w := &wholeSet{version: d.Version, incidents: incidents, points: geo.Points(incidents)}
		cc.mu.Lock()
		if cc.version == "" || cc.version == d.Version {
			cc.whole = w
		}
		cc.mu.Unlock()
		return w, nil
	})
	return v.(*wholeSet)
}

// clusterView is what the map page and the exports read of an index or a
// subset of it.
type clusterView interface {
	Clusters(bound orb.Bound, zoom int) []cluster.Cluster
	Len() int
	ExpansionZoom(id int) (int, error)
	Hexbins(bound orb.Bound, zoom int, radius float64) []cluster.Hexbin
}

type clusterEntry struct {
	key       string
	version   string
	index     clusterView
	incidents []*geo.Incident // PointIndex -> incident: the whole dataset's
	cost      int             // points it counts against maxPoints
}

func newClusterCache(maxPoints int) *clusterCache {
	return &clusterCache{maxPoints: maxPoints, order: list.New(), byKey: make(map[string]*list.Element)}
}

// get returns the clusters of the incidents of d matching f: the index of
// every incident for the zero Filter, built once, and otherwise f's subset
// of it, kept under f's Key, so that every request meaning f, however its
// query spells it and whichever endpoint it asks, shares one subset.
//
// A build gives up once ctx is done (the server closes, or a reload makes
// the dataset old): ctx is the server's or the dataset's, never a
// request's, since concurrent requests share a build.
func (cc *clusterCache) get(ctx context.Context, d *geo.Dataset, f geo.Filter) (*clusterEntry, error) {
	whole, err := cc.entry(d.Version+"\x00", func() (*clusterEntry, error) {
		w := cc.wholeOf(d)
		incidents, points := w.incidents, w.points
		ix, err := cluster.NewContext(ctx, points, cluster.DefaultOptions())
		if err != nil {
			return nil, err
		}
		return &clusterEntry{version: d.Version, index: ix, incidents: incidents, cost: len(points)}, nil
	})
	key := f.Key()
	if err != nil || key == "" {
		return whole, err
	}
	return cc.entry(d.Version+"\x00"+key, func() (*clusterEntry, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		keep := d.Matching(f) // in d's order, as the index's points
		sub := whole.index.(*cluster.Index).Subset(func(i int) bool { return keep[i] })
		return &clusterEntry{version: d.Version, index: sub, incidents: whole.incidents, cost: len(keep) / 4}, nil
	})
}

// ready reports whether the index of all of d's incidents is built.
func (cc *clusterCache) ready(d *geo.Dataset) bool {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	_, ok := cc.byKey[d.Version+"\x00"]
	return ok
}

// matched returns how many of d's incidents match f without its box, when
// the cache holds that filter's index or subset already (the map page asks
// for a filter's clusters before its list); ok is false otherwise, and
// nothing is built.
func (cc *clusterCache) matched(d *geo.Dataset, f geo.Filter) (n int, ok bool) {
	f.BBox = nil
	key := f.Key()
	if key == "" {
		return len(d.Incidents), true
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	el, ok := cc.byKey[d.Version+"\x00"+key]
	if !ok {
		return 0, false
	}
	return el.Value.(*clusterEntry).index.Len(), true
}

// entry returns the cached entry of key, making it with build once.
func (cc *clusterCache) entry(key string, build func() (*clusterEntry, error)) (*clusterEntry, error) {
	cc.mu.Lock()
	if el, ok := cc.byKey[key]; ok {
		cc.order.MoveToFront(el)
		cc.mu.Unlock()
		return el.Value.(*clusterEntry), nil
	}
	cc.mu.Unlock()
	v, err, _ := cc.builds.Do(key, func() (any, error) {
		e, err := build()
		if err != nil {
			return nil, err
		}
		e.key = key
		cc.mu.Lock()
		defer cc.mu.Unlock()
		if cc.version != "" && e.version != cc.version {
			return e, nil // a request that began before a reload: used once, not kept
		}
		cc.byKey[key] = cc.order.PushFront(e)
		cc.points += e.cost
		for cc.points > cc.maxPoints && cc.order.Len() > 1 {
			old := cc.order.Back().Value.(*clusterEntry)
			cc.order.Remove(cc.order.Back())
			delete(cc.byKey, old.key)
			cc.points -= old.cost
		}
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*clusterEntry), nil
}

// keep drops the indexes of every dataset version but version, and keeps
// any of another version from being added from now on. An index holds
// pointers into its dataset, so one kept after a reload would keep the
// whole previous dataset (some 400 MB at a million incidents) alive.
func (cc *clusterCache) keep(version string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.version = version
	if cc.whole != nil && cc.whole.version != version {
		cc.whole = nil
	}
	for el := cc.order.Front(); el != nil; {
		next := el.Next()
		if e := el.Value.(*clusterEntry); e.version != version {
			cc.order.Remove(el)
			delete(cc.byKey, e.key)
			cc.points -= e.cost
		}
		el = next
	}
}

// versions returns the dataset versions the cache holds indexes of, for
// tests.
func (cc *clusterCache) versions() map[string]int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	out := map[string]int{}
	for el := cc.order.Front(); el != nil; el = el.Next() {
		out[el.Value.(*clusterEntry).version]++
	}
	return out
}

// clusterPageMin is how many incidents make the map page draw clusters
// (its config's pointLimit); below it the page never asks for them.
const clusterPageMin = 5000

// warm starts warmClusters for d, the dataset now served, with a context
// that the next call (a reload) or Close cancels.
func (s *Server) warm(d *geo.Dataset) {
	s.warmMu.Lock()
	defer s.warmMu.Unlock()
	if s.stopWarm != nil {
		s.stopWarm() // that dataset is no longer served
	}
	var ctx context.Context
	ctx, s.stopWarm = context.WithCancel(s.life)
	s.warmClusters(ctx, d)
}

// warmClusters builds, in the background, the cluster index of all of d's
// incidents, which the map page asks for first when d is too large to draw
// as points. Concurrent requests for it wait for this build. It gives up
// once ctx is done.
func (s *Server) warmClusters(ctx context.Context, d *geo.Dataset) {
	if len(d.Incidents) <= clusterPageMin {
		return
	}
	s.warming.Add(1)
	go func() {
		defer s.warming.Done()
		start := time.Now()
		// The page's first view also asks for the unfiltered timeline and
		// base summaries: count them first, once (see geo.Dataset).
		d.Timeline(geo.Filter{})
		if _, err := s.clusterCache.get(ctx, d, geo.Filter{}); err != nil {
			if ctx.Err() != nil {
				s.log.Info("clusters not built: the dataset was replaced or the server closed", "version", d.Version)
				return
			}
			s.log.Warn("building the clusters of the whole dataset", "err", err)
			return
		}
		s.log.Info("clusters built", "version", d.Version, "incidents", len(d.Incidents), "took", time.Since(start).Round(time.Millisecond))
	}()
}

// clusters answers GET /api/clusters.geojson?bbox=&zoom=&<filters>: the
// incidents matching the filters, clustered for that zoom with
// supercluster's method, inside the box. A cluster is a Point with
// cluster=true, its exact count and the zoom at which it splits; a lone
// incident is its full feature with cluster=false. A cluster also names
// its nearest base (near) and how far it is (near_km). While the dataset's
// index is being built, the answer is provisional (see below).
func (s *Server) clusters(c echo.Context) error {
	d := s.dataset(c)
	q, f, err := filterQuery(c, d, "zoom")
	if err != nil {
		return err
	}
	zoom := 0
	if zs := q.Get("zoom"); zs != "" || q.Has("zoom") {
		z, err := strconv.Atoi(zs)
		if err != nil || z < 0 || z > 20 {
			return request.BadParam("zoom", "zoom %s is not a whole number from 0 to 20", strconv.Quote(request.Truncate(zs)))
		}
		zoom = z
	}
	view := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	if f.BBox != nil {
		view = *f.BBox
	}
	// The box chooses what is shown, not what is clustered: clusters must
	// not change as the map pans.
	whole := f
	whole.BBox = nil
	if len(d.Incidents) > clusterPageMin && !s.clusterCache.ready(d) {
		// The dataset's index is still being built (warmClusters): rather
		// than keep the map page's first visitor waiting for it, answer at
		// once with the matches counted in a grid, marked provisional, and
		// kept by no cache; the page asks again shortly.
		// Should no build be under way (the warm one failed, or the index
		// was evicted), one starts; requests meanwhile share it.
		s.warming.Add(1)
		go func() {
			defer s.warming.Done()
			if _, err := s.clusterCache.get(s.life, d, geo.Filter{}); err != nil {
				s.log.Warn("building the clusters of the whole dataset", "err", err)
			}
		}()
		c.Response().Header().Set("Cache-Control", "no-store")
		c.Response().Header().Set("X-Dataset-Version", d.Version)
		expand := func(cluster.Cluster) (int, error) { return zoom + 1, nil }
		if whole.IsZero() && view.Min[0] <= view.Max[0] {
			found, incidents := provisionalWhole(d, view, zoom)
			return s.writeClusters(c, d, export.Clusters{
				Found: found, Matched: len(d.Incidents), Incidents: incidents, Provisional: true, ExpansionZoom: expand,
			})
		}
		var incidents []*geo.Incident
		var points []orb.Point
		if whole.IsZero() {
			w := s.clusterCache.wholeOf(d)
			incidents, points = w.incidents, w.points
		} else {
			incidents = d.Select(whole)
			points = geo.Points(incidents)
		}
		return s.writeClusters(c, d, export.Clusters{
			Found: cluster.Grid(points, view, zoom, cluster.DefaultOptions()), Matched: len(incidents), Incidents: incidents, Provisional: true,
			ExpansionZoom: expand,
		})
	}
	if done, err := s.notModified(c, d, q, "clusters.geojson"); done || err != nil {
		return err
	}
	entry, err := s.clusterCache.get(s.life, d, whole)
	if err != nil {
		return err
	}
	return s.writeClusters(c, d, export.Clusters{
		Found: entry.index.Clusters(view, zoom), Matched: entry.index.Len(), Incidents: entry.incidents,
		ExpansionZoom: func(cl cluster.Cluster) (int, error) { return entry.index.ExpansionZoom(cl.ID) },
	})
}

// provisionalWhole counts every incident of d in view in cluster.Grid's
// cells at zoom, from the dataset's spatial index rather than its
// incidents: a cell of the index inside the view and no larger than a
// grid cell counts as one lump at its mean point; only the cells across
// the view's edge, or too large at this zoom, are read point by point.
// The first visitor's first view, the whole set at zoom 7, was a read of
// all million points (a few hundred milliseconds, while the index build
// takes the cores); this reads a few thousand cells. A lone incident's
// PointIndex indexes the incidents returned.
func provisionalWhole(d *geo.Dataset, view orb.Bound, zoom int) ([]cluster.Cluster, []*geo.Incident) {
	opts := cluster.DefaultOptions()
	var lumps []cluster.Lump
	d.GridCells(view, func(gc geo.GridCell) {
		if gc.Within(view) && cluster.LumpFits(gc.Bound, zoom, opts) {
			lumps = append(lumps, cluster.Lump{Point: gc.Mean, Count: len(gc.Positions), Index: int(gc.Positions[0])})
			return
		}
		for _, i := range gc.Positions {
			if p := d.Incidents[i].Point; geo.InBBox(view, p) {
				lumps = append(lumps, cluster.Lump{Point: p, Count: 1, Index: int(i)})
			}
		}
	})
	found := cluster.Lumps(lumps, zoom, opts)
	var incidents []*geo.Incident
	for k := range found {
		if found[k].ID < 0 {
			incidents = append(incidents, d.Incidents[found[k].PointIndex])
			found[k].PointIndex = len(incidents) - 1
		}
	}
	return found, incidents
}

// writeClusters writes the clusters endpoint's answer (export.WriteClusters).
func (s *Server) writeClusters(c echo.Context, d *geo.Dataset, answer export.Clusters) error {
	var buf bytes.Buffer
	if err := export.WriteClusters(&buf, d, answer); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, geoJSONType, buf.Bytes())
}

// density answers GET /api/density.geojson?zoom=&bbox=&<filters>: the
// incidents matching the filters counted in hexagons of cluster.DensityRadius
// pixels at that zoom (see cluster.Index.Hexbins), inside the box, each a
// Polygon with its count; most is the largest count.
func (s *Server) density(c echo.Context) error {
	d := s.dataset(c)
	q, f, err := filterQuery(c, d, "zoom")
	if err != nil {
		return err
	}
	zs := q.Get("zoom")
	zoom, err := strconv.Atoi(zs)
	if err != nil || zoom < 0 || zoom > 20 {
		return request.BadParam("zoom", "zoom %s is not a whole number from 0 to 20", strconv.Quote(request.Truncate(zs)))
	}
	view := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	if f.BBox != nil {
		view = *f.BBox
	}
	if done, err := s.notModified(c, d, q, "density.geojson"); done || err != nil {
		return err
	}
	// The same index as the clusters endpoint's for the same filter.
	whole := f
	whole.BBox = nil
	entry, err := s.clusterCache.get(s.life, d, whole)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteDensity(&buf, entry.index.Hexbins(view, zoom, cluster.DensityRadius), entry.index.Len()); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, geoJSONType, buf.Bytes())
}

// timeline answers GET /api/timeline.json?<filters>: incidents per day from
// the first to the last day the matching incidents cover, for histograms
// that must not download every incident.
func (s *Server) timeline(c echo.Context) error {
	d := s.dataset(c)
	q, f, err := filterQuery(c, d)
	if err != nil {
		return err
	}
	if done, err := s.notModified(c, d, q, "timeline.json"); done || err != nil {
		return err
	}
	days, total := d.Timeline(f)
	type day struct {
		Day   string `json:"day"`
		Count int    `json:"count"`
	}
	out := struct {
		Total int   `json:"total"`
		Days  []day `json:"days"`
	}{Days: make([]day, len(days))}
	out.Total = total
	for i, dc := range days {
		out.Days[i] = day{dc.Day.String(), dc.Count}
	}
	return c.JSON(http.StatusOK, out)
}
