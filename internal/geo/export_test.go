package geo

import (
	"reflect"

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

// SameDataset says how a and b differ, every field compared, the
// unexported ones (orders, index) too; "" when they do not.
func SameDataset(a, b *Dataset) string {
	x, y := *a, *b
	x.whole, y.whole = nil, nil
	for _, f := range []struct {
		name string
		a, b any
	}{
		{"Bases", x.Bases, y.Bases}, {"Incidents", x.Incidents, y.Incidents}, {"Version", x.Version, y.Version},
		{"Record", x.Record, y.Record}, {"OfficialCounts", x.OfficialCounts, y.OfficialCounts}, {"Strikes", x.Strikes, y.Strikes},
		{"baseByID", x.baseByID, y.baseByID}, {"byID", x.byID, y.byID}, {"index", x.index, y.index}, {"filePos", x.filePos, y.filePos},
	} {
		if !reflect.DeepEqual(f.a, f.b) {
			return f.name + " differ"
		}
	}
	if !reflect.DeepEqual(x, y) {
		return "a field not listed in SameDataset differs"
	}
	return ""
}

// CellList is the index's list of the positions in p's grid cell, for tests.
func (d *Dataset) CellList(p orb.Point) []int32 { return d.index.cells[cellOf(p)] }
