package geo_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// fileOrder returns d's incidents in the order their ids appear in the
// incidents.geojson they were loaded from.
func fileOrder(t *testing.T, d *geo.Dataset, incidentsJSON []byte) []geo.Incident {
	t.Helper()
	var fc struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	if err := json.Unmarshal(incidentsJSON, &fc); err != nil {
		t.Fatal(err)
	}
	out := make([]geo.Incident, 0, len(fc.Features))
	for _, f := range fc.Features {
		inc, ok := d.Incident(f.ID)
		if !ok {
			t.Fatalf("incident %q not loaded", f.ID)
		}
		out = append(out, *inc)
	}
	return out
}

// TestMarshalIncidentsShippedData: the shipped file is written in the same
// format the encoder produces, so encoding what was loaded from it, in its
// order, must give back the file byte for byte.
func TestMarshalIncidentsShippedData(t *testing.T) {
	basesJSON, err := data.FS.ReadFile(geo.BasesFile)
	if err != nil {
		t.Fatal(err)
	}
	incidentsJSON, err := data.FS.ReadFile(geo.IncidentsFile)
	if err != nil {
		t.Fatal(err)
	}
	d, err := geo.Parse(basesJSON, incidentsJSON)
	if err != nil {
		t.Fatal(err)
	}
	got, err := geo.MarshalIncidents(fileOrder(t, d, incidentsJSON))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, incidentsJSON) {
		t.Errorf("encoding the shipped incidents does not reproduce data/incidents.geojson (%d bytes, want %d)", len(got), len(incidentsJSON))
	}
	again, err := geo.Parse(basesJSON, got)
	if err != nil {
		t.Fatalf("encoded shipped data does not load: %v", err)
	}
	if again.Version != d.Version || !reflect.DeepEqual(again.Incidents, d.Incidents) {
		t.Error("the shipped data changed in a round trip")
	}
}

// TestMarshalIncidentsRoundTrip: Parse(Marshal(d)) gives d's incidents back,
// including spans, nulls, sources without url or publication date, and
// values that encoding/json would otherwise escape.
func TestMarshalIncidentsRoundTrip(t *testing.T) {
	basesJSON, err := os.ReadFile("testdata/valid/bases.geojson")
	if err != nil {
		t.Fatal(err)
	}
	d := validDataset(t)
	inc := *d.Incidents[0]
	inc.ID = "zz-added"
	inc.Notes = "Line one <b>&</b>\nline two"
	inc.ClaimedBy, inc.Disputed = nil, nil
	inc.Sources = []geo.Source{{Publisher: "ACLED", Kind: geo.SourceMonitor, Says: "Coded it."}}
	inc.Status = geo.StatusReported
	var incidents []geo.Incident
	for _, in := range d.Incidents {
		incidents = append(incidents, *in)
	}
	incidents = append(incidents, inc)

	out, err := geo.MarshalIncidents(incidents)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"notes": "Line one <b>&</b>\nline two"`)) {
		t.Errorf("notes not written verbatim:\n%s", out)
	}
	back, err := geo.Parse(basesJSON, out)
	if err != nil {
		t.Fatalf("encoded incidents do not load: %v", err)
	}
	want := incidents
	if len(back.Incidents) != len(want) {
		t.Fatalf("%d incidents back, want %d", len(back.Incidents), len(want))
	}
	for _, w := range want {
		got, ok := back.Incident(w.ID)
		if !ok {
			t.Errorf("incident %s lost", w.ID)
			continue
		}
		if !reflect.DeepEqual(emptyLists(*got), emptyLists(w)) {
			t.Errorf("incident %s changed:\n got %+v\nwant %+v", w.ID, *got, w)
		}
	}
	// Deterministic: encoding what was read gives the same bytes.
	again, err := geo.MarshalIncidents(fileOrder(t, back, out))
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("a second encoding differs (%v)", err)
	}
}

// emptyLists makes absent lists empty ones: the file writes both as [].
func emptyLists(inc geo.Incident) geo.Incident {
	if inc.ClaimedBy == nil {
		inc.ClaimedBy = []string{}
	}
	if inc.Disputed == nil {
		inc.Disputed = []string{}
	}
	return inc
}
