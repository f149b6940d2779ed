package geo

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"strikemap/internal/geo/loader"
)

// TestParseDay checks the fast date reader against time.Parse on every day
// from 1600 to 2400, three days of every year 0000 to 9999, and malformed
// dates.
func TestParseDay(t *testing.T) {
	check := func(s string) {
		t.Helper()
		want, err := time.Parse(DateLayout, s)
		got, ok := parseDay(s)
		if ok != (err == nil) {
			t.Fatalf("%q: parseDay ok=%v, time.Parse error %v", s, ok, err)
		}
		if ok && got != DateOf(want) {
			t.Fatalf("%q: parseDay %s, time.Parse %s", s, got, want.Format(DateLayout))
		}
	}
	for d := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2400; d = d.AddDate(0, 0, 1) {
		check(d.Format(DateLayout))
		if got := DateOf(d).String(); got != d.Format(DateLayout) {
			t.Fatalf("Date.String() = %s, want %s", got, d.Format(DateLayout))
		}
	}
	for _, y := range []int{0, 1, 399, 400, 1969, 1970, 9999} {
		for _, md := range [][2]int{{1, 1}, {2, 28}, {3, 1}, {12, 31}} {
			d := time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, time.UTC)
			if got := DateOf(d).String(); got != d.Format(DateLayout) {
				t.Fatalf("Date.String() = %s, want %s", got, d.Format(DateLayout))
			}
		}
	}
	for y := 0; y <= 9999; y++ {
		check(fmt.Sprintf("%04d-02-29", y))
		check(fmt.Sprintf("%04d-12-31", y))
		check(fmt.Sprintf("%04d-01-01", y))
	}
	for _, s := range []string{"2023-02-30", "2023-13-01", "2023-00-10", "2023-10-00", "2023-10-32", "2023/10/18", "2023-1-018", "+023-10-18", "2023-10-1x", "20231018xx", "2023-04-31", "1900-02-29", "2000-02-29", " 2023-10-1"} {
		check(s)
	}
}

// plainURLAgrees fails when plainHTTPURL accepts what url.Parse would not
// take for an absolute http(s) URL with a host.
func plainURLAgrees(t *testing.T, s string) {
	t.Helper()
	if !plainHTTPURL(s) {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Fatalf("plainHTTPURL accepts %q, which url.Parse reads as %+v, %v", s, u, err)
	}
}

func TestPlainHTTPURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://example.org/synthetic/1/0":   true,
		"http://www.rudaw.net/english/a?b=c":  true,
		"https://example.org":                 true,
		"https://Example.org/":                false, // url.Parse decides
		"https://example.org:8080/":           false,
		"https://user@example.org/":           false,
		"https://example.org/a%20b":           false,
		"https://example.org/#x":              false,
		"https:///path":                       false,
		"javascript:alert(1)":                 false,
		"https://exa mple.org/":               false,
		"https://example.org/\x7f":            false,
		"ftp://example.org/":                  false,
		"https://example.org/a b":             false,
		"https://[::1]/":                      false,
		"https://example.org/it's-(fine)*!$,": true,
	} {
		if got := plainHTTPURL(s); got != want {
			t.Errorf("plainHTTPURL(%q) = %v, want %v", s, got, want)
		}
		plainURLAgrees(t, s)
		if err := checkHTTPURL(s); want && err != nil {
			t.Errorf("checkHTTPURL(%q): %v", s, err)
		}
	}
}

func FuzzPlainHTTPURL(f *testing.F) {
	for _, s := range []string{"https://example.org/a/b?c=d", "http://x.y", "https://a-b.c/@:;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { plainURLAgrees(t, s) })
}

// fixtureFeatures returns the raw features of every incidents fixture.
func fixtureFeatures(t testing.TB) [][]byte {
	files, _ := filepath.Glob("testdata/*/incidents.geojson")
	more, _ := filepath.Glob("testdata/invalid/*/incidents.geojson")
	var out [][]byte
	for _, file := range append(files, more...) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = loader.ForEachFeature(bytes.NewReader(b), func(_ int, raw []byte, _ int64) { out = append(out, append([]byte(nil), raw...)) })
	}
	return out
}

