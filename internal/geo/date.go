package geo

import (
	"fmt"
	"time"
)

// Date is a calendar day, counted in days since 1970-01-01. Incident dates are
// local dates at the place of the incident; Date carries no time of day and no
// zone, so comparing two Dates is comparing two days.
type Date int32

// DateLayout is the only textual form a Date has in data files and URLs.
const DateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date. It rejects anything else, including
// impossible days such as 2023-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != len(DateLayout) {
		return 0, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a valid YYYY-MM-DD date", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(u.Unix() / 86400)
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	return time.Unix(int64(d)*86400, 0).UTC()
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return d.Time().Format(DateLayout)
}

// AddDays returns the day n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return d + Date(n) }
