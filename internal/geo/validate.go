package geo

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with one feature of a data file. Index counts
// features from 0, as in the file's "features" array; it is -1 for a problem
// with the file as a whole.
type Problem struct {
	File   string // file name, e.g. "incidents.geojson"
	Index  int    // feature index from 0, or -1
	ID     string // the feature's id, when it has one
	Field  string // the property (or "id", "geometry"), or ""
	Reason string // what is wrong and what is allowed
	// Line and Col say where in the file a JSON syntax error is, counting
	// from 1 (Col in characters); 0 when it is not one, or the file could
	// not be read again to count its lines (Read).
	Line, Col int

	at int64 // for a syntax error, 1 + its byte offset (see placeProblems)
}

// String formats p as
//
//	incidents.geojson: feature 4 ("2023-10-21-x"): weapon "drones" is not one of drone, rocket, missile, unknown
//	incidents.geojson:7:58: feature 5 ("2023-10-22-y"): is not valid JSON: ...
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
	}
	b.WriteString(": ")
	if p.Index >= 0 {
		noun := "feature"
		if p.File == OfficialCountsFile {
			noun = "count"
		}
		fmt.Fprintf(&b, "%s %d", noun, p.Index)
		if p.ID != "" {
			fmt.Fprintf(&b, " (%q)", p.ID)
		}
		b.WriteString(": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(" ")
	}
	b.WriteString(p.Reason)
	return b.String()
}

// ValidationError lists every problem found in a dataset. A dataset with any
// problem is rejected whole: strikemap never serves part of one.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0].String()
	}
	lines := make([]string, 0, len(e.Problems)+1)
	lines = append(lines, fmt.Sprintf("%d problems in the data:", len(e.Problems)))
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// validID reports whether s can serve as a stable id in a URL path: 1 to 128
// ASCII letters, digits, '.', '_' or '-', starting with a letter or digit.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case (c == '-' || c == '_' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

// upperLetters reports whether s is exactly n ASCII capital letters.
func upperLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
