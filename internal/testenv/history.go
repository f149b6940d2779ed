package testenv

import (
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	"strikemap/data"
	"strikemap/internal/geo"
)

// HistorySteps are three datasets to import in turn, making versions 1 to
// 3 of a record: the shipped files; then, in reverse order and without
// strikes.geojson, the incident changed with its outcome changed and the
// incident retracted gone; then a new incident (id "history-test-new")
// added and the retracted one back.
func HistorySteps(t testing.TB) (steps []fstest.MapFS, changed, retracted string) {
	t.Helper()
	v1 := fstest.MapFS{}
	for _, name := range []string{geo.BasesFile, geo.IncidentsFile, geo.OfficialCountsFile, geo.StrikesFile} {
		b, err := fs.ReadFile(data.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		v1[name] = &fstest.MapFile{Data: b}
	}
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	incs := make([]geo.Incident, len(d.Incidents))
	for i, inc := range d.Incidents {
		incs[i] = *inc
	}
	slices.Reverse(incs)
	changed, retracted = incs[0].ID, incs[1].ID
	gone := incs[1]
	incs[0].Outcome = "Changed by the history test"
	incs = slices.Delete(incs, 1, 2)
	b2, err := geo.MarshalIncidents(incs)
	if err != nil {
		t.Fatal(err)
	}
	v2 := fstest.MapFS{geo.BasesFile: v1[geo.BasesFile], geo.IncidentsFile: &fstest.MapFile{Data: b2}, geo.OfficialCountsFile: v1[geo.OfficialCountsFile]}
	added := incs[2]
	added.ID = "history-test-new"
	incs = append(incs, added, gone)
	b3, err := geo.MarshalIncidents(incs)
	if err != nil {
		t.Fatal(err)
	}
	v3 := fstest.MapFS{geo.BasesFile: v1[geo.BasesFile], geo.IncidentsFile: &fstest.MapFile{Data: b3}, geo.OfficialCountsFile: v1[geo.OfficialCountsFile]}
	return []fstest.MapFS{v1, v2, v3}, changed, retracted
}
