package request

import (
	"net/url"
	"strings"
	"testing"
)

func TestReadableQuery(t *testing.T) {
	q := url.Values{
		"map":    {"9/33.8/42.44"},
		"weapon": {"drone,rocket"},
		"title":  {"a&b=c #d +e %2F f: ü"},
	}
	got := ReadableQuery(q)
	if want := "map=9/33.8/42.44"; !strings.Contains(got, want) {
		t.Errorf("ReadableQuery = %q, want %q in it", got, want)
	}
	if want := "weapon=drone,rocket"; !strings.Contains(got, want) {
		t.Errorf("ReadableQuery = %q, want %q in it", got, want)
	}
	back, err := url.ParseQuery(got)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range q {
		if back.Get(k) != v[0] {
			t.Errorf("%s read back as %q from %q, want %q", k, back.Get(k), got, v[0])
		}
	}
}
