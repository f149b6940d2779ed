package ingest_test

import (
	"bytes"
	"os"
	"testing"

	"strikemap/internal/geo"
	"strikemap/internal/ingest"
)

// checkImported runs what an import does after reading, Validate, and then
// checks its promise: every incident it kept loads with the server's own
// validation, and every row is either kept or rejected with a line.
func checkImported(t *testing.T, b *ingest.Batch, basesJSON []byte) {
	t.Helper()
	if err := b.Validate(basesJSON); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(b.Lines) != len(b.Incidents) {
		t.Fatalf("%d incidents but %d lines", len(b.Incidents), len(b.Lines))
	}
	for _, r := range b.Rejected {
		if r.Line < 1 {
			t.Fatalf("rejection without a line: %+v", r)
		}
	}
	out, err := geo.MarshalIncidents(b.Incidents)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := geo.Parse(basesJSON, out); err != nil {
		t.Fatalf("validated incidents do not load: %v\n%s", err, out)
	}
}

// fuzzBases loads the shipped bases once for a fuzz target.
func fuzzBases(f *testing.F) ([]geo.Base, []byte) {
	basesJSON, err := os.ReadFile("../../data/bases.geojson")
	if err != nil {
		f.Fatal(err)
	}
	d, err := geo.Parse(basesJSON, []byte(`{"type":"FeatureCollection","features":[]}`))
	if err != nil {
		f.Fatal(err)
	}
	return d.Bases, basesJSON
}

// FuzzReadACLED feeds arbitrary files to the ACLED importer: it must not
// panic, and what it keeps must load.
func FuzzReadACLED(f *testing.F) {
	bases, basesJSON := fuzzBases(f)
	for _, name := range []string{"testdata/acled-2023.csv", "testdata/acled-old.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 5.0)
	}
	f.Fuzz(func(t *testing.T, file []byte, radiusKm float64) {
		b, err := ingest.ReadACLED(bytes.NewReader(file), "fuzz.csv", ingest.ACLEDOptions{Bases: bases, RadiusKm: radiusKm, Filter: ingest.ACLEDFilter{NearBasesKm: radiusKm}})
		if err != nil {
			return
		}
		checkImported(t, b, basesJSON)
	})
}

// FuzzReadCSV feeds arbitrary files and mappings to the generic CSV
// importer: it must not panic, and what it keeps must load.
func FuzzReadCSV(f *testing.F) {
	bases, basesJSON := fuzzBases(f)
	example, err := os.ReadFile("../../docs/examples/attacks.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example, exampleMapping, 5.0)
	f.Add([]byte("lat,lon,date,p,s\n33.78,42.44,2023-10-18,=cmd|' /C calc'!A0,<script>alert(1)</script>\n"), "lat=lat,lon=lon,date=date,source_publisher=p,source_says=s", 5.0)
	f.Fuzz(func(t *testing.T, file []byte, mapping string, radiusKm float64) {
		m, err := ingest.ParseMapping(mapping)
		if err != nil {
			return
		}
		b, err := ingest.ReadCSV(bytes.NewReader(file), "fuzz.csv", m, ingest.CSVOptions{Bases: bases, RadiusKm: radiusKm})
		if err != nil {
			return
		}
		checkImported(t, b, basesJSON)
	})
}
