package geo_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"strikemap/internal/geo"
)

// layouts returns a FeatureCollection written one feature per line in
// three other layouts: indented, on one line, and with CRLF line ends and
// spaces around the commas.
func layouts(t *testing.T, perLine []byte) map[string][]byte {
	t.Helper()
	var indented, compact bytes.Buffer
	if err := json.Indent(&indented, perLine, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&compact, perLine); err != nil {
		t.Fatal(err)
	}
	crlf := bytes.ReplaceAll(perLine, []byte("},\n"), []byte("} ,\r\n  "))
	return map[string][]byte{"per line": perLine, "indented": indented.Bytes(), "one line": compact.Bytes(), "crlf": crlf}
}

// TestChunkedLoad loads the same data cut into chunks of many sizes, in
// every layout: the parallel scan guesses where each chunk starts, and
// whatever it guesses, the dataset must be the one a single chunk gives.
func TestChunkedLoad(t *testing.T) {
	basesJSON, perLine := synthIncidents(t, 3000, 7)
	want, err := geo.Parse(basesJSON, perLine)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Incidents) != 3000 {
		t.Fatalf("%d incidents, want 3000", len(want.Incidents))
	}
	// Sorted by date, date end and id, and each found by its id.
	for i := 1; i < len(want.Incidents); i++ {
		a, b := want.Incidents[i-1], want.Incidents[i]
		if a.Date > b.Date || a.Date == b.Date && (a.DateEnd > b.DateEnd || a.DateEnd == b.DateEnd && a.ID >= b.ID) {
			t.Fatalf("incidents %d and %d are out of order: %s %s %s, %s %s %s", i-1, i, a.Date, a.DateEnd, a.ID, b.Date, b.DateEnd, b.ID)
		}
	}
	for i := range want.Incidents {
		if got, ok := want.Incident(want.Incidents[i].ID); !ok || got != want.Incidents[i] {
			t.Fatalf("Incident(%q) does not find incident %d", want.Incidents[i].ID, i)
		}
	}
	for name, doc := range layouts(t, perLine) {
		for _, size := range []int{64, 999, 4096, 100_000} {
			got, err := geo.ParseInChunks(basesJSON, doc, size)
			if err != nil {
				t.Fatalf("%s in chunks of %d: %v", name, size, err)
			}
			if !reflect.DeepEqual(got.Incidents, want.Incidents) || !reflect.DeepEqual(got.ByID(), want.ByID()) {
				t.Fatalf("%s in chunks of %d: the dataset differs", name, size)
			}
		}
	}
}

