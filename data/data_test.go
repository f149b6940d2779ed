package data_test

import (
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// TestShippedData checks the embedded dataset: it must load, and every value
// must be traceable to a source named on its feature.
func TestShippedData(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatalf("the shipped dataset is invalid:\n%v", err)
	}
	for _, id := range []string{"ain-al-asad", "harir", "erbil-airport", "al-tanf"} {
		if _, ok := d.Base(id); !ok {
			t.Errorf("base %q of the Rudaw article is missing", id)
		}
	}
	for _, b := range d.Bases {
		if b.CoordURL == "" {
			t.Errorf("base %s: no coord_source_url: every shipped coordinate links to its source", b.ID)
		}
	}
	for _, inc := range d.Incidents {
		withURL := 0
		for _, s := range inc.Sources {
			if s.URL != "" {
				withURL++
			}
		}
		if withURL == 0 {
			t.Errorf("incident %s: no source with a url", inc.ID)
		}
		if len(inc.Disputed) > 0 && inc.Notes == "" {
			t.Errorf("incident %s: disputes %v without notes saying who says what", inc.ID, inc.Disputed)
		}
		if !strings.HasPrefix(inc.ID, inc.Date.String()) {
			t.Errorf("incident %s: id does not start with its date %s", inc.ID, inc.Date)
		}
	}
	if len(d.Incidents) < 11 {
		t.Errorf("%d incidents, want the article's and the other reports of 17-23 Oct 2023 (at least 11)", len(d.Incidents))
	}
}
