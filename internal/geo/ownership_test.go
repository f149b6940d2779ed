package geo_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"

	"strikemap/internal/geo"
	"strikemap/internal/synth"
)

// oracleIncident is an incident's text as encoding/json reads it from the
// file: what the loaded incident must still say after the loader has
// reused every buffer it read the file into.
type oracleIncident struct {
	ID         string `json:"id"`
	Properties struct {
		Outcome   string   `json:"outcome"`
		Notes     string   `json:"notes"`
		ClaimedBy []string `json:"claimed_by"`
		Disputed  []string `json:"disputed"`
		Base      *string  `json:"base"`
		Sources   []struct {
			Publisher string `json:"publisher"`
			URL       string `json:"url"`
			Says      string `json:"says"`
		} `json:"sources"`
	} `json:"properties"`
}

// TestLoadedStringsOwnTheirBytes loads incidents in small chunks, with
// every buffer overwritten as the loader reuses it (chunk buffers, the
// bytes of a feature that spans chunks): the fast decoder's strings are
// views of those buffers, so an incident that kept one would now read
// "####". Each incident's every string must still be what the file says.
// Some features have escapes, so json v2 reads them, and long notes, so
// they span chunks.
func TestLoadedStringsOwnTheirBytes(t *testing.T) {
	basesJSON, doc := synthIncidents(t, 1500, 11)
	// Every seventh feature gets unique notes (copied, not interned),
	// every eleventh an escape (json v2 reads it), every thirteenth notes
	// longer than the smaller chunks, and some claimants.
	lines := bytes.Split(doc, []byte("\n"))
	for i, line := range lines {
		switch {
		case i%13 == 5:
			line = bytes.Replace(line, []byte(`"notes":"`), fmt.Appendf(nil, `"claimed_by":["Group %d"],"notes":"%s long %d `, i%3, bytes.Repeat([]byte("x"), 300), i), 1)
		case i%11 == 3:
			line = bytes.Replace(line, []byte(`"notes":"`), fmt.Appendf(nil, `"notes":"tab\there %d `, i), 1)
		case i%7 == 1:
			line = bytes.Replace(line, []byte(`"notes":"`), fmt.Appendf(nil, `"notes":"only here %d `, i), 1)
		}
		lines[i] = line
	}
	perLine := bytes.Join(lines, []byte("\n"))
	if _, err := geo.Parse(basesJSON, perLine); err != nil {
		t.Fatalf("the test's data: %v", err)
	}
	var oracle struct{ Features []oracleIncident }
	if err := json.Unmarshal(perLine, &oracle); err != nil {
		t.Fatal(err)
	}
	var oneLine bytes.Buffer
	if err := json.Compact(&oneLine, perLine); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"per line": perLine, "one line": oneLine.Bytes()} {
		for _, size := range []int{53, 211, 1024, 16 << 10} {
			d, err := geo.ParseInChunks(basesJSON, data, size)
			if err != nil {
				t.Fatalf("%s in chunks of %d: %v", name, size, err)
			}
			if len(d.Incidents) != len(oracle.Features) {
				t.Fatalf("%s in chunks of %d: %d incidents, want %d", name, size, len(d.Incidents), len(oracle.Features))
			}
			for _, want := range oracle.Features {
				inc, ok := d.Incident(want.ID)
				if !ok {
					t.Fatalf("%s in chunks of %d: no incident %q", name, size, want.ID)
				}
				if got := text(inc); !reflect.DeepEqual(got, normalText(want)) {
					t.Fatalf("%s in chunks of %d: incident %q reads\n%+v\nwant\n%+v", name, size, want.ID, got, want)
				}
			}
		}
	}
}

// normalText makes o's empty lists nil, as text writes them.
func normalText(o oracleIncident) oracleIncident {
	p := &o.Properties
	if len(p.ClaimedBy) == 0 {
		p.ClaimedBy = nil
	}
	if len(p.Disputed) == 0 {
		p.Disputed = nil
	}
	return o
}

// synthIncidents returns the shipped bases.geojson and n synthetic
// incidents on them, one feature per line.
func synthIncidents(t *testing.T, n int, seed uint64) (basesJSON, incidentsJSON []byte) {
	t.Helper()
	basesJSON, err := os.ReadFile("../../data/bases.geojson")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := geo.Parse(basesJSON, []byte(`{"type":"FeatureCollection","features":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	var doc bytes.Buffer
	if err := synth.WriteIncidents(&doc, synth.Config{N: n, Seed: seed, Bases: ref.Bases}); err != nil {
		t.Fatal(err)
	}
	return basesJSON, doc.Bytes()
}

// text is inc's strings in the oracle's shape.
func text(inc *geo.Incident) oracleIncident {
	var o oracleIncident
	o.ID = inc.ID
	p := &o.Properties
	p.Outcome, p.Notes, p.ClaimedBy = inc.Outcome, inc.Notes, inc.ClaimedBy
	if inc.Base != "" {
		p.Base = &inc.Base
	}
	p.Disputed = inc.Disputed
	for _, s := range inc.Sources {
		p.Sources = append(p.Sources, struct {
			Publisher string `json:"publisher"`
			URL       string `json:"url"`
			Says      string `json:"says"`
		}{s.Publisher, s.URL, s.Says})
	}
	return normalText(o)
}
