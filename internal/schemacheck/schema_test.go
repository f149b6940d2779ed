package schemacheck

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"strikemap/data"
	"strikemap/internal/export"
	"strikemap/internal/geo"
	"strikemap/internal/server"
	"strikemap/internal/synth"
)

// TestEveryReaderAndWriterFollowsTheSchema is the one test: each subtest is
// one place that reads or writes the data, held to geo's field lists.
func TestEveryReaderAndWriterFollowsTheSchema(t *testing.T) {
	fileIncident := geo.FieldNames(geo.FileFields(geo.IncidentFields()))
	apiIncident := geo.FieldNames(geo.IncidentFields())
	sourceNames := geo.FieldNames(geo.SourceFields())

	t.Run("loader", func(t *testing.T) { checkLoader(t) })

	d := fullDataset(t)
	t.Run("data file writer", func(t *testing.T) {
		values := make([]geo.Incident, len(d.Incidents))
		for i, inc := range d.Incidents {
			values[i] = *inc
		}
		b, err := geo.MarshalIncidents(values)
		if err != nil {
			t.Fatal(err)
		}
		checkKeys(t, b, fileIncident, sourceNames)
	})
	incidents := make([]*geo.Incident, len(d.Incidents))
	for i := range d.Incidents {
		incidents[i] = d.Incidents[i]
	}
	t.Run("API GeoJSON, streamed", func(t *testing.T) {
		var b bytes.Buffer
		if err := export.WriteIncidents(&b, d, incidents); err != nil {
			t.Fatal(err)
		}
		checkKeys(t, b.Bytes(), apiIncident, sourceNames)
	})
	t.Run("API GeoJSON, orb's encoder (the oracle)", func(t *testing.T) {
		b, err := export.Incidents(d, incidents)
		if err != nil {
			t.Fatal(err)
		}
		checkKeys(t, b, apiIncident, sourceNames)
	})
	t.Run("synthetic generator", func(t *testing.T) {
		var b bytes.Buffer
		if err := synth.WriteIncidents(&b, synth.Config{N: 50, Seed: 3, Bases: d.Bases}); err != nil {
			t.Fatal(err)
		}
		checkKeys(t, b.Bytes(), fileIncident, sourceNames)
	})
	t.Run("CSV", func(t *testing.T) {
		// One column per property, the sources flattened into three, and
		// the feature's id and point.
		var want []string
		for _, f := range geo.IncidentFields() {
			if f.Type == geo.TypeSourceArray {
				want = append(want, "source_count", "sources", "first_source_url")
				continue
			}
			want = append(want, f.Name)
		}
		want = append(want, "id", "longitude", "latitude")
		slices.Sort(want)
		got := slices.Sorted(slices.Values(export.CSVHeader()))
		if !slices.Equal(got, want) {
			t.Errorf("CSV columns %v\nwant (in any order) %v", export.CSVHeader(), want)
		}
	})
	t.Run("OGC queryables", func(t *testing.T) { checkQueryables(t) })
	t.Run("docs/data.md", func(t *testing.T) {
		for _, c := range []struct {
			heading string
			fields  []geo.Field
		}{
			{"## bases.geojson", geo.BaseFields()},
			{"## incidents.geojson", geo.FileFields(geo.IncidentFields())},
			{"Each source:", geo.SourceFields()},
		} {
			checkDocTable(t, c.heading, c.fields)
		}
	})
}

// fullDataset is the shipped bases with incidents that set every field.
func fullDataset(t *testing.T) *geo.Dataset {
	t.Helper()
	basesJSON, err := data.FS.ReadFile(geo.BasesFile)
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	base := shipped.Bases[0]
	props := fullProperties(base.ID)
	feature := map[string]any{"type": "Feature", "id": "every-field",
		"geometry": map[string]any{"type": "Point", "coordinates": []float64{base.Point.Lon(), base.Point.Lat()}}, "properties": props}
	b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": []any{feature}})
	d, err := geo.Parse(basesJSON, b)
	if err != nil {
		t.Fatalf("a feature with every field does not load: %v", err)
	}
	return d
}

