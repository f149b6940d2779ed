package store

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// A dataset file is kept as rows: the JSON around its array of features
// (head and tail, compact), one row per element of that array (compact),
// and its layout, so that export gives back the file byte for byte:
//
//   - "indent": what encoding/json's Indent writes with the file's indent
//     (the shipped files, two spaces or one), with or without a final
//     newline;
//   - "lines": one feature a line, as geo.IncidentWriter writes (dataset
//     import and synth);
//   - "verbatim": any other layout (official-counts.json, laid out by
//     hand): the file as imported is kept and written back while its
//     content is unchanged; once it changes, the file is written indented
//     with two spaces.
type fileLayout struct {
	Layout       string `json:"layout"`
	Indent       string `json:"indent"`
	FinalNewline bool   `json:"final_newline"`
	Verbatim     string `json:"verbatim,omitempty"`
}

// splitFile is a data file taken apart.
type splitFile struct {
	head, tail string   // compact JSON before the array's first element and after its last
	elements   [][]byte // each element, compact
	layout     fileLayout
}

// split takes a data file apart: the first member of its top-level object
// whose value is an array (a FeatureCollection's "features", the official
// counts' "counts") holds the rows.
func split(name string, raw []byte) (*splitFile, error) {
	var c bytes.Buffer
	if err := json.Compact(&c, raw); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	doc := c.Bytes()
	open, close, elems, err := topArray(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := &splitFile{head: string(doc[:open+1]), tail: string(doc[close:]), elements: elems}
	f.layout = detectLayout(raw, doc, f)
	return f, nil
}

// topArray finds, in a compact JSON object, the first member whose value
// is an array: the offsets of its [ and ], and its elements.
func topArray(doc []byte) (open, close int, elems [][]byte, err error) {
	if len(doc) == 0 || doc[0] != '{' {
		return 0, 0, nil, fmt.Errorf("not a JSON object")
	}
	depth, inString, escaped := 0, false, false
	open = -1
	start := 0
	for i, c := range doc {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if c == '[' && depth == 2 && open < 0 && doc[i-1] == ':' {
				open, start = i, i+1
			}
		case '}', ']':
			if depth == 2 && open >= 0 && c == ']' {
				if i > start {
					elems = append(elems, doc[start:i])
				}
				return open, i, elems, nil
			}
			depth--
		case ',':
			if depth == 2 && open >= 0 {
				elems = append(elems, doc[start:i])
				start = i + 1
			}
		}
	}
	return 0, 0, nil, fmt.Errorf("no member of the top-level object is an array")
}

// detectLayout finds the layout that reproduces raw from its rows.
func detectLayout(raw, compact []byte, f *splitFile) fileLayout {
	finalNL := bytes.HasSuffix(raw, []byte("\n"))
	for _, indent := range []string{"  ", " ", "\t", "    "} {
		// Only the indent a file starts with can reproduce it: indenting a
		// large file four times would be wasted.
		if !bytes.HasPrefix(raw, []byte("{\n"+indent+`"`)) {
			continue
		}
		l := fileLayout{Layout: "indent", Indent: indent, FinalNewline: finalNL}
		if out, err := l.write(f.head, f.tail, f.elements, compact); err == nil && bytes.Equal(out, raw) {
			return l
		}
	}
	l := fileLayout{Layout: "lines", FinalNewline: finalNL}
	if bytes.HasPrefix(raw, []byte(f.head+"\n")) {
		if out, err := l.write(f.head, f.tail, f.elements, compact); err == nil && bytes.Equal(out, raw) {
			return l
		}
	}
	return fileLayout{Layout: "verbatim", Indent: "  ", FinalNewline: finalNL, Verbatim: string(raw)}
}

// write lays a file out from its rows. compact, when not nil, is the
// document already joined.
func (l fileLayout) write(head, tail string, elems [][]byte, compact []byte) ([]byte, error) {
	if l.Layout == "lines" {
		n := len(head) + len(tail) + 3
		for _, e := range elems {
			n += len(e) + 2
		}
		out := make([]byte, 0, n)
		out = append(out, head...)
		for i, e := range elems {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, '\n')
			out = append(out, e...)
		}
		out = append(out, '\n')
		out = append(out, tail...)
		if l.FinalNewline {
			out = append(out, '\n')
		}
		return out, nil
	}
	if compact == nil {
		compact = join(head, tail, elems)
	}
	if l.Layout == "verbatim" {
		var c bytes.Buffer
		if err := json.Compact(&c, []byte(l.Verbatim)); err == nil && bytes.Equal(c.Bytes(), compact) {
			return []byte(l.Verbatim), nil
		}
	}
	var out bytes.Buffer
	out.Grow(len(compact) * 2)
	if err := json.Indent(&out, compact, "", l.Indent); err != nil {
		return nil, err
	}
	if l.FinalNewline {
		out.WriteByte('\n')
	}
	return out.Bytes(), nil
}

// join builds the compact document from its parts.
func join(head, tail string, elems [][]byte) []byte {
	n := len(head) + len(tail)
	for _, e := range elems {
		n += len(e) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, head...)
	for i, e := range elems {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, e...)
	}
	return append(out, tail...)
}
