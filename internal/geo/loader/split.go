package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// A scanner follows the structure of a GeoJSON FeatureCollection and hands
// out each element of its "features" array as raw bytes, without decoding
// it: the decoders check each feature's JSON as they read it. Only the
// structure around and between the features is checked here (brackets,
// strings, the commas between features); inside a feature, only strings and
// brackets are followed, to find where it ends.
//
// Its whole state is a small value, so a file can be cut into chunks and
// the chunks scanned in parallel from a guessed state: see chunks.go.
type scanner struct {
	depth      int
	lead, bom  int  // bytes before the collection, and how many were a byte order mark
	started    bool // the collection's '{' has been read
	done       bool // the collection's '}' has been read
	inString   bool
	escaped    bool // in a string, the previous byte was a backslash
	memberNext bool // at depth 1, the next string is a member name
	inName     bool // reading a member name at depth 1
	inType     bool // reading the value of the "type" member
	name       []byte
	typ        []byte
	typeSeen   bool
	inFeatures bool // inside the "features" array
	sawFeature bool // a "features" array was opened
	elem       byte // in the features array: elemOpen, elemComma or elemValue
	inFeature  bool
	partial    []byte // the start of a feature that began in an earlier buffer
	partialAt  int64  // partial's offset in the file
	base       int64  // the offset in the file of the next buffer to scan
	// frame is the file without its features: the collection's bytes
	// outside the features array's elements, checked as JSON once the
	// scan ends, since the scan itself follows only brackets and strings
	// there.
	frame []byte
	// scribble overwrites partial once its feature is decoded (Options.Scribble).
	scribble bool
}

// What was last read at depth 2 inside the features array.
const (
	elemOpen  = 'o' // its '['
	elemComma = 'c' // a ',' after a feature
	elemValue = 'v' // a feature
)

// betweenFeatures is the state just after a comma that follows a feature:
// where a file written one feature per line stands at the start of each
// line. Chunks are scanned speculatively from it.
func betweenFeatures() scanner {
	return scanner{depth: 2, started: true, inFeatures: true, sawFeature: true, elem: elemComma, name: []byte("features")}
}

// isBetweenFeatures reports whether s is exactly the state betweenFeatures
// returns, so that a chunk scanned from that state was scanned right.
func (s *scanner) isBetweenFeatures() bool {
	return s.depth == 2 && s.started && !s.done && !s.inString && !s.escaped && s.inFeatures &&
		s.elem == elemComma && !s.inFeature && len(s.partial) == 0 && string(s.name) == "features"
}

