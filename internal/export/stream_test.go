package export_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"testing/fstest"

	"strikemap/data"
	"strikemap/internal/export"
	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// tricky is an incident whose text needs every kind of escaping.
const tricky = `{"type":"FeatureCollection","features":[{"type":"Feature","id":"x-1","geometry":{"type":"Point","coordinates":[42.12345678,33.1]},
"properties":{"date":"2023-10-18","weapon":"drone","status":"claimed","location_precision":"exact","outcome":"</script><img src=x onerror=alert(1)> & \"quoted\" \\ back\nline\ttab \u0001 \u2028 é 日本",
"claimed_by":["A & B"],"sources":[{"publisher":"P <b>","kind":"claim","says":"says \"hi\""}],"notes":"n"}}]}`

func same(t *testing.T, d *geo.Dataset, incidents []*geo.Incident) {
	t.Helper()
	want, err := export.Incidents(d, incidents)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := export.WriteIncidents(&got, d, incidents); err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(got.Bytes(), &a); err != nil {
		t.Fatalf("stream output is not JSON: %v\n%s", err, got.String())
	}
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("stream and orb outputs differ:\n%s\n%s", got.String()[:min(got.Len(), 2000)], want[:min(len(want), 2000)])
	}
}

func TestWriteIncidentsMatchesOrb(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	same(t, d, d.Select(geo.Filter{}))
	same(t, d, nil)

	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	td, err := geo.Parse(basesJSON, []byte(tricky))
	if err != nil {
		t.Fatal(err)
	}
	same(t, td, td.Select(geo.Filter{}))
	var out bytes.Buffer
	if err := export.WriteIncidents(&out, td, td.Select(geo.Filter{})); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out.Bytes(), []byte("</script>")) || bytes.Contains(out.Bytes(), []byte("<img")) {
		t.Error("HTML left unescaped in JSON")
	}

	var syn bytes.Buffer
	if err := synth.WriteIncidents(&syn, synth.Config{N: 500, Seed: 3, Bases: d.Bases}); err != nil {
		t.Fatal(err)
	}
	sd, err := geo.Load(fstest.MapFS{"bases.geojson": {Data: basesJSON}, "incidents.geojson": {Data: syn.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	same(t, sd, sd.Select(geo.Filter{}))
}

func BenchmarkEncodeIncidents(b *testing.B) {
	d, _ := geo.Load(data.FS)
	basesJSON, _ := data.FS.ReadFile("bases.geojson")
	var syn bytes.Buffer
	if err := synth.WriteIncidents(&syn, synth.Config{N: 10000, Seed: 1, Bases: d.Bases}); err != nil {
		b.Fatal(err)
	}
	sd, err := geo.Parse(basesJSON, syn.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	incidents := sd.Select(geo.Filter{})
	var size int
	b.Run("orb+encoding/json", func(b *testing.B) {
		for b.Loop() {
			out, err := export.Incidents(sd, incidents)
			if err != nil {
				b.Fatal(err)
			}
			size = len(out)
		}
		b.SetBytes(int64(size))
	})
	b.Run("stream", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := export.WriteIncidents(&buf, sd, incidents); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(buf.Len()))
	})
}
