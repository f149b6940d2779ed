package geo

import (
	"testing"
	"time"
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
