package geo_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/geo"
)

// IncidentWriter writes what MarshalIncidents writes, one feature a line:
// the shipped incidents, written in their file order, load back the same,
// and in the same file order.
func TestIncidentWriterRoundTrip(t *testing.T) {
	basesJSON, _ := data.FS.ReadFile(geo.BasesFile)
	incidentsJSON, _ := data.FS.ReadFile(geo.IncidentsFile)
	d, err := geo.Parse(basesJSON, incidentsJSON)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := geo.NewIncidentWriter(&buf)
	var ids []string
	for inc := range d.InFileOrder() {
		ids = append(ids, inc.ID)
		if err := w.Write(inc); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(ids)+2 || lines[0] != `{"type":"FeatureCollection","features":[` || lines[len(lines)-1] != "]}" {
		t.Fatalf("%d lines for %d incidents; want one a line between the collection's first and last lines:\n%.300s", len(lines), len(ids), buf.String())
	}
	back, err := geo.Parse(basesJSON, buf.Bytes())
	if err != nil {
		t.Fatalf("the written file does not load: %v", err)
	}
	for i := range d.Incidents {
		if !reflect.DeepEqual(emptyLists(back.Incidents[i]), emptyLists(d.Incidents[i])) {
			t.Errorf("incident %s read back differs from the one written", d.Incidents[i].ID)
		}
	}
	var again []string
	for inc := range back.InFileOrder() {
		again = append(again, inc.ID)
	}
	if !reflect.DeepEqual(again, ids) {
		t.Errorf("file order read back %v, want %v", again, ids)
	}
	if strings.Contains(buf.String(), `\u003c`) || strings.Contains(buf.String(), `\u0026`) {
		t.Error("<, > or & escaped: prose must stay readable")
	}
}

// Each line IncidentWriter writes is what encoding/json writes for the same
// feature (MarshalIncidents' layout, compact): the hand-written encoder
// must not drift from the data file's schema, whatever the strings hold.
func TestIncidentWriterMatchesJSON(t *testing.T) {
	basesJSON, _ := data.FS.ReadFile(geo.BasesFile)
	incidentsJSON, _ := data.FS.ReadFile(geo.IncidentsFile)
	d, err := geo.Parse(basesJSON, incidentsJSON)
	if err != nil {
		t.Fatal(err)
	}
	incidents := slices.Clone(d.Incidents)
	odd := incidents[0]
	odd.ID = "odd"
	odd.Point = orb.Point{1e-7, -0.000001}
	odd.Notes = "quote \" backslash \\ <b>&amp;</b> tab\t nl\n cr\r bell\a bs\b ff\f nul\x00 del\x7f \u2028\u2029 bad\xff\xfe é 日本"
	odd.Outcome = "\x01\x1f"
	odd.ClaimedBy = []string{"a\"b", ""}
	odd.Disputed = nil
	odd.Sources = []geo.Source{{Publisher: "p<>&", Says: "s\u2028", Kind: odd.Sources[0].Kind}}
	incidents = append(incidents, odd)
	var buf bytes.Buffer
	w := geo.NewIncidentWriter(&buf)
	for i := range incidents {
		if err := w.Write(&incidents[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")[1:]
	for i := range incidents {
		indented, err := geo.MarshalIncidents(incidents[i : i+1])
		if err != nil {
			t.Fatal(err)
		}
		var fc struct{ Features []json.RawMessage }
		if err := json.Unmarshal(indented, &fc); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Compact(&want, fc.Features[0]); err != nil {
			t.Fatal(err)
		}
		got := strings.TrimSuffix(lines[i], ",")
		if got != want.String() {
			t.Errorf("incident %s:\n got %s\nwant %s", incidents[i].ID, got, want.String())
		}
	}
}
