package loader

import (
	"encoding/binary"
	"testing"
)

// TestPlainWord checks the eight-byte test against a byte loop.
func TestPlainWord(t *testing.T) {
	plain := func(b []byte) bool {
		for _, c := range b {
			if c == '"' || c == '\\' || c < 0x20 || c > 0x7f {
				return false
			}
		}
		return true
	}
	word := make([]byte, 8)
	for _, fill := range []byte{'a', ' ', '~', 0x7f} {
		for pos := 0; pos < 8; pos++ {
			for c := 0; c < 256; c++ {
				for i := range word {
					word[i] = fill
				}
				word[pos] = byte(c)
				if got := plainWord(binary.LittleEndian.Uint64(word)); got != plain(word) {
					t.Fatalf("plainWord(%q) = %v", word, got)
				}
			}
		}
	}
}
