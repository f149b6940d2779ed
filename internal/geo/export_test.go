package geo

import (
	"github.com/paulmach/orb"

	"strikemap/internal/geo/loader"
)

// ParseInChunks is Parse with the incidents file cut into chunks of size
// bytes, for tests of the parallel scan; every buffer the loader reuses is
// overwritten first (loader.Options.Scribble), so an incident that kept a
// string pointing into one is found changed.
func ParseInChunks(basesJSON, incidentsJSON []byte, size int) (*Dataset, error) {
	return parse(basesJSON, incidentsJSON, loader.Options{ChunkSize: size, Scribble: true})
}

// ByID exposes the id order, for tests.
func (d *Dataset) ByID() []int32 { return d.byID }

// CountedTimeline and CountedSummaries count, never using the dataset's
// unfiltered counts made once.
func (d *Dataset) CountedTimeline(f Filter) ([]DayCount, int) { return d.timeline(f) }
func (d *Dataset) CountedSummaries(bases []*Base, f Filter) []Summary {
	return d.summaries(bases, f)
}

// BuildIndex rebuilds d's index, for the benchmark of Apply's part.
func (d *Dataset) BuildIndex() { d.index = buildIndex(d.Incidents) }

// CellList is the index's list of the positions in p's grid cell, for tests.
func (d *Dataset) CellList(p orb.Point) []int32 { return d.index.cells[cellOf(p)] }