// synthLine is one feature as `dataset synth` writes it.
const synthLine = `{"geometry":{"coordinates":[38.64449,33.291951],"type":"Point"},"id":"syn-0000000","properties":{"base":"tower-22","count":3,"date":"2018-01-09","location_precision":"exact","notes":"Synthetic incident 0.","outcome":"Fell short in open ground near the base.","sources":[{"kind":"media","published":"2018-01-10","publisher":"Synthetic wire 33","says":"Synthetic report of an attack, for load tests only; it describes no real event.","url":"https://example.org/synthetic/0/0"}],"status":"reported","weapon":"unknown"},"type":"Feature"}`

// fastAgrees fails when the fast decoder accepts a feature that json v2
// reads differently, or rejects.
func fastAgrees(t testing.TB, raw []byte) bool {
	var ff loader.FastFeature
	if !ff.Parse(raw) {
		return false
	}
	var problems []Problem
	f := featureProblems{file: IncidentsFile, problems: &problems}
	var p incidentProperties
	slowPt, slowOK := f.decodeFeature(raw, &p)
	slowProblems := append([]Problem(nil), problems...)
	problems = problems[:0]
	g := featureProblems{file: IncidentsFile, problems: &problems}
	fastPt, fastOK := g.checkFast(&ff)
	if slowOK != fastOK || slowPt != fastPt || f.id != g.id || !reflect.DeepEqual(slowProblems, problems) {
		t.Fatalf("%s\njson v2: %v %v %q %v\nfast:    %v %v %q %v", raw, slowOK, slowPt, f.id, slowProblems, fastOK, fastPt, g.id, problems)
	}
	if fp := incidentProperties(ff.Props); !reflect.DeepEqual(normal(p), normal(fp)) {
		t.Fatalf("%s\njson v2 reads %+v\nfast reads    %+v", raw, p, fp)
	}
	return true
}

// normal makes empty lists nil, which both decoders treat alike.
func normal(p incidentProperties) incidentProperties {
	if len(p.ClaimedBy) == 0 {
		p.ClaimedBy = nil
	}
	if len(p.Disputed) == 0 {
		p.Disputed = nil
	}
	if len(p.Sources) == 0 {
		p.Sources = nil
	}
	return p
}

// TestFastDecode checks that the fast decoder reads the fixtures' and the
// generator's features as json v2 does, and that it takes the common ones.
func TestFastDecode(t *testing.T) {
	fast := 0
	features := fixtureFeatures(t)
	for _, raw := range features {
		if fastAgrees(t, raw) {
			fast++
		}
	}
	if !fastAgrees(t, []byte(synthLine)) {
		t.Error("the fast decoder gives up on a generated feature")
	}
	if fast < len(features)/2 {
		t.Errorf("the fast decoder took %d of %d fixture features", fast, len(features))
	}
	for _, raw := range []string{
		strings.Replace(synthLine, `"count":3`, `"count":3.0`, 1),
		strings.Replace(synthLine, `"count":3`, `"count":-3`, 1),
		strings.Replace(synthLine, `"count":3`, `"count":"3"`, 1),
		strings.Replace(synthLine, `"notes":"Synthetic`, `"notes":"Synth\u00e9tic`, 1),
		strings.Replace(synthLine, `"notes":"Synthetic`, `"notes":"Synth\"etic`, 1),
		strings.Replace(synthLine, `"notes":"Synthetic`, "\"notes\":\"Synth\xffetic", 1),
		strings.Replace(synthLine, `"status":"reported"`, `"status":"reported","status":"claimed"`, 1),
		strings.Replace(synthLine, `"weapon":"unknown"`, `"weapon":"unknown","extra":1`, 1),
		strings.Replace(synthLine, `"type":"Feature"}`, `"type":"Feature","bbox":[1,2,3,4]}`, 1),
		strings.Replace(synthLine, `"id":"syn-0000000"`, `"id":7`, 1),
		strings.Replace(synthLine, `[38.64449,33.291951]`, `[38.64449]`, 1),
		synthLine + " x",
	} {
		if fastAgrees(t, []byte(raw)) {
			t.Errorf("the fast decoder took %s", raw)
		}
	}
}

func FuzzFastDecode(f *testing.F) {
	for _, raw := range fixtureFeatures(f) {
		f.Add(raw)
	}
	f.Add([]byte(synthLine))
	f.Fuzz(func(t *testing.T, raw []byte) { fastAgrees(t, raw) })
}
