package server

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"strikemap/internal/export"
)

func TestIncidentsCSV(t *testing.T) {
	s := shippedServer(t)
	rec := get(t, s, "/api/incidents.csv?base=harir&download=1")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="incidents_harir.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	body := rec.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Error("no UTF-8 byte order mark: spreadsheets would misread non-ASCII text")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF"))))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180 CSV: %v", err)
	}
	if !slices.Equal(rows[0], export.CSVHeader()) {
		t.Errorf("header %v", rows[0])
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	harir := apiIDsFrom(t, s, "base=harir")
	if len(rows) != 1+len(harir) {
		t.Fatalf("%d rows, want a header and the %d Harir incidents", len(rows), len(harir))
	}
	first := rows[1]
	if first[col("id")] != "2023-10-18-harir-drone" || first[col("injured")] != "0" || first[col("killed")] != "" {
		t.Errorf("row %v: want injured 0 and killed empty (unknown)", first)
	}
	if first[col("longitude")] != "44.3404" || first[col("latitude")] != "36.5331" {
		t.Errorf("coordinates %s, %s", first[col("longitude")], first[col("latitude")])
	}
	if got := first[col("first_source_url")]; got != "https://www.rudaw.net/english/middleeast/iraq/181020232-amp" {
		t.Errorf("first source url %q", got)
	}
	sources := len(shippedIncident(t, "2023-10-18-harir-drone").Sources)
	if n := strings.Count(first[col("sources")], "\n") + 1; first[col("source_count")] != strconv.Itoa(sources) || n != sources {
		t.Errorf("sources: count %s, %d lines", first[col("source_count")], n)
	}
	if !strings.Contains(first[col("sources")], "CENTCOM (statement quoted by Rudaw) [official, 2023-10-18]: ") {
		t.Errorf("sources cell %q", first[col("sources")])
	}

	// Every incident, and the same filters and errors as the GeoJSON.
	all := get(t, s, "/api/incidents.csv")
	rows, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(all.Body.Bytes(), []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 1+len(shippedData(t).Incidents) {
		t.Errorf("all incidents: %d rows, %v", len(rows), err)
	}
	if bad := get(t, s, "/api/incidents.csv?weapon=laser"); bad.Code != http.StatusBadRequest || !strings.Contains(bad.Body.String(), `"param":"weapon"`) {
		t.Errorf("bad filter: %d %s", bad.Code, bad.Body)
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1 rocket":                "'+1 rocket",
		"@SUM(A1)":                 "'@SUM(A1)",
		"-5":                       "-5",
		"plain":                    "plain",
		"":                         "",
	} {
		if got := export.DefuseFormula(in); got != want {
			t.Errorf("DefuseFormula(%q) = %q, want %q", in, got, want)
		}
	}
}
