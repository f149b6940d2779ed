package export

import (
	"encoding/json"
	"testing"
)

// stringAgrees fails when appendString writes s otherwise than
// encoding/json does.
func stringAgrees(t *testing.T, s string) {
	t.Helper()
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendString(nil, s); string(got) != string(want) {
		t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain ascii words, long enough to take the fast path twice",
		`</script><img src=x onerror=alert(1)> & "quoted" \ back` + "\nline\ttab \x01 \u2028 é 日本 \xff\xfe end",
		"12345678\"", "1234567\\", "abcdefg<abcdefgh", "\u2029abcdefghijk", "abcdefgh\x00"} {
		stringAgrees(t, s)
		if got, want := appendWord(nil, s), appendString(nil, s); string(got) != string(want) {
			t.Fatalf("appendWord(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("Synthetic report of an attack, for load tests only; it describes no real event.")
	f.Add("a<b>c&d\"e\\f\ng\u2028h\xffi")
	f.Fuzz(func(t *testing.T, s string) {
		stringAgrees(t, s)
		if got, want := appendWord(nil, s), appendString(nil, s); string(got) != string(want) {
			t.Fatalf("appendWord(%q) = %s, want %s", s, got, want)
		}
	})
}
