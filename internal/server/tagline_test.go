package server

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// TestTaglineFromData: the tagline names the bases' countries (from the
// basemap) and the incidents' months, so another dataset gets its own.
func TestTaglineFromData(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	first, last, _ := d.Span()
	want := "Attacks on bases in Iraq, Syria and Jordan, " + first.Time().Format("Jan 2006") + " – " + last.Time().Format("Jan 2006")
	if got := d.Tagline(countryNames(data.Basemap)); got != want {
		t.Errorf("tagline %q, want %q", got, want)
	}
}

// TestDisputedFieldsInCatalog holds the catalog to geo's list of the fields
// sources may dispute: each has words of its own.
func TestDisputedFieldsInCatalog(t *testing.T) {
	src, err := os.ReadFile("../../web/messages/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Messages map[string]string `json:"messages"`
	}
	if err := json.Unmarshal(src, &cat); err != nil {
		t.Fatal(err)
	}
	for _, f := range geo.DisputableFields() {
		if strings.TrimSpace(cat.Messages["disputed."+f]) == "" {
			t.Errorf("web/messages/en.json has no 'disputed.%s': the popup would show the field's name", f)
		}
	}
}
