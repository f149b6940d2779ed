package loader

import (
	"strings"
	"testing"
	"testing/iotest"
)

func TestLineCols(t *testing.T) {
	doc := "ab\ncé\n\nxyz"
	// Every offset but the second byte of é, read whole and a byte at a time.
	offsets := []int64{0, 1, 2, 3, 4, 6, 7, 8, 9, 10}
	want := []LineCol{{1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 2}, {2, 3}, {3, 1}, {4, 1}, {4, 2}, {4, 3}}
	for name, r := range map[string]func() *strings.Reader{"whole": func() *strings.Reader { return strings.NewReader(doc) }} {
		for _, oneByte := range []bool{false, true} {
			rd := r()
			var got []LineCol
			var err error
			if oneByte {
				got, err = LineCols(iotest.OneByteReader(rd), offsets)
			} else {
				got, err = LineCols(rd, offsets)
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("%s (one byte %v): offset %d is %v, want %v", name, oneByte, offsets[i], got[i], want[i])
				}
			}
		}
	}
	got, _ := LineCols(strings.NewReader(doc), []int64{10, 0, 99})
	if got[0] != (LineCol{4, 3}) || got[1] != (LineCol{1, 1}) || got[2] != (LineCol{}) {
		t.Errorf("unsorted offsets: %v", got)
	}
}