// merge takes over what an earlier chunk's scan learnt of the collection
// that a chunk scanned from betweenFeatures could not know.
func (s *scanner) merge(earlier *scanner) {
	if !s.typeSeen {
		s.typ, s.typeSeen = earlier.typ, earlier.typeSeen
	}
	s.frame = append(earlier.frame, s.frame...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// scan reads the next bytes of the file and calls emit with each feature
// that ends in them. A feature lying wholly in buf is passed as a slice of
// buf; one that began earlier is assembled in s.partial. It returns an
// error for a structure that is not a FeatureCollection's.
func (s *scanner) scan(buf []byte, emit func(raw []byte)) error {
	return s.scanWith(buf, nil, func(raw []byte, _ int64) { emit(raw) })
}

// scanWith is scan with a decoder that may read a whole feature at the
// start of the bytes it is given, returning their length (0 when it
// cannot): those features are not scanned twice, and not emitted. emit is
// also given the feature's offset in the file, and an error says where it
// is (an *OffsetError).
func (s *scanner) scanWith(buf []byte, take func(rest []byte) int, emit func(raw []byte, at int64)) error {
	i, n := 0, len(buf)
	base := s.base
	s.base += int64(n)
	if s.inFeature {
		end, closed := s.skipFeature(buf, 0)
		if !closed {
			s.partial = append(s.partial, buf...)
			return nil
		}
		s.partial = append(s.partial, buf[:end]...)
		emit(s.partial, s.partialAt)
		if s.scribble {
			Options{Scribble: true}.scribble(s.partial)
		}
		s.partial = s.partial[:0]
		i = end
	}
	for i < n {
		c := buf[i]
		if s.inString {
			switch {
			case s.escaped:
				s.escaped = false
			case c == '\\':
				s.escaped = true
			case c == '"':
				s.inString, s.inName, s.inType = false, false, false
				s.frame = append(s.frame, c)
				i++
				continue
			}
			s.frame = append(s.frame, c)
			if s.inName {
				s.name = append(s.name, c)
			} else if s.inType {
				s.typ = append(s.typ, c)
			}
			i++
			continue
		}
		if s.done {
			if !isSpace(c) {
				return atOffset(base+int64(i), fmt.Errorf("it goes on with %q after the collection closes", c))
			}
			i++
			continue
		}
		if !s.started {
			if s.lead < len(bom) && s.lead == s.bom && c == bom[s.bom] {
				s.bom++ // a byte order mark, before anything else
				s.lead++
				i++
				continue
			}
			if isSpace(c) {
				s.lead++
				i++
				continue
			}
			if c != '{' {
				return atOffset(base+int64(i), fmt.Errorf("it starts with %q, not an object", c))
			}
			s.started = true
		}
		if s.inFeatures && s.depth == 2 {
			switch {
			case isSpace(c):
			case c == '{':
				if s.elem == elemValue {
					return atOffset(base+int64(i), errors.New("two features are not separated by a comma"))
				}
				if take != nil {
					if n := take(buf[i:]); n > 0 {
						s.elem = elemValue
						i += n
						continue
					}
				}
				s.depth++
				s.inFeature = true
				end, closed := s.skipFeature(buf, i+1)
				if !closed {
					s.partial = append(s.partial[:0], buf[i:]...)
					s.partialAt = base + int64(i)
					return nil
				}
				emit(buf[i:end], base+int64(i))
				i = end
				continue
			case c == ',':
				if s.elem != elemValue {
					return atOffset(base+int64(i), errors.New("the features array has a comma where a feature should be"))
				}
				s.elem = elemComma
			case c == ']':
				if s.elem == elemComma {
					return atOffset(base+int64(i), errors.New("the features array ends with a comma"))
				}
				s.depth--
				s.inFeatures = false
				s.frame = append(s.frame, c)
			case c == '"':
				return atOffset(base+int64(i), errors.New("the features array holds a string, not a feature"))
			case c == '[':
				return atOffset(base+int64(i), errors.New("the features array holds an array, not features"))
			default:
				return atOffset(base+int64(i), fmt.Errorf("the features array holds %q, not a feature", c))
			}
			i++
			continue
		}
		s.frame = append(s.frame, c)
		switch c {
		case '"':
			s.inString = true
			if s.depth == 1 {
				if s.memberNext {
					s.inName, s.memberNext, s.name = true, false, s.name[:0]
				} else if string(s.name) == "type" {
					s.inType, s.typ, s.typeSeen = true, s.typ[:0], true
				}
			}
		case '{', '[':
			s.depth++
			switch {
			case s.depth == 1:
				s.memberNext = true
			case s.depth == 2 && c == '[' && string(s.name) == "features":
				if s.sawFeature {
					return atOffset(base+int64(i), errors.New("it has two features arrays"))
				}
				s.inFeatures, s.sawFeature, s.elem = true, true, elemOpen
			}
		case '}', ']':
			s.depth--
			switch {
			case s.depth < 0:
				return atOffset(base+int64(i), errors.New("a bracket closes that was not opened"))
			case s.depth == 0:
				s.done = true
			}
		case ',':
			if s.depth == 1 {
				s.memberNext = true
			}
		}
		i++
	}
	return nil
}

// finish checks the state at the end of the file.
func (s *scanner) finish() error {
	if !s.done {
		return ErrUnexpectedEnd
	}
	d := jsontext.NewDecoder(bytes.NewReader(s.frame), jsontext.AllowDuplicateNames(true))
	if _, err := d.ReadValue(); err != nil {
		return fmt.Errorf("it is not valid JSON outside its features array: %s", strings.TrimPrefix(err.Error(), "jsontext: "))
	}
	return nil
}

// ErrUnexpectedEnd is the structural error of a file that ends before its
// collection closes (Collection.Err).
var ErrUnexpectedEnd = errors.New("it ends before the collection closes")

// Collection is what a scan learnt of a file as a whole.
type Collection struct {
	// Err is what is wrong with the file's structure, if anything: it is
	// not JSON, or not shaped as a FeatureCollection (ErrUnexpectedEnd when
	// it ends too soon). The features before it were decoded.
	Err error
	// Started is whether the collection's '{' was found (false: the file
	// is empty, or white space).
	Started bool
	// Type is the collection's "type" member.
	Type string
	// HasFeatures is whether it has a "features" array.
	HasFeatures bool
}

// collection says what s learnt, once the scan has ended with failed.
func (s *scanner) collection(failed error) Collection {
	if failed == nil {
		failed = s.finish()
	}
	return Collection{Err: failed, Started: s.started, Type: string(s.typ), HasFeatures: s.sawFeature}
}

// ForEachFeature calls fn, in order, with the raw JSON of each element of
// a small file's "features" array and its offset in the file, on this
// goroutine; raw is used again once fn returns. It returns what it learnt
// of the collection, and an error only when r fails (a *ReadError).
func ForEachFeature(r io.Reader, fn func(i int, raw []byte, at int64)) (Collection, error) {
	i := 0
	var s scanner
	buf := make([]byte, 64<<10)
	var failed error
	for failed == nil {
		n, err := r.Read(buf)
		if n > 0 {
			failed = s.scanWith(buf[:n], nil, func(raw []byte, at int64) {
				fn(i, raw, at)
				i++
			})
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Collection{}, &ReadError{err}
		}
	}
	return s.collection(failed), nil
}

// OffsetError is an error in a file's structure found at Offset, a byte
// offset from the start of the file (see LineCols).
type OffsetError struct {
	Offset int64
	Err    error
}

func (e *OffsetError) Error() string { return e.Err.Error() }
func (e *OffsetError) Unwrap() error { return e.Err }

func atOffset(offset int64, err error) error { return &OffsetError{Offset: offset, Err: err} }

// ReadError marks an error from the reader, as opposed to the JSON's shape.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

const bom = "\uFEFF" // in UTF-8

// skipFeature reads on from buf[i], inside a feature (depth 3 or more), to
// the bracket that closes it. It returns the index just after that bracket
// and true, or len(buf) and false when the feature goes on past buf; the
// string and depth state is kept in s either way.
func (s *scanner) skipFeature(buf []byte, i int) (int, bool) {
	n := len(buf)
	depth, inString := s.depth, s.inString
	if s.escaped && i < n {
		s.escaped = false
		i++
	}
	for i < n {
		c := buf[i]
		if inString {
			// Most of a feature is strings: skip them a byte at a
			// time, two at a backslash.
			for i < n {
				c = buf[i]
				if c == '\\' {
					i += 2
					continue
				}
				if c == '"' {
					break
				}
				i++
			}
			if i >= n {
				s.escaped = i > n
				s.depth, s.inString = depth, true
				return n, false
			}
			inString = false
			i++
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 2 {
				s.depth, s.inString, s.inFeature, s.elem = 2, false, false, elemValue
				return i + 1, true
			}
		}
		i++
	}
	s.depth, s.inString = depth, inString
	return n, false
}
