package catalog

import (
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
