package geo_test

import (
	"testing"

	"strikemap/internal/geo"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"2023-10-18", "2023-10-18", true},
		{"1970-01-01", "1970-01-01", true},
		{"1969-12-31", "1969-12-31", true},
		{"2024-02-29", "2024-02-29", true},
		{"2023-02-29", "", false},
		{"2023-10-18T00:00:00Z", "", false},
		{"2023-1-8", "", false},
		{"18/10/2023", "", false},
		{"", "", false},
	} {
		d, err := geo.ParseDate(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && d.String() != tc.want {
			t.Errorf("ParseDate(%q) = %s, want %s", tc.in, d, tc.want)
		}
	}
	a, _ := geo.ParseDate("2023-10-18")
	b, _ := geo.ParseDate("2023-10-22")
	if b-a != 4 || a.AddDays(4) != b {
		t.Errorf("2023-10-22 - 2023-10-18 = %d days, want 4", b-a)
	}
}
