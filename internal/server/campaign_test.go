package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestOfficialCountsAPI: the Pentagon's counts are served beside what the
// map holds by the same day, each with the page that states it.
func TestOfficialCountsAPI(t *testing.T) {
	s := shippedServer(t)
	d := shippedData(t)
	rec := get(t, s, "/api/official-counts.json")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var out struct {
		Counts []struct {
			Date, Qualifier, Scope string
			Count, Mapped          int
			Countries              []string
			Source                 struct{ Publisher, URL, Says string }
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Counts) != len(d.OfficialCounts) || len(out.Counts) == 0 {
		t.Fatalf("%d counts, want the dataset's %d", len(out.Counts), len(d.OfficialCounts))
	}
	prevMapped := 0
	for _, c := range out.Counts {
		if c.Source.URL == "" || c.Source.Says == "" || c.Source.Publisher == "" {
			t.Errorf("count of %s has no full source: %+v", c.Date, c.Source)
		}
		// Mapped counts the incidents by that day at a base in the scope.
		want := 0
		for _, inc := range d.Incidents {
			if b, ok := d.Base(inc.Base); ok && inc.Date.String() <= c.Date && (b.Country == "IQ" || b.Country == "SY") {
				want++
			}
		}
		if c.Mapped != want {
			t.Errorf("count of %s: mapped %d, want %d", c.Date, c.Mapped, want)
		}
		if c.Mapped < prevMapped {
			t.Errorf("count of %s: mapped %d falls from %d", c.Date, c.Mapped, prevMapped)
		}
		prevMapped = c.Mapped
	}
	if rec := get(t, s, "/api/official-counts.json?from=2023-10-01"); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "from") {
		t.Errorf("an unknown parameter: status %d %s, want 400 naming it", rec.Code, rec.Body)
	}
}

// TestStrikesAPI: the strikes are their own collection, with their own
// schema, never mixed into the incidents.
func TestStrikesAPI(t *testing.T) {
	s := shippedServer(t)
	d := shippedData(t)
	rec := get(t, s, "/api/strikes.geojson")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != geoJSONType {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	fc := decodeCollection(t, rec.Body.Bytes())
	if len(fc.Features) != len(d.Strikes) || len(fc.Features) == 0 {
		t.Fatalf("%d strikes, want the dataset's %d", len(fc.Features), len(d.Strikes))
	}
	for _, f := range fc.Features {
		p := f.Properties
		if p["kind"] != "strike" || p["attacker"] == "" || p["target"] == "" || p["place"] == "" {
			t.Errorf("%v: kind %v attacker %v target %v place %v", f.ID, p["kind"], p["attacker"], p["target"], p["place"])
		}
		if _, ok := p["killed"]; !ok {
			t.Errorf("%v: killed is not written (null when unknown)", f.ID)
		}
	}
	inc := decodeCollection(t, get(t, s, "/api/incidents.geojson?limit=10000").Body.Bytes())
	for _, f := range inc.Features {
		if f.Properties["kind"] == "strike" || strings.HasPrefix(f.ID.(string), "us-") {
			t.Errorf("a strike among the incidents: %v", f.ID)
		}
	}
	rec = get(t, s, "/api/strikes.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != len(d.Strikes)+1 || rows[0][0] != "id" {
		t.Errorf("strikes.csv: %d rows, err %v", len(rows), err)
	}
	if rec := get(t, s, "/api/strikes.geojson?bbox=1,2,3,4"); rec.Code != http.StatusBadRequest {
		t.Errorf("an unknown parameter: status %d, want 400", rec.Code)
	}
}