// fullProperties gives every file field of an incident a value, and each
// source every field.
func fullProperties(base string) map[string]any {
	source := map[string]any{}
	for _, f := range geo.SourceFields() {
		source[f.Name] = sampleValue(f)
	}
	props := map[string]any{}
	for _, f := range geo.FileFields(geo.IncidentFields()) {
		switch {
		case f.Name == "base":
			props[f.Name] = base
		case f.Type == geo.TypeSourceArray:
			props[f.Name] = []any{source}
		default:
			props[f.Name] = sampleValue(f)
		}
	}
	props["status"] = "confirmed" // the strongest of its source (official)
	props["date_end"] = "2023-10-20"
	return props
}

func sampleValue(f geo.Field) any {
	switch f.Type {
	case geo.TypeDate:
		return "2023-10-19"
	case geo.TypeEnum:
		switch f.Name {
		case "kind":
			return "official"
		case "location_precision":
			return "base"
		}
		return f.Values[0]
	case geo.TypeInteger:
		return 2
	case geo.TypeStrings:
		if len(f.Values) > 0 {
			return []string{f.Values[0]}
		}
		return []string{"x"}
	}
	if f.Name == "url" {
		return "https://example.org/a"
	}
	return "text of " + f.Name
}

// checkLoader: a feature with every field loads; without a required field
// it is refused, naming the field; without an optional one it loads; with
// a field the schema does not list it is refused. So the loader (its fast
// path and its careful one) knows exactly the schema's names.
func checkLoader(t *testing.T) {
	basesJSON, err := data.FS.ReadFile(geo.BasesFile)
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	load := func(props map[string]any) error {
		feature := map[string]any{"type": "Feature", "id": "x",
			"geometry":   map[string]any{"type": "Point", "coordinates": []float64{shipped.Bases[0].Point.Lon(), shipped.Bases[0].Point.Lat()}},
			"properties": props}
		b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": []any{feature}})
		_, err := geo.Parse(basesJSON, b)
		return err
	}
	full := func() map[string]any { return fullProperties(shipped.Bases[0].ID) }
	if err := load(full()); err != nil {
		t.Fatalf("every field: %v", err)
	}
	for _, f := range geo.FileFields(geo.IncidentFields()) {
		p := full()
		delete(p, f.Name)
		if f.Name == "base" {
			p["location_precision"] = "exact" // "base" needs a base
		}
		err := load(p)
		switch {
		case f.Required && (err == nil || !strings.Contains(err.Error(), f.Name)):
			t.Errorf("without required %s: %v, want an error naming it", f.Name, err)
		case !f.Required && err != nil:
			t.Errorf("without optional %s: %v", f.Name, err)
		}
	}
	for _, f := range geo.SourceFields() {
		p := full()
		s := p["sources"].([]any)[0].(map[string]any)
		delete(s, f.Name)
		err := load(p)
		switch {
		case f.Required && (err == nil || !strings.Contains(err.Error(), f.Name)):
			t.Errorf("a source without required %s: %v, want an error naming it", f.Name, err)
		case !f.Required && err != nil:
			t.Errorf("a source without optional %s: %v", f.Name, err)
		}
	}
	p := full()
	p["not_in_the_schema"] = "x"
	if err := load(p); err == nil || !strings.Contains(err.Error(), "not_in_the_schema") {
		t.Errorf("a property the schema lacks: %v, want it refused by name", err)
	}
	for _, f := range geo.IncidentFields() {
		if !f.APIOnly {
			continue
		}
		p := full()
		p[f.Name] = "x"
		if err := load(p); err == nil {
			t.Errorf("the API's own %s was accepted in a data file", f.Name)
		}
	}
}

