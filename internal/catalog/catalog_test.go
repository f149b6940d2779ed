package catalog

import (
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestTFillsPlaceholdersLikeTheScript(t *testing.T) {
	c := New("en", "ltr", map[string]string{"count-some": "{count} of {total} incidents", "stale": "dataset {v}", "plain": "Map"})
	for _, tc := range []struct{ got, want string }{
		{c.T("count-some", Args{"count": 121000, "total": 200000}), "121,000 of 200,000 incidents"},
		{c.T("count-some", Args{"count": 5}), "5 of {total} incidents"}, // a missing argument stays visible
		{c.T("stale", Args{"v": "abc123"}), "dataset abc123"},
		{c.T("plain"), "Map"},
		{c.T("no-such-key"), "⟦no-such-key⟧"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestSetMatchesAcceptLanguageAndFallsBackToEnglish(t *testing.T) {
	fsys := fstest.MapFS{
		"en.json": {Data: []byte(`{"locale":"en","dir":"ltr","messages":{"map":"Map","count":"{n} incidents"}}`)},
		"ar.json": {Data: []byte(`{"locale":"ar","dir":"rtl","messages":{"map":"خريطة"}}`)},
	}
	s, err := LoadSet(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ar := s.Match("ar-IQ,ar;q=0.9,en;q=0.5")
	if ar.Locale != "ar" || ar.Dir != "rtl" || ar.T("map") != "خريطة" {
		t.Errorf("Arabic request got %s %s %q", ar.Locale, ar.Dir, ar.T("map"))
	}
	if got := ar.T("count", Args{"n": 1200}); got != "١٬٢٠٠ incidents" {
		t.Errorf("a key Arabic lacks falls back to English, with Arabic digits: got %q", got)
	}
	for _, h := range []string{"", "fr", "de-DE,fr;q=0.5", ";;;"} {
		if c := s.Match(h); c.Locale != "en" {
			t.Errorf("Accept-Language %q got %s, want en", h, c.Locale)
		}
	}
}

func TestLoadRefusesABrokenCatalog(t *testing.T) {
	for name, data := range map[string]string{
		"no dir":     `{"locale":"en","messages":{}}`,
		"bad locale": `{"locale":"??","dir":"ltr","messages":{}}`,
		"not json":   `{"locale":`,
	} {
		if _, err := Load(fstest.MapFS{"en.json": {Data: []byte(data)}}, "en.json"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestTheEmbeddedCatalogLoads(t *testing.T) {
	if en := Default.English(); en.Locale != "en" || len(en.Messages) == 0 {
		t.Fatalf("embedded English: %s, %d messages", en.Locale, len(en.Messages))
	}
}

// writeNumber writes n as the map page's script does from a catalog's
// Numbers (web/static/js/map/messages.js, fmtNumber).
func writeNumber(f NumberFormat, n int) string {
	s := strconv.Itoa(n)
	var parts []string
	if f.Primary > 0 && len(s) > f.Primary {
		parts = []string{s[len(s)-f.Primary:]}
		s = s[:len(s)-f.Primary]
		for len(s) > f.Secondary {
			parts = append([]string{s[len(s)-f.Secondary:]}, parts...)
			s = s[:len(s)-f.Secondary]
		}
	}
	parts = append([]string{s}, parts...)
	out := strings.Join(parts, "\x00")
	var b strings.Builder
	for _, r := range out {
		if r >= '0' && r <= '9' {
			b.WriteString(f.Digits[r-'0'])
		} else {
			b.WriteString(f.Group)
		}
	}
	return b.String()
}

// The script writes counts from the catalog's Numbers, not from its own
// Intl: each locale's description must write every number as Number does.
func TestNumbersDescribeTheLocalesWriting(t *testing.T) {
	cats := []*Catalog{New("hi-IN", "ltr", nil), New("de", "ltr", nil), New("fr", "ltr", nil), New("ar", "rtl", nil), New("ckb", "rtl", nil)}
	cats = append(cats, Default.catalogs...)
	for _, c := range cats {
		if c.Numbers.Primary == 0 || len(c.Numbers.Digits) != 10 {
			t.Errorf("%s: no grouping read: %+v", c.Locale, c.Numbers)
		}
		for _, n := range []int{0, 7, 12, 999, 1000, 1234, 12345, 123456, 1234567, 200000, 1000000, 987654321, 1234567890123} {
			if got, want := writeNumber(c.Numbers, n), c.Number(n); got != want {
				t.Errorf("%s: %d written %q from %+v, Number writes %q", c.Locale, n, got, c.Numbers, want)
			}
		}
	}
	if f := New("hi-IN", "ltr", nil).Numbers; f.Primary != 3 || f.Secondary != 2 {
		t.Errorf("hi-IN groups %d then %d, want 3 then 2 (12,34,567)", f.Primary, f.Secondary)
	}
}
