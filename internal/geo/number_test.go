package geo

import "testing"

func TestNumber(t *testing.T) {
	var unknown Number
	if v, ok := unknown.Get(); ok || v != -1 || unknown.Known() || unknown.Ptr() != nil || unknown.String() != "unknown" {
		t.Errorf("the zero Number reads as %d, %v, %v, %q; want unknown", v, ok, unknown.Ptr(), unknown)
	}
	for _, n := range []int{0, 1, 7, MaxNumber} {
		k := Known(n)
		if v, ok := k.Get(); !ok || v != n || *k.Ptr() != n {
			t.Errorf("Known(%d) reads as %d, %v", n, v, ok)
		}
	}
	if Known(0) == unknown {
		t.Error("a known 0 equals unknown")
	}
	for _, n := range []int{-1, MaxNumber + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Known(%d) did not panic", n)
				}
			}()
			Known(n)
		}()
	}
	var noDay MaybeDate
	if _, ok := noDay.Get(); ok || noDay.String() != "" {
		t.Error("the zero MaybeDate is known")
	}
	if d, ok := SomeDate(19650).Get(); !ok || d != 19650 || SomeDate(19650).String() != "2023-10-20" {
		t.Errorf("SomeDate reads as %v, %v", d, ok)
	}
}