// checkKeys reads a FeatureCollection and checks the order of the keys of
// every feature's properties, and of every source.
func checkKeys(t *testing.T, doc []byte, props, source []string) {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties jsontext.Value `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(doc, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) == 0 {
		t.Fatal("no features")
	}
	for i, f := range fc.Features {
		keys, sources := objectKeys(t, f.Properties)
		if !slices.Equal(keys, props) {
			t.Fatalf("feature %d: properties %v\nwant %v", i, keys, props)
		}
		for j, s := range sources {
			// url and published are left out of data files when unknown.
			var want []string
			for _, name := range source {
				if slices.Contains(s, name) || !omittable(name) {
					want = append(want, name)
				}
			}
			if !slices.Equal(s, want) {
				t.Fatalf("feature %d, source %d: keys %v, want %v", i, j, s, want)
			}
		}
	}
}

func omittable(name string) bool {
	for _, f := range geo.SourceFields() {
		if f.Name == name {
			return f.OmitEmpty
		}
	}
	return false
}

// objectKeys returns the keys of a properties object in order, and the
// keys of each element of its sources.
func objectKeys(t *testing.T, v jsontext.Value) (keys []string, sources [][]string) {
	t.Helper()
	dec := jsontext.NewDecoder(bytes.NewReader(v))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		t.Fatalf("properties are not an object: %v", err)
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			t.Fatal(err)
		}
		name := tok.String()
		keys = append(keys, name)
		val, err := dec.ReadValue()
		if err != nil {
			t.Fatal(err)
		}
		if name == "sources" {
			var ss []jsontext.Value
			if err := json.Unmarshal(val, &ss); err != nil {
				t.Fatal(err)
			}
			for _, s := range ss {
				k, _ := objectKeys(t, s)
				sources = append(sources, k)
			}
		}
	}
	return keys, sources
}

// checkQueryables: every queryable of the incidents collection but the
// geometry is a field, and an enum's values are the field's.
func checkQueryables(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(geo.NewStore(d, time.Now()), server.Options{Basemap: data.Basemap})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/ogc/collections/incidents/queryables?f=json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("queryables: %d %s", rec.Code, rec.Body)
	}
	var q struct {
		Properties map[string]struct {
			Enum []string `json:"enum"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &q); err != nil {
		t.Fatal(err)
	}
	if len(q.Properties) < 2 {
		t.Fatalf("queryables %s", rec.Body)
	}
	for name, p := range q.Properties {
		if name == "geometry" {
			continue
		}
		i := slices.IndexFunc(geo.IncidentFields(), func(f geo.Field) bool { return f.Name == name })
		if i < 0 {
			t.Errorf("queryable %q is not a field of the schema", name)
			continue
		}
		if f := geo.IncidentFields()[i]; f.Type == geo.TypeEnum && !slices.Equal(p.Enum, f.Values) {
			t.Errorf("queryable %q: enum %v, want %v", name, p.Enum, f.Values)
		}
	}
}

// checkDocTable finds the table after heading in docs/data.md and checks
// its rows: the fields in order, and "yes" in the required column exactly
// for the required ones.
func checkDocTable(t *testing.T, heading string, fields []geo.Field) {
	t.Helper()
	f, err := os.Open("../../docs/data.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	found, inTable := false, false
	var rows [][]string
	for sc.Scan() {
		line := sc.Text()
		if !found {
			found = strings.HasPrefix(line, heading)
			continue
		}
		if strings.HasPrefix(line, "|") {
			inTable = true
			r := csv.NewReader(strings.NewReader(strings.Trim(line, "|")))
			r.Comma = '|'
			r.LazyQuotes = true
			cells, err := r.Read()
			if err != nil {
				t.Fatal(err)
			}
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			rows = append(rows, cells)
			continue
		}
		if inTable {
			break
		}
	}
	if len(rows) < 3 {
		t.Fatalf("%s: no table found in docs/data.md", heading)
	}
	rows = rows[2:] // the header and its rule
	var got, want []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s required=%v", strings.Trim(r[0], "`"), strings.HasPrefix(r[2], "yes")))
	}
	for _, fl := range fields {
		want = append(want, fmt.Sprintf("%s required=%v", fl.Name, fl.Required))
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: docs/data.md lists\n  %s\nwant\n  %s", heading, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
