package geo_test

import (
	"errors"
	"os"
	"testing"

	"strikemap/internal/geo"
)

// FuzzParse feeds arbitrary bytes to the loader as both data files. Whatever
// the files hold, Parse must not panic, and it must either return a dataset
// whose incidents, written back out, load again unchanged in number, or a
// *ValidationError: never another kind of error, never a half dataset.
// Seeds: the valid fixture, every invalid fixture, and the cases under
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	validBases, err := os.ReadFile("testdata/valid/bases.geojson")
	if err != nil {
		f.Fatal(err)
	}
	validIncidents, err := os.ReadFile("testdata/valid/incidents.geojson")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(validBases, validIncidents)
	dirs, _ := os.ReadDir("testdata/invalid")
	for _, dir := range dirs {
		b, errB := os.ReadFile("testdata/invalid/" + dir.Name() + "/bases.geojson")
		i, errI := os.ReadFile("testdata/invalid/" + dir.Name() + "/incidents.geojson")
		if errB != nil {
			b = validBases
		}
		if errI != nil {
			i = validIncidents
		}
		f.Add(b, i)
	}
	f.Fuzz(func(t *testing.T, basesJSON, incidentsJSON []byte) {
		d, err := geo.Parse(basesJSON, incidentsJSON)
		if err != nil {
			var ve *geo.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Parse returned %T, not a *ValidationError: %v", err, err)
			}
			if d != nil {
				t.Fatal("Parse returned a dataset with an error")
			}
			if len(ve.Problems) == 0 {
				t.Fatal("a ValidationError without problems")
			}
			return
		}
		incidents := make([]geo.Incident, len(d.Incidents))
		for i, inc := range d.Incidents {
			incidents[i] = *inc
		}
		out, err := geo.MarshalIncidents(incidents)
		if err != nil {
			t.Fatalf("a dataset that loaded does not marshal: %v", err)
		}
		again, err := geo.Parse(basesJSON, out)
		if err != nil {
			t.Fatalf("a dataset that loaded does not load again once written: %v\n%s", err, out)
		}
		if len(again.Incidents) != len(d.Incidents) || len(again.Bases) != len(d.Bases) {
			t.Fatalf("reloaded %d bases and %d incidents, want %d and %d", len(again.Bases), len(again.Incidents), len(d.Bases), len(d.Incidents))
		}
	})
}
