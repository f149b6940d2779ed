package geo_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/geo/loader"
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
		if !reflect.DeepEqual(emptyLists(*back.Incidents[i]), emptyLists(*d.Incidents[i])) {
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

// Each line IncidentWriter writes (and so each feature MarshalIncidents
// writes, before indenting) is what encoding/json writes for the same
// feature in the loader's own types, the file's one wire description: the
// hand-written encoder must not drift from it, whatever the strings hold.
func TestIncidentWriterMatchesJSON(t *testing.T) {
	basesJSON, _ := data.FS.ReadFile(geo.BasesFile)
	incidentsJSON, _ := data.FS.ReadFile(geo.IncidentsFile)
	d, err := geo.Parse(basesJSON, incidentsJSON)
	if err != nil {
		t.Fatal(err)
	}
	var incidents []geo.Incident
	for _, inc := range d.Incidents {
		incidents = append(incidents, *inc)
	}
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
		want := oracleLine(t, &incidents[i])
		if got := strings.TrimSuffix(lines[i], ","); got != want {
			t.Errorf("incident %s:\n got %s\nwant %s", incidents[i].ID, got, want)
		}
	}
}

// oracleLine is inc as encoding/json writes it in the loader's types, with
// HTML escaping off (prose keeps its <, > and &), compact.
func oracleLine(t *testing.T, inc *geo.Incident) string {
	t.Helper()
	type point struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	}
	type feature struct {
		Type       string                    `json:"type"`
		ID         string                    `json:"id"`
		Geometry   point                     `json:"geometry"`
		Properties loader.IncidentProperties `json:"properties"`
	}
	ptr := func(s string) *string { return &s }
	p := loader.IncidentProperties{
		Date: inc.Date.String(), Weapon: inc.Weapon.String(), Count: inc.Count.Ptr(), Status: inc.Status.String(),
		Outcome: inc.Outcome, Injured: inc.Injured.Ptr(), Killed: inc.Killed.Ptr(),
		ClaimedBy: append([]string{}, inc.ClaimedBy...), LocationPrecision: inc.LocationPrecision.String(),
		Sources: []loader.SourceProperties{}, Disputed: append([]string{}, inc.Disputed...), Notes: inc.Notes,
	}
	if inc.IsSpan() {
		p.DateEnd = ptr(inc.DateEnd.String())
	}
	if inc.Base != "" {
		p.Base = ptr(inc.Base)
	}
	for _, s := range inc.Sources {
		sp := loader.SourceProperties{Publisher: s.Publisher, URL: s.URL, Kind: s.Kind.String(), Says: s.Says}
		if s.Published.Known() {
			sp.Published = ptr(s.Published.String())
		}
		p.Sources = append(p.Sources, sp)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(feature{Type: "Feature", ID: inc.ID, Geometry: point{"Point", [2]float64{inc.Point.Lon(), inc.Point.Lat()}}, Properties: p}); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
