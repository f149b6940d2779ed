package geo

// SetChunkSize makes the loader cut files into chunks of n bytes, for
// tests of the parallel scan; it returns a function that restores it.
func SetChunkSize(n int) (restore func()) {
	old := chunkSize
	chunkSize = n
	return func() { chunkSize = old }
}

// ByID exposes the id order, for tests.
func (d *Dataset) ByID() []int32 { return d.byID }

// CountedTimeline and CountedSummaries count, never using the dataset's
// unfiltered counts made once.
func (d *Dataset) CountedTimeline(f Filter) ([]DayCount, int) { return d.timeline(f) }
func (d *Dataset) CountedSummaries(bases []*Base, f Filter) []Summary {
	return d.summaries(bases, f)
}
