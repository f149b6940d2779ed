package jsonstring

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
)

// TestPlain checks the eight-byte tests against a byte loop, for every
// byte value at every position.
func TestPlain(t *testing.T) {
	isPlain := func(s string, escapeHTML bool) bool {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || escapeHTML && strings.IndexByte("<>&", c) >= 0 {
				return false
			}
		}
		return true
	}
	for _, fill := range []byte{'a', ' ', '~', '%', 0x7f} {
		for pos := 0; pos < 8; pos++ {
			for c := 0; c < 256; c++ {
				w := []byte(strings.Repeat(string(fill), 8))
				w[pos] = byte(c)
				x := binary.LittleEndian.Uint64(w)
				if got := Plain(x); got != isPlain(string(w), false) {
					t.Fatalf("Plain(%q) = %v", w, got)
				}
				if got := plainHTML(x); got != isPlain(string(w), true) {
					t.Fatalf("plainHTML(%q) = %v", w, got)
				}
				if word(string(w), 0) != x {
					t.Fatalf("word(%q) = %x, want %x", w, word(string(w), 0), x)
				}
			}
		}
	}
}

// agrees fails when Append writes s otherwise than encoding/json does,
// with HTML escaping on and off.
func agrees(t *testing.T, s string) {
	t.Helper()
	for _, escapeHTML := range []bool{true, false} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(escapeHTML)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := Append(nil, s, escapeHTML); string(got) != strings.TrimSuffix(want.String(), "\n") {
			t.Fatalf("Append(%q, escapeHTML %v) = %s, want %s", s, escapeHTML, got, want.String())
		}
	}
}

func TestAppend(t *testing.T) {
	for _, s := range []string{"", "plain ascii words, long enough to take the fast path twice",
		`</script><img src=x onerror=alert(1)> & "quoted" \ back` + "\nline\ttab \x01 \u2028 é 日本 \xff\xfe end",
		"12345678\"", "1234567\\", "abcdefg<abcdefgh", "\u2029abcdefghijk", "abcdefgh\x00"} {
		agrees(t, s)
	}
}

func FuzzAppend(f *testing.F) {
	f.Add("Synthetic report of an attack, for load tests only; it describes no real event.")
	f.Add("a<b>c&d\"e\\f\ng\u2028h\xffi")
	f.Fuzz(agrees)
}
