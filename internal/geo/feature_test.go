package geo_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// Each shipped base and incident, written by the feature marshallers and
// compacted, is the shipped file's feature compacted: an edit of one
// feature changes no byte of the others' form.
func TestMarshalFeatureMatchesFiles(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		n    int
		one  func(id string) []byte
	}{
		{geo.BasesFile, len(d.Bases), func(id string) []byte { b, _ := d.Base(id); return geo.MarshalBaseFeature(b) }},
		{geo.IncidentsFile, len(d.Incidents), func(id string) []byte { inc, _ := d.Incident(id); return geo.MarshalIncidentFeature(inc) }},
	} {
		raw, _ := fs.ReadFile(data.FS, tc.file)
		var fc struct{ Features []json.RawMessage }
		if err := json.Unmarshal(raw, &fc); err != nil {
			t.Fatal(err)
		}
		if len(fc.Features) != tc.n {
			t.Fatalf("%s: %d features, %d loaded", tc.file, len(fc.Features), tc.n)
		}
		for i, f := range fc.Features {
			var want bytes.Buffer
			json.Compact(&want, f)
			var f1 struct{ ID string }
			json.Unmarshal(f, &f1)
			if got := tc.one(f1.ID); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%s feature %d:\n got %s\nwant %s", tc.file, i, got, want.Bytes())
			}
		}
	}
}
