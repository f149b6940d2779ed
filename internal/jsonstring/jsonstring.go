// Package jsonstring writes a Go string as a JSON string, as encoding/json
// does, several times faster: the data file writer (geo) writes with HTML
// escaping off, the API's writers (export) with it on, so that their
// GeoJSON is safe inside HTML.
package jsonstring

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// Append writes s as a JSON string to b, escaping as encoding/json does:
// quotes, backslashes and control characters; with escapeHTML, <, > and &
// too; U+2028 and U+2029; invalid UTF-8 as U+FFFD.
func Append(b []byte, s string, escapeHTML bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs escaping or decoding.
		if escapeHTML {
			for i+8 <= len(s) && plainHTML(word(s, i)) {
				i += 8
			}
		} else {
			for i+8 <= len(s) && Plain(word(s, i)) {
				i += 8
			}
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!escapeHTML || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// word is the eight bytes of s from i, little-endian: the compiler makes
// the shifts one load, as it does binary.LittleEndian.Uint64's, without
// unsafe.
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// The bit tricks below are from "Bit Twiddling Hacks": a byte is zero in v
// exactly when v-0x01 borrows into its top bit. They are small enough for
// the compiler to inline into Append's loops (and the loader's); TestPlain checks them byte by
// byte.
const ones, highs = 0x0101010101010101, 0x8080808080808080

// Plain reports whether none of the eight bytes of x needs escaping in a
// JSON string (a quote, a backslash, a control character) or is outside
// ASCII: so a reader of JSON (the loader's fast decoder) can take the eight
// bytes as they are, too.
func Plain(x uint64) bool {
	q, bs := x^(ones*'"'), x^(ones*'\\')
	return ((q-ones)&^q|(bs-ones)&^bs|(x-ones*0x20)&^x|x)&highs == 0
}

// plainHTML is plain that also finds <, > and &.
func plainHTML(x uint64) bool {
	q, bs, lt, gt, amp := x^(ones*'"'), x^(ones*'\\'), x^(ones*'<'), x^(ones*'>'), x^(ones*'&')
	return ((q-ones)&^q|(bs-ones)&^bs|(lt-ones)&^lt|(gt-ones)&^gt|(amp-ones)&^amp|(x-ones*0x20)&^x|x)&highs == 0
}
