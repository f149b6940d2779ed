package geo_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

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
