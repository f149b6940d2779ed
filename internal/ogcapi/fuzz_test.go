package ogcapi

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"testing"
	"unicode/utf8"

	"strikemap/internal/request"
)

// checkClientError fails unless err is a 400 with a readable message.
func checkClientError(t *testing.T, err error) {
	t.Helper()
	var e *request.Error
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest {
		t.Fatalf("error is not a 400 *request.Error: %v", err)
	}
	if e.Message == "" || !utf8.ValidString(e.Message) || len(e.Message) > 4096 {
		t.Fatalf("unusable message: %q", e.Message)
	}
}

// FuzzDatetime checks the OGC datetime parameter: a 400, or a range whose
// start is not after its end.
func FuzzDatetime(f *testing.F) {
	for _, s := range []string{"2023-10-18", "2023-10-18T12:00:00Z", "2023-10-18t12:00:00+03:00", "2023-10-18/2023-10-22", "../2023-10-22",
		"2023-10-18/..", "/", "../..", "2023-10-22/2023-10-18", "2023-10-18/2023-10-19/2023-10-20", "", "2023-13-45", "9999-12-31T23:59:60Z",
		"0000-01-01T00:00:00-23:59", "2023-10-18T25:00:00Z", "2023-10-18 12:00:00", "1e9", "2023-10-18T12:00:00.999999999999Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		from, to, err := parseDatetime(url.Values{"datetime": {s}}, "datetime")
		if err != nil {
			checkClientError(t, err)
			return
		}
		if from != nil && to != nil && *from > *to {
			t.Fatalf("%q read as %s after %s", s, from, to)
		}
		if _, _, err := parseDatetime(url.Values{}, "datetime"); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzOGCBBox checks the OGC bbox, four or six numbers.
func FuzzOGCBBox(f *testing.F) {
	for _, s := range []string{"38,32,45,37.5", "38,32,0,45,37.5,100", "38,32,NaN,45,37.5,1", "170,-10,-170,10", "1,2,3,4,5", "1,2,3,4,5,6,7", ",,,,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := parseBBox(url.Values{"bbox": {s}}, "bbox")
		if err != nil {
			checkClientError(t, err)
			return
		}
		for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 180 {
				t.Fatalf("bbox %v accepted", b)
			}
		}
		if b.Min[1] > b.Max[1] || math.Abs(b.Min[1]) > 90 || math.Abs(b.Max[1]) > 90 {
			t.Fatalf("bbox %v accepted", b)
		}
	})
}

// FuzzLimitOffset checks limit and offset: a 400 or a number in range.
func FuzzLimitOffset(f *testing.F) {
	for _, s := range []string{"10", "0", "-1", "10000", "10001", "1e3", "0x10", "99999999999999999999", " 5", "+5", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := url.Values{"limit": {s}, "offset": {s}}
		n, err := parseInt(q, "limit", DefaultLimit, 1, MaxLimit)
		if err != nil {
			checkClientError(t, err)
		} else if n < 1 || n > MaxLimit {
			t.Fatalf("limit %q read as %d", s, n)
		}
		n, err = parseInt(q, "offset", 0, 0, 1<<31-1)
		if err != nil {
			checkClientError(t, err)
		} else if n < 0 || n > 1<<31-1 {
			t.Fatalf("offset %q read as %d", s, n)
		}
	})
}
