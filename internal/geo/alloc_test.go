package geo_test

import (
	"context"
	"runtime"
	"testing"
	"weak"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
	"strikemap/internal/testenv"
)

// TestSmallPageAllocatesLittle holds a page of 10 in a country-sized box to
// a few hundred bytes: it reads the index's lists of hundreds of cells,
// and building those lists and the merger's heap anew for each request
// made such a page allocate tens of kilobytes, which under load was what
// made the collector run (docs/performance.md, issue 14).
func TestSmallPageAllocatesLittle(t *testing.T) {
	// Under the race detector sync.Pool drops a quarter of what is put
	// back, so what a query allocates is not measured under it.
	if testenv.Race {
		t.Skip("sync.Pool drops buffers at random under the race detector")
	}
	d := synthetic(t, 20000)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		f     geo.Filter
		order geo.Order
	}{
		{"bbox", geo.Filter{BBox: &orb.Bound{Min: orb.Point{38, 31}, Max: orb.Point{46, 37}}}, geo.ByDate},
		{"bbox -date", geo.Filter{BBox: &orb.Bound{Min: orb.Point{38, 31}, Max: orb.Point{46, 37}}}, geo.ByDateDesc},
		{"bbox and bases", geo.Filter{BBox: &orb.Bound{Min: orb.Point{38, 31}, Max: orb.Point{46, 37}}, Bases: []string{d.Bases[0].ID, d.Bases[1].ID}}, geo.ByDate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, _, err := d.QueryContext(ctx, tc.f, tc.order, 0, 10)
			if err != nil || len(page) == 0 {
				t.Fatalf("got %d incidents, %v", len(page), err)
			}
			const runs = 100
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range runs {
				if _, _, err := d.QueryContext(ctx, tc.f, tc.order, 0, 10); err != nil {
					t.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			// The page's ten pointers are 80 bytes; a GC emptying the
			// pool during the loop costs one rebuild of its buffers.
			perQuery := (after.TotalAlloc - before.TotalAlloc) / runs
			if perQuery > 512 {
				t.Errorf("a page of 10 allocated %d bytes, want at most 512", perQuery)
			}
		})
	}
}

// TestPooledBuffersKeepNoIndex: the buffers a query reads the index with
// are pooled, and the pool outlives a collection (its victim cache), so
// they must hold nothing of the index they read once put back; else a
// reload would keep the previous dataset's index alive.
func TestPooledBuffersKeepNoIndex(t *testing.T) {
	d := synthetic(t, 2000)
	list := d.CellList(d.Incidents[0].Point)
	cellList := weak.Make(&list[0])
	box := d.Incidents[0].Point.Bound().Pad(1)
	if page, _, err := d.QueryContext(context.Background(), geo.Filter{BBox: &box}, geo.ByDate, 0, 10); err != nil || len(page) == 0 {
		t.Fatalf("got %d incidents, %v", len(page), err)
	}
	d, list = nil, nil
	runtime.GC() // one collection: what the pool kept is in its victim cache
	if cellList.Value() != nil {
		t.Error("a cell list of a dropped dataset is still reachable after a query")
	}
}

// TestEmptyBoxReadsNothing: a box over cells that hold no incident has no
// candidates, so counting its matches reads none; the index once fell back
// to reading the whole date range then, and an items page of an empty box
// lost its numberMatched.
func TestEmptyBoxReadsNothing(t *testing.T) {
	d := synthetic(t, 20000)
	ocean := orb.Bound{Min: orb.Point{-35.4, -35.4}, Max: orb.Point{-35, -35}}
	n, ok, err := d.CountAtMost(context.Background(), geo.Filter{BBox: &ocean}, 100)
	if n != 0 || !ok || err != nil {
		t.Errorf("CountAtMost(empty box, 100) = %d, %v, %v; want 0, true, nil", n, ok, err)
	}
}
