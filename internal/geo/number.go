package geo

import (
	"math"
	"strconv"
)

// Number is a non-negative count (projectiles, injured, killed) that may be
// unknown. The zero value is unknown, so an Incident built without a count
// never claims one. It is four bytes and no pointer: a million incidents
// hold three each.
type Number struct{ n int32 } // n-1 is the value; 0 means unknown

// MaxNumber is the largest count a Number holds.
const MaxNumber = 1<<31 - 2

// Known returns the Number n. It panics when n is outside 0..MaxNumber:
// callers check data before they build numbers from it.
func Known(n int) Number {
	if n < 0 || n > MaxNumber {
		panic("geo: count " + strconv.Itoa(n) + " is outside 0.." + strconv.Itoa(MaxNumber))
	}
	return Number{int32(n + 1)}
}

// Get returns the number and whether it is known.
func (n Number) Get() (int, bool) { return int(n.n) - 1, n.n != 0 }

// Known reports whether the number is known.
func (n Number) Known() bool { return n.n != 0 }

// Ptr returns the number, or nil when it is unknown, for encoders that
// write JSON null for nil.
func (n Number) Ptr() *int {
	if v, ok := n.Get(); ok {
		return &v
	}
	return nil
}

// String is the number in decimal, or "unknown".
func (n Number) String() string {
	if v, ok := n.Get(); ok {
		return strconv.Itoa(v)
	}
	return "unknown"
}

// MaybeDate is a Date that may be unknown, such as the publication day of
// a source. The zero value is unknown. It is four bytes: the day with its
// sign bit flipped, so that zero stands for a day no data can hold.
type MaybeDate struct{ x int32 }

// SomeDate returns a known MaybeDate.
func SomeDate(d Date) MaybeDate { return MaybeDate{int32(d) ^ math.MinInt32} }

// Get returns the date and whether it is known.
func (m MaybeDate) Get() (Date, bool) { return Date(m.x ^ math.MinInt32), m.x != 0 }

// Known reports whether the date is known.
func (m MaybeDate) Known() bool { return m.x != 0 }

// String is the date as YYYY-MM-DD, or "" when it is unknown.
func (m MaybeDate) String() string {
	d, ok := m.Get()
	if !ok {
		return ""
	}
	return d.String()
}
