package server

import (
	"os"
	"regexp"
	"testing"
	"time"

	"strikemap/data"
	"strikemap/internal/geo"
)

func TestMonthSpan(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct{ first, last, want string }{
		{"2023-10-18", "2023-10-25", "October 2023"},
		{"2023-10-18", "2023-12-02", "Oct – Dec 2023"},
		{"2023-10-18", "2024-02-04", "Oct 2023 – Feb 2024"},
		{"2016-01-01", "2027-01-02", "Jan 2016 – Jan 2027"},
	} {
		if got := monthSpan(day(tc.first), day(tc.last)); got != tc.want {
			t.Errorf("monthSpan(%s, %s) = %q, want %q", tc.first, tc.last, got, tc.want)
		}
	}
}

// TestTaglineFromData: the tagline names the bases' countries (from the
// basemap) and the incidents' months, so another dataset gets its own.
func TestTaglineFromData(t *testing.T) {
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	first, last, _ := d.Span()
	want := "Attacks on bases in Iraq, Syria and Jordan, " + monthSpan(first.Time(), last.Time())
	if got := tagline(d, countryNames(data.Basemap)); got != want {
		t.Errorf("tagline %q, want %q", got, want)
	}
}

// TestDisputedFieldsInCatalog holds the page's catalog to geo's list of the
// fields sources may dispute: each has words of its own.
func TestDisputedFieldsInCatalog(t *testing.T) {
	src, err := os.ReadFile("../../web/static/js/map/messages.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range geo.DisputableFields {
		if !regexp.MustCompile(`'disputed\.` + regexp.QuoteMeta(f) + `': '[^']+'`).Match(src) {
			t.Errorf("messages.js has no 'disputed.%s': the popup would show the field's name", f)
		}
	}
}
