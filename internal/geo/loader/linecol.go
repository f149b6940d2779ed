package loader

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"slices"
)

// LineCol is a place in a file as an editor shows it: both count from 1,
// and the column counts characters (UTF-8 sequences), not bytes.
type LineCol struct{ Line, Col int }

// LineCols reads r, a file again, to say where each of offsets (bytes from
// the start of the file) is. The loader counts no lines as it reads, so as
// to cost nothing when a file is valid; this is for the messages of one
// that is not. An offset past the end is left as the zero LineCol.
func LineCols(r io.Reader, offsets []int64) ([]LineCol, error) {
	out := make([]LineCol, len(offsets))
	order := make([]int, len(offsets))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(offsets[a], offsets[b]) })
	line, col := 1, 1 // where pos is
	var pos int64
	// advance moves pos over seg.
	advance := func(seg []byte) {
		if nl := bytes.LastIndexByte(seg, '\n'); nl >= 0 {
			line += bytes.Count(seg, []byte{'\n'})
			col = 1 + chars(seg[nl+1:])
		} else {
			col += chars(seg)
		}
		pos += int64(len(seg))
	}
	buf := make([]byte, 64<<10)
	next := 0 // in order
	for next < len(order) {
		n, err := r.Read(buf)
		b := buf[:n]
		end := pos + int64(n)
		for next < len(order) && offsets[order[next]] < end {
			at := offsets[order[next]]
			if at >= pos {
				advance(b[:at-pos])
				b = b[len(b)-int(end-pos):]
			}
			out[order[next]] = LineCol{line, col}
			next++
		}
		advance(b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, &ReadError{err}
		}
	}
	return out, nil
}

// chars counts the characters that start in b: the bytes that are not a
// UTF-8 continuation byte, so that a character cut across two reads counts
// once.
func chars(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}