// TestChunkedProblems loads every invalid fixture, in every layout and
// chunk size: the problems must be those of a single chunk.
func TestChunkedProblems(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/invalid/*")
	validBases, _ := os.ReadFile("testdata/valid/bases.geojson")
	validIncidents, _ := os.ReadFile("testdata/valid/incidents.geojson")
	for _, dir := range dirs {
		basesJSON, err := os.ReadFile(filepath.Join(dir, geo.BasesFile))
		ownBases := err == nil
		if err != nil {
			basesJSON = validBases
		}
		incidentsJSON, err := os.ReadFile(filepath.Join(dir, geo.IncidentsFile))
		if err != nil && !ownBases {
			continue // a fixture of the official counts or the strikes
		}
		if err != nil {
			incidentsJSON = validIncidents
		}
		_, wantErr := geo.Parse(basesJSON, incidentsJSON)
		var want *geo.ValidationError
		if !errors.As(wantErr, &want) {
			t.Fatalf("%s: %v", dir, wantErr)
		}
		docs := map[string][]byte{"as is": incidentsJSON}
		var compact bytes.Buffer
		if json.Compact(&compact, incidentsJSON) == nil {
			docs["one line"] = compact.Bytes()
		}
		for name, doc := range docs {
			for _, size := range []int{16, 50, 333} {
				_, err := geo.ParseInChunks(basesJSON, doc, size)
				var got *geo.ValidationError
				if !errors.As(err, &got) {
					t.Fatalf("%s, %s in chunks of %d: %v", dir, name, size, err)
				}
				if name == "as is" && !reflect.DeepEqual(got.Problems, want.Problems) {
					t.Errorf("%s in chunks of %d:\n%v\nwant\n%v", dir, size, got, want)
				}
			}
		}
	}
}

// TestLoadFeatureAcrossChunks puts a feature's long notes across many
// chunk boundaries, with escapes at the cuts.
func TestLoadFeatureAcrossChunks(t *testing.T) {
	basesJSON, _ := os.ReadFile("testdata/valid/bases.geojson")
	incidentsJSON, _ := os.ReadFile("testdata/valid/incidents.geojson")
	notes := strings.Repeat(`a \"quoted\" \\ back\\slash }]{[ `, 400)
	doc := bytes.Replace(incidentsJSON, []byte(`"weapon": "drone",`), []byte(`"weapon": "drone", "notes": "`+notes+`",`), 1)
	want, err := geo.Parse(basesJSON, doc)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, inc := range want.Incidents {
		found = found || strings.Contains(inc.Notes, `"quoted" \ back\slash`)
	}
	if !found {
		t.Fatal("the notes were not read")
	}
	for _, size := range []int{7, 8, 9, 64, 65} {
		got, err := geo.ParseInChunks(basesJSON, doc, size)
		if err != nil || !reflect.DeepEqual(got.Incidents, want.Incidents) {
			t.Fatalf("chunks of %d: %v", size, err)
		}
	}
}

// FuzzChunkedParse loads arbitrary incidents files twice, in one chunk and
// cut into chunks of a few bytes (so that the workers' guesses are wrong in
// every way a file can make them): the two must give the same dataset, or
// the same problems.
func FuzzChunkedParse(f *testing.F) {
	basesJSON, err := os.ReadFile("testdata/valid/bases.geojson")
	if err != nil {
		f.Fatal(err)
	}
	valid, _ := os.ReadFile("testdata/valid/incidents.geojson")
	f.Add(valid, uint8(16))
	var compact bytes.Buffer
	_ = json.Compact(&compact, valid)
	f.Add(compact.Bytes(), uint8(40))
	f.Add(bytes.ReplaceAll(compact.Bytes(), []byte(`},{"type":"Feature"`), []byte("},\n{\"type\":\"Feature\"")), uint8(7))
	dirs, _ := filepath.Glob("testdata/invalid/*")
	for _, dir := range dirs {
		if b, err := os.ReadFile(filepath.Join(dir, geo.IncidentsFile)); err == nil {
			f.Add(b, uint8(len(dir)))
		}
	}
	f.Fuzz(func(t *testing.T, incidentsJSON []byte, size uint8) {
		whole, wholeErr := geo.Parse(basesJSON, incidentsJSON)
		cut, cutErr := geo.ParseInChunks(basesJSON, incidentsJSON, int(size%64)+2)
		if (wholeErr == nil) != (cutErr == nil) {
			t.Fatalf("in one chunk: %v; in chunks of %d bytes: %v", wholeErr, int(size%64)+2, cutErr)
		}
		if wholeErr != nil {
			var a, b *geo.ValidationError
			if !errors.As(wholeErr, &a) || !errors.As(cutErr, &b) || !reflect.DeepEqual(a.Problems, b.Problems) {
				t.Fatalf("in one chunk:\n%v\nin chunks of %d bytes:\n%v", wholeErr, int(size%64)+2, cutErr)
			}
			return
		}
		if !reflect.DeepEqual(whole.Incidents, cut.Incidents) || !reflect.DeepEqual(whole.ByID(), cut.ByID()) {
			t.Fatalf("in chunks of %d bytes the dataset differs", int(size%64)+2)
		}
	})
}
