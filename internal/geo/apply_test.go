package geo_test

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"testing/fstest"
	"unsafe"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// linesOf writes incidents one feature a line and returns the file and
// each feature's line.
func linesOf(t *testing.T, incidents []geo.Incident) ([]byte, map[string][]byte) {
	t.Helper()
	var b bytes.Buffer
	iw := geo.NewIncidentWriter(&b)
	for i := range incidents {
		if err := iw.Write(&incidents[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := iw.Close(); err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(b.Bytes(), []byte("\n"))
	features := map[string][]byte{}
	for i := range incidents {
		features[incidents[i].ID] = bytes.TrimSuffix(lines[i+1], []byte(","))
	}
	return b.Bytes(), features
}

func loadFiles(t *testing.T, bases, incidents []byte) *geo.Dataset {
	t.Helper()
	d, err := geo.Load(fstest.MapFS{geo.BasesFile: {Data: bases}, geo.IncidentsFile: {Data: incidents}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func idsOf(incs []*geo.Incident) []string {
	out := make([]string, len(incs))
	for i, inc := range incs {
		out[i] = inc.ID
	}
	return out
}

// Apply gives the dataset a full load of the new version's files gives
// (the oracle), shares every unchanged incident's data with the old
// dataset, and leaves the old one whole.
func TestApplyMatchesLoad(t *testing.T) {
	basesA, err := fs.ReadFile(data.FS, geo.BasesFile)
	if err != nil {
		t.Fatal(err)
	}
	shippedDS, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	s, err := synth.Dataset(basesA, shippedDS.Bases, 3000, 7)
	if err != nil {
		t.Fatal(err)
	}
	var a []geo.Incident
	for inc := range s.InFileOrder() {
		a = append(a, *inc)
	}
	fileA, _ := linesOf(t, a)
	dA := loadFiles(t, basesA, fileA)

	// Version B: one incident changed (and moved in time), one retracted,
	// two added, a base renamed.
	b := slices.Clone(a)
	changed, retracted := b[10].ID, b[20].ID
	b[10].Outcome = "Changed by the test."
	b[10].Date, b[10].DateEnd = b[10].Date+40, b[10].DateEnd+40
	b = slices.Delete(b, 20, 21)
	x, y := a[30], a[31]
	x.ID, x.Point, x.LocationPrecision = "zz-added-by-the-test", orb.Point{44.1, 33.2}, geo.PrecisionNear
	y.ID = "aa-added-by-the-test"
	b = append(b, x, y)
	fileB, featuresB := linesOf(t, b)
	base := shippedDS.Bases[0]
	basesB := bytes.Replace(basesA, []byte(`"name": "`+base.Name+`"`), []byte(`"name": "Renamed by the test"`), 1)
	if bytes.Equal(basesA, basesB) {
		t.Fatal("the base was not renamed")
	}
	dB := loadFiles(t, basesB, fileB)

	var beforeA []geo.Incident
	for _, inc := range dA.Incidents {
		beforeA = append(beforeA, *inc)
	}
	dX, err := dA.Apply(geo.Changes{
		Bases: bytes.NewReader(basesB),
		Incidents: []geo.IncidentChange{
			{ID: retracted},
			{ID: changed, Feature: featuresB[changed]},
			{ID: x.ID, Feature: featuresB[x.ID]},
			{ID: y.ID, Feature: featuresB[y.ID]},
		},
		Version: dB.Version,
	})
	if err != nil {
		t.Fatal(err)
	}

	if !reflect.DeepEqual(dX.Incidents, dB.Incidents) {
		t.Errorf("the incidents differ from a full load's")
	}
	if !reflect.DeepEqual(dX.Bases, dB.Bases) || dX.Version != dB.Version {
		t.Errorf("bases or version differ from a full load's")
	}
	if b, ok := dX.Base(base.ID); !ok || b.Name != "Renamed by the test" {
		t.Errorf("Base(%q) = %+v, %v: want it renamed", base.ID, b, ok)
	}
	var fileX, fileOracle []string
	for inc := range dX.InFileOrder() {
		fileX = append(fileX, inc.ID)
	}
	for inc := range dB.InFileOrder() {
		fileOracle = append(fileOracle, inc.ID)
	}
	if !slices.Equal(fileX, fileOracle) {
		t.Errorf("file order differs from a full load's")
	}
	for i := range dB.Incidents {
		got, ok := dX.Incident(dB.Incidents[i].ID)
		if !ok || !reflect.DeepEqual(got, dB.Incidents[i]) {
			t.Fatalf("Incident(%q) = %v, %v", dB.Incidents[i].ID, got, ok)
		}
	}
	if _, ok := dX.Incident(retracted); ok {
		t.Errorf("the retracted incident is still found")
	}
	from, to := a[0].Date+10, a[0].Date+200
	for _, f := range []geo.Filter{
		{},
		{Bases: []string{base.ID}},
		{BBox: &orb.Bound{Min: orb.Point{40, 30}, Max: orb.Point{46, 36}}},
		{From: &from, To: &to, Weapons: []geo.Weapon{a[0].Weapon}},
	} {
		got, _ := dX.Query(f, 0, -1)
		want, _ := dB.Query(f, 0, -1)
		if !slices.Equal(idsOf(got), idsOf(want)) || dX.Count(f) != dB.Count(f) {
			t.Errorf("Query(%+v): %d incidents, a full load %d", f, len(got), len(want))
		}
	}
	gf, gl, _ := dX.Span()
	wf, wl, _ := dB.Span()
	if gf != wf || gl != wl {
		t.Errorf("Span = %v..%v, want %v..%v", gf, gl, wf, wl)
	}

	// Unchanged incidents share their data with the old dataset (the
	// Incident values are copied into the new slice; what they point to
	// is not); the changed one does not.
	shared := 0
	for i := range dA.Incidents {
		old := dA.Incidents[i]
		now, ok := dX.Incident(old.ID)
		if !ok {
			continue
		}
		same := unsafe.StringData(old.ID) == unsafe.StringData(now.ID) &&
			len(old.Sources) > 0 && &old.Sources[0] == &now.Sources[0]
		if old.ID == changed && same {
			t.Errorf("the changed incident shares its data with the old one")
		}
		if same {
			shared++
		}
	}
	if want := len(dA.Incidents) - 2; shared != want {
		t.Errorf("%d unchanged incidents share their data, want %d", shared, want)
	}

	// The old dataset is whole.
	for i, inc := range dA.Incidents {
		if !reflect.DeepEqual(*inc, beforeA[i]) {
			t.Fatalf("Apply changed the old dataset's incident %s", inc.ID)
		}
	}
	if _, ok := dA.Incident(retracted); !ok {
		t.Errorf("the old dataset lost the retracted incident")
	}
}

// Changes that do not fit the dataset are refused, for the caller to load
// the version whole.
func TestApplyRefuses(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	_, features := linesOf(t, []geo.Incident{*d.Incidents[0]})
	bad := bytes.Replace(features[d.Incidents[0].ID], []byte(`"weapon":"`), []byte(`"weapon":"catapult-`), 1)
	for name, c := range map[string][]geo.IncidentChange{
		"retracting what it lacks": {{ID: "no-such-incident"}},
		"adding what it holds":     {{ID: "new", Feature: features[d.Incidents[0].ID]}},
		"an invalid feature":       {{ID: d.Incidents[0].ID, Feature: bad}},
	} {
		_, err := d.Apply(geo.Changes{Incidents: c, Version: "x"})
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		var ve *geo.ValidationError
		if name == "an invalid feature" && !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a *ValidationError", name, err)
		}
	}
}

// BenchmarkApply applies a change of one incident's outcome to the dataset
// in $STRIKEMAP_BENCH_DATA (e.g. dataset synth -n 1000000), or to 100,000
// synthetic incidents, as a follower does for an approved change; Index
// is the part of it that rebuilds the index.
//
//	STRIKEMAP_BENCH_DATA=/tmp/1m go test ./internal/geo -run '^$' -bench Apply -benchtime 5x
func BenchmarkApply(b *testing.B) {
	var d *geo.Dataset
	var err error
	if dir := os.Getenv("STRIKEMAP_BENCH_DATA"); dir != "" {
		d, err = geo.Load(os.DirFS(dir))
	} else {
		basesJSON, _ := fs.ReadFile(data.FS, geo.BasesFile)
		shipped, _ := geo.Load(data.FS)
		d, err = synth.Dataset(basesJSON, shipped.Bases, 100_000, 1)
	}
	if err != nil {
		b.Fatal(err)
	}
	inc := *d.Incidents[len(d.Incidents)/2]
	inc.Outcome = "Changed by the benchmark."
	c := geo.Changes{Incidents: []geo.IncidentChange{{ID: inc.ID, Feature: geo.MarshalIncidentFeature(&inc)}}, Version: "bench"}
	b.Run("Apply", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Apply(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Index", func(b *testing.B) {
		for b.Loop() {
			d.BuildIndex()
		}
	})
}

// Apply over many versions of random changes (edits in place, dates and
// places taken from other incidents so that incidents move in the date
// order and between the index's cells and bases, retractions, additions
// anywhere in the id order) gives, version after version, the dataset a
// full load of that version's files gives, every field compared, the
// index's lists and cell means too (geo.SameDataset); and leaves each
// version it was applied to as a full load of that one.
func TestApplyAgreesWithLoad(t *testing.T) {
	basesJSON, err := fs.ReadFile(data.FS, geo.BasesFile)
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	// Few incidents, so that cells and bases empty and fill again, and
	// the longest span and the last day are retracted now and then.
	s, err := synth.Dataset(basesJSON, shipped.Bases, 400, 3)
	if err != nil {
		t.Fatal(err)
	}
	var file []geo.Incident // the version's incidents, in file order
	for inc := range s.InFileOrder() {
		file = append(file, *inc)
	}
	body, _ := linesOf(t, file)
	prev := loadFiles(t, basesJSON, body)
	rng := rand.New(rand.NewPCG(16, 1))
	added := 0
	for v := range 80 {
		var changes []geo.IncidentChange
		touched := map[string]bool{}
		var fresh []geo.Incident // added this version, after the rest in file order
		if v%5 == 4 {
			// The incident with the longest span, or the last day, made
			// one earlier day: the index's bounds shrink.
			j := 0
			for k := range file {
				if v%10 == 4 && file[k].DateEnd-file[k].Date > file[j].DateEnd-file[j].Date || v%10 == 9 && file[k].DateEnd > file[j].DateEnd {
					j = k
				}
			}
			other := file[rng.IntN(len(file))]
			file[j].Date, file[j].DateEnd, file[j].Sources, file[j].Status = other.Date, other.Date, other.Sources, other.Status
			touched[file[j].ID] = true
		}
		for range 1 + rng.IntN(6) {
			i := rng.IntN(len(file))
			if touched[file[i].ID] {
				continue
			}
			other := file[rng.IntN(len(file))]
			inc := file[i]
			switch op := rng.IntN(6); op {
			case 0: // an edit that keeps the incident's place
				inc.Outcome = fmt.Sprintf("Edited in version %d.", v)
			case 1: // to another day
				inc.Date, inc.DateEnd, inc.Sources, inc.Status = other.Date, other.DateEnd, other.Sources, other.Status
			case 2: // to another place, cell and base
				inc.Point, inc.Base, inc.LocationPrecision = other.Point, other.Base, other.LocationPrecision
			case 3:
				touched[inc.ID] = true
				changes = append(changes, geo.IncidentChange{ID: inc.ID})
				file = slices.Delete(file, i, i+1)
				continue
			default: // a new incident, its id anywhere in the id order
				added++
				inc = other
				inc.ID = fmt.Sprintf("%c-added-%d", "09amz"[rng.IntN(5)], added)
				if rng.IntN(2) == 0 {
					inc.Point, inc.Base, inc.LocationPrecision = file[i].Point, file[i].Base, file[i].LocationPrecision
				}
				fresh = append(fresh, inc)
				touched[inc.ID] = true
				continue
			}
			file[i] = inc
			touched[inc.ID] = true
		}
		file = append(file, fresh...)
		body, features := linesOf(t, file)
		for _, inc := range fresh {
			changes = append(changes, geo.IncidentChange{ID: inc.ID, Feature: features[inc.ID]})
		}
		for id := range touched {
			if f, ok := features[id]; ok && !slices.ContainsFunc(fresh, func(inc geo.Incident) bool { return inc.ID == id }) {
				changes = append(changes, geo.IncidentChange{ID: id, Feature: f})
			}
		}
		rng.Shuffle(len(changes), func(a, b int) { changes[a], changes[b] = changes[b], changes[a] })
		// Apply puts the added incidents last in the order given: give
		// them in the file's.
		slices.SortStableFunc(changes, func(a, b geo.IncidentChange) int {
			return cmp.Compare(slices.IndexFunc(fresh, func(inc geo.Incident) bool { return inc.ID == a.ID }),
				slices.IndexFunc(fresh, func(inc geo.Incident) bool { return inc.ID == b.ID }))
		})
		oracle := loadFiles(t, basesJSON, body)
		prevOracle := loadFiles(t, basesJSON, mustMarshal(t, prev))
		next, err := prev.Apply(geo.Changes{Incidents: changes, Version: oracle.Version})
		if err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		if diff := geo.SameDataset(next, oracle); diff != "" {
			t.Fatalf("version %d (%d changes): %s from a full load's", v, len(changes), diff)
		}
		prevOracle.Version = prev.Version
		if diff := geo.SameDataset(prev, prevOracle); diff != "" {
			t.Fatalf("version %d: the version applied to changed: %s", v, diff)
		}
		prev = next
	}
}

// mustMarshal writes d's incidents in its file order.
func mustMarshal(t *testing.T, d *geo.Dataset) []byte {
	t.Helper()
	var incs []geo.Incident
	for inc := range d.InFileOrder() {
		incs = append(incs, *inc)
	}
	b, _ := linesOf(t, incs)
	return b
}

// An approved change of one incident in 100,000 allocates about the
// change, a pointer per incident and the lists of the index it moves,
// not a copy of every incident (over 200 bytes each, with the index
// rebuilt: what Apply did before, and what made a million-incident
// record's approval take seconds and a second dataset's memory).
func TestApplyAllocatesAboutTheChange(t *testing.T) {
	basesJSON, _ := fs.ReadFile(data.FS, geo.BasesFile)
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	const n = 100_000
	d, err := synth.Dataset(basesJSON, shipped.Bases, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	edit := *d.Incidents[n/2]
	edit.Outcome = "Edited by the test."
	moved := *d.Incidents[n/3]
	moved.Date, moved.DateEnd = d.Incidents[n/4].Date, d.Incidents[n/4].Date
	for _, tc := range []struct {
		name string
		inc  geo.Incident
		max  uint64 // bytes allocated per incident held
	}{
		{"in place", edit, 32},
		{"moved", moved, 48},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := geo.Changes{Incidents: []geo.IncidentChange{{ID: tc.inc.ID, Feature: geo.MarshalIncidentFeature(&tc.inc)}}, Version: "x"}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			nd, err := d.Apply(c)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := nd.Incident(tc.inc.ID); !ok || got.Outcome != tc.inc.Outcome || got.Date != tc.inc.Date {
				t.Fatalf("the change is not in the new dataset")
			}
			if per := (after.TotalAlloc - before.TotalAlloc) / n; per > tc.max {
				t.Errorf("Apply allocated %d bytes per incident held, want at most %d", per, tc.max)
			}
		})
	}
}
