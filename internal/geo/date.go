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
	if d, ok := parseDay(s); ok {
		return d, nil
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
func (d Date) String() string { return string(d.Append(make([]byte, 0, 10))) }

// Append appends d as YYYY-MM-DD (years 0000 to 9999; others as time
// formats them).
func (d Date) Append(b []byte) []byte {
	y, m, day := civilFromDays(int(d))
	if y < 0 || y > 9999 {
		return d.Time().AppendFormat(b, DateLayout)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// civilFromDays is the inverse of daysFromCivil (Howard Hinnant's
// civil_from_days).
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// AddDays returns the day n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// parseDay reads a valid YYYY-MM-DD date without time.Parse, which loading
// a million incidents would call three million times. It returns false for
// anything it does not accept, and ParseDate then asks time.Parse, which
// says what is wrong; TestParseDay checks that the two agree.
func parseDay(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 to a day of the proleptic
// Gregorian calendar (Howard Hinnant's days_from_civil).
func daysFromCivil(y, m, d int) Date {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - 719468)
}
