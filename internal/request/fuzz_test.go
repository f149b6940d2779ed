package request_test

import (
	"errors"
	"math"
	"net/http"
	"os"
	"testing"
	"unicode/utf8"

	"strikemap/internal/geo"
	"strikemap/internal/request"
)

// checkClientError fails unless err is a 400 *request.Error whose message a
// client can read: valid UTF-8, not empty, of bounded length.
func checkClientError(t *testing.T, err error) {
	t.Helper()
	var e *request.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not a *request.Error: %v", err, err)
	}
	if e.Status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", e.Status, e.Message)
	}
	if e.Message == "" || !utf8.ValidString(e.Message) || len(e.Message) > 4096 {
		t.Fatalf("unusable message (%d bytes): %q", len(e.Message), e.Message)
	}
}

// FuzzBBox checks that a bbox either reads as a finite box within the
// world, minLat <= maxLat, or is a 400.
func FuzzBBox(f *testing.F) {
	for _, s := range []string{"38,32,45,37.5", "170,-10,-170,10", "45,32,38,37.5", "NaN,0,1,1", "Inf,0,1,1", "-180,-90,180,90",
		"1e309,0,1,1", "0x1p-2,0,1,1", " 1 , 2 , 3 , 4 ", "1,2,3", "1,2,3,4,5", "", ",,,", "1_0,2,3,4", "-0,-0,0,0"} {
		f.Add("bbox=" + s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := request.Query(raw, "bbox")
		if err != nil {
			checkClientError(t, err)
			return
		}
		b, err := request.BBox(q, "bbox")
		if err != nil {
			checkClientError(t, err)
			return
		}
		if b == nil {
			if q.Has("bbox") {
				t.Fatal("a given bbox read as none")
			}
			return
		}
		for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("bbox %v is not finite", b)
			}
		}
		if b.Min[0] < -180 || b.Max[0] > 180 || b.Min[0] > 180 || b.Max[0] < -180 || b.Min[1] < -90 || b.Max[1] > 90 || b.Min[1] > b.Max[1] {
			t.Fatalf("bbox %v is outside the world or upside down", b)
		}
	})
}

// FuzzFilter reads whole filter query strings (dates, lists, vocabularies,
// base ids, bbox) against the fixture dataset: a 400 or a filter whose
// every value is one the dataset knows, and which Select can run.
func FuzzFilter(f *testing.F) {
	d, err := geo.Load(os.DirFS("../geo/testdata/valid"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"from=2023-10-18&to=2023-10-22&weapon=drone,rocket&status=confirmed&base=alpha&bbox=38,32,45,37.5",
		"from=2023-10-22&to=2023-10-18", "from=2023-02-30", "from=0000-01-01", "from=9999-12-31", "from=-2023-01-01",
		"weapon=drone,,rocket", "weapon=", "weapon=drone&weapon=rocket", "status=CONFIRMED", "base=../etc/passwd",
		"base=alpha,alpha,alpha", "from=2023-10-18%00", "weapon=%ff%fe", "bbox=170,-10,-170,10", "%zz=1", "unknown=1",
		"from=+2023-10-18", "from=2023-10-18T00:00:00Z", "from=２０２３-10-18",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := request.Query(raw, request.FilterParams()...)
		if err != nil {
			checkClientError(t, err)
			return
		}
		flt, err := request.Filter(q, d)
		if err != nil {
			checkClientError(t, err)
			return
		}
		if flt.From != nil && flt.To != nil && *flt.From > *flt.To {
			t.Fatalf("from %s after to %s", flt.From, flt.To)
		}
		if len(flt.Weapons) > request.MaxListItems || len(flt.Statuses) > request.MaxListItems || len(flt.Bases) > request.MaxListItems {
			t.Fatal("a list longer than MaxListItems")
		}
		for _, id := range flt.Bases {
			if _, ok := d.Base(id); !ok {
				t.Fatalf("unknown base %q accepted", id)
			}
		}
		all := d.Select(flt)
		page, _ := d.Query(flt, 0, 3)
		if len(page) > 3 || len(page) > len(all) {
			t.Fatalf("Query returned %d of %d", len(page), len(all))
		}
	})
}

// FuzzList checks the list and vocabulary readers on their own: no empty
// item, no more than MaxListItems, only allowed values.
func FuzzList(f *testing.F) {
	for _, s := range []string{"a,b,c", "", ",", "a,,b", "drone,drone", "drone,%2C", "x" + string(make([]byte, 300))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		q := map[string][]string{"weapon": {value}}
		items, err := request.List(q, "weapon")
		if err != nil {
			checkClientError(t, err)
		} else {
			if len(items) == 0 || len(items) > request.MaxListItems {
				t.Fatalf("%d items", len(items))
			}
			for _, it := range items {
				if it == "" {
					t.Fatal("an empty item")
				}
			}
		}
		ws, err := request.Vocabulary(q, "weapon", geo.Weapons())
		if err != nil {
			checkClientError(t, err)
			return
		}
		for _, w := range ws {
			if !validWeapon(w) {
				t.Fatalf("weapon %q accepted", w)
			}
		}
	})
}

func validWeapon(w geo.Weapon) bool {
	for _, v := range geo.Weapons() {
		if v == w {
			return true
		}
	}
	return false
}
