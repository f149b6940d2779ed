package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"strikemap/data"
)

// TestExportTitleFromData: an image's default title is the map page's
// tagline, said from the data (its bases' countries and months), not a
// title written for one dataset; title= still replaces it.
func TestExportTitleFromData(t *testing.T) {
	s := shippedServer(t)
	d := s.store.Dataset()
	want := d.Tagline(countryNames(data.Basemap))
	rec := get(t, s, "/api/export/map.svg?width=800&height=600")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "<title>"+want+"</title>") {
		t.Errorf("the image's title is not the page's tagline %q:\n%.400s", want, body)
	}
	if strings.Contains(body, "Attacks on US bases in Iraq and Syria") {
		t.Error("the image still carries the hard-coded title")
	}
	rec = get(t, s, "/api/export/map.svg?width=800&height=600&title=Harir+in+2024")
	if !strings.Contains(rec.Body.String(), "<title>Harir in 2024</title>") {
		t.Error("title= is not honoured")
	}
}

// TestExportRingRadii: the rings of an image take the rings endpoint's
// radii, and a bad radius is a 400 saying what is allowed, not a map drawn
// without its rings.
func TestExportRingRadii(t *testing.T) {
	s := shippedServer(t)
	rings := func(target string) int {
		rec := get(t, s, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		return strings.Count(rec.Body.String(), `stroke-dasharray="6 4"`)
	}
	if n := rings("/api/export/map.svg?layers=bases,rings&base=harir&radii=5,10,15"); n != 3 {
		t.Errorf("radii=5,10,15 round one base drew %d rings, want 3", n)
	}
	if n := rings("/api/export/map.svg?layers=bases,rings&base=harir"); n == 0 {
		t.Error("no rings with the default radii")
	}
	for _, bad := range []string{"radii=-5", "radii=abc", "radii=100000"} {
		rec := get(t, s, "/api/export/map.png?layers=bases,rings&"+bad)
		var body struct {
			Error string `json:"error"`
		}
		if rec.Code != http.StatusBadRequest || json.Unmarshal(rec.Body.Bytes(), &body) != nil || !strings.Contains(rec.Body.String(), "radii") {
			t.Errorf("%s: %d %s, want 400 with JSON naming radii", bad, rec.Code, rec.Body)
		}
	}
}
