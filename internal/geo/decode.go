package geo

import (
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/paulmach/orb"

	"strikemap/internal/geo/loader"
)

// This file is the careful half of decoding a feature: json v2
// (github.com/go-json-experiment/json) into concrete structs, rejecting
// unknown properties, and the messages that say what is wrong with a
// feature and where. The fast half is package loader's FastFeature, which
// gives up to this one on anything unusual; the loader also finds the
// features in a file. orb's geojson package decoded through map[string]any
// and held the whole file; it stays for writing small files.

// hashReader returns a reader that feeds h with everything read from r.
func hashReader(r io.Reader, h hash.Hash) io.Reader { return io.TeeReader(r, h) }

// forEachFeature calls fn, in order, with the raw JSON of each element of
// a small file's "features" array, on this goroutine. Problems with the file
// as a whole are added to problems; an I/O error is returned.
func forEachFeature(file string, r io.Reader, problems *[]Problem, fn func(i int, raw []byte)) error {
	c, err := loader.ForEachFeature(r, func(i int, raw []byte, at int64) {
		before := len(*problems)
		fn(i, raw)
		placeInFile((*problems)[before:], at)
	})
	if err != nil {
		return err
	}
	addFileProblem(file, c, problems)
	return nil
}

// placeInFile turns the offsets of syntax errors in a feature (set by
// decodeFeature) into offsets in the file, where the feature is at at.
func placeInFile(problems []Problem, at int64) {
	for i := range problems {
		if problems[i].at > 0 {
			problems[i].at += at
		}
	}
}

// placeProblems gives the syntax errors among problems their line and
// column, reading each file they are in again with open (the loader counts
// no lines, so that a valid file costs nothing).
func placeProblems(problems []Problem, open func(name string) (io.ReadCloser, error)) {
	byFile := map[string][]int{}
	for i, p := range problems {
		if p.at > 0 {
			byFile[p.File] = append(byFile[p.File], i)
		}
	}
	for file, which := range byFile {
		r, err := open(file)
		if err != nil {
			continue
		}
		offsets := make([]int64, len(which))
		for k, i := range which {
			offsets[k] = problems[i].at - 1
		}
		places, err := loader.LineCols(r, offsets)
		r.Close()
		if err != nil {
			continue
		}
		for k, i := range which {
			problems[i].Line, problems[i].Col = places[k].Line, places[k].Col
		}
	}
}

// addFileProblem adds what is wrong with a file as a whole, if anything,
// once its scan has ended.
func addFileProblem(file string, c loader.Collection, problems *[]Problem) {
	fileProblem := func(format string, args ...any) {
		*problems = append(*problems, Problem{File: file, Index: -1, Reason: fmt.Sprintf(format, args...)})
	}
	switch {
	case errors.Is(c.Err, loader.ErrUnexpectedEnd) && !c.Started:
		fileProblem("is empty: want a GeoJSON FeatureCollection")
	case errors.Is(c.Err, loader.ErrUnexpectedEnd):
		fileProblem("is not valid JSON: it ends before the collection closes")
	case c.Err != nil:
		fileProblem("is not a GeoJSON FeatureCollection: %v", c.Err)
		var oe *loader.OffsetError
		if errors.As(c.Err, &oe) {
			(*problems)[len(*problems)-1].at = oe.Offset + 1
		}
	case c.Type != "FeatureCollection":
		fileProblem("has type %q, want a GeoJSON FeatureCollection", truncate(c.Type))
	case !c.HasFeatures:
		fileProblem("has no features array")
	}
}

type geometryWire struct {
	Type        string         `json:"type"`
	Coordinates jsontext.Value `json:"coordinates"`
	Foreign     jsontext.Value `json:",unknown"`
}

// decodeOptions reject unknown properties. Duplicate names are not looked
// for: checking them costs a fifth of the decoding time, and the last value
// wins as in encoding/json.
var decodeOptions = json.JoinOptions(json.RejectUnknownMembers(true), jsontext.AllowDuplicateNames(true))

// decodeFeature reads one feature's id, point and properties with json v2.
// It returns false when the feature is too broken to check further.
func (f *featureProblems) decodeFeature(raw []byte, props any) (orb.Point, bool) {
	var w struct {
		Type       string         `json:"type"`
		ID         jsontext.Value `json:"id"`
		Geometry   *geometryWire  `json:"geometry"`
		Properties any            `json:"properties"`
		Foreign    jsontext.Value `json:",unknown"`
	}
	w.Properties = props
	if err := json.Unmarshal(raw, &w, decodeOptions); err != nil {
		f.readID(raw)
		f.add(jsonErrorField(err), "%s", jsonErrorReason(err))
		var syn *jsontext.SyntacticError
		if errors.As(err, &syn) {
			// Where in raw: forEachFeature and the incident decoder
			// make it where in the file (placeInFile).
			(*f.problems)[len(*f.problems)-1].at = syn.ByteOffset + 1
		}
		return orb.Point{}, false
	}
	f.setID(w.ID)
	if w.Type != "Feature" {
		f.add("type", "%q is not \"Feature\"", truncate(w.Type))
		return orb.Point{}, false
	}
	if w.Geometry == nil {
		f.add("geometry", "is missing: want a Point")
		return orb.Point{}, false
	}
	var c []float64
	err := json.Unmarshal(w.Geometry.Coordinates, &c)
	return f.point(w.Geometry.Type, c, err == nil)
}

// checkFast checks what the fast decoder read, as decodeFeature checks
// what json v2 read. The fast decoder read only a string id and a Point.
func (f *featureProblems) checkFast(ff *loader.FastFeature) (orb.Point, bool) {
	f.setIDString(ff.ID)
	if ff.Type != "Feature" {
		f.add("type", "%q is not \"Feature\"", truncate(ff.Type))
		return orb.Point{}, false
	}
	return f.point(ff.GeomType, ff.Coords[:ff.NCoords], true)
}

// readID finds the id of a feature that failed to decode, for the message.
func (f *featureProblems) readID(raw []byte) {
	var w struct {
		ID jsontext.Value `json:"id"`
	}
	if json.Unmarshal(raw, &w) == nil && w.ID.Kind() == '"' {
		_ = json.Unmarshal(w.ID, &f.id)
	}
}

func (f *featureProblems) setID(raw jsontext.Value) {
	switch raw.Kind() {
	case '"':
		var id string
		_ = json.Unmarshal(raw, &id)
		f.setIDString(id)
	case 0, 'n':
		f.add("id", "is missing: every feature needs a stable string id")
	default:
		f.add("id", "%s must be a string", truncate(string(raw)))
	}
}

func (f *featureProblems) setIDString(id string) {
	f.id = id
	if !validID(id) {
		f.add("id", "%q must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit", truncate(id))
	}
}

// point checks a geometry's type and coordinates (ok is false when they
// were not an array of numbers).
func (f *featureProblems) point(typ string, c []float64, ok bool) (orb.Point, bool) {
	if typ != "Point" {
		f.add("geometry", "is a %s, want a Point", truncate(typ))
		return orb.Point{}, false
	}
	if !ok || len(c) < 2 || len(c) > 3 {
		f.add("geometry", "coordinates must be [longitude, latitude]")
		return orb.Point{}, false
	}
	pt := orb.Point{c[0], c[1]}
	switch {
	case math.IsNaN(pt.Lon()) || pt.Lon() < -180 || pt.Lon() > 180:
		f.add("geometry", "longitude %v is outside -180..180", pt.Lon())
	case math.IsNaN(pt.Lat()) || pt.Lat() < -90 || pt.Lat() > 90:
		f.add("geometry", "latitude %v is outside -90..90", pt.Lat())
	}
	return pt, true
}

// jsonErrorField names the property a decoding error is about, as the
// messages write it: "count", "sources[0].kind".
func jsonErrorField(err error) string {
	var pointer jsontext.Pointer
	var se *json.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case errors.As(err, &se):
		pointer = se.JSONPointer
	case errors.As(err, &syn):
		// A syntax error names the member it is in, and no more.
		pointer = syn.JSONPointer
		if pointer == "" {
			return ""
		}
	default:
		return "properties"
	}
	parts := strings.Split(strings.TrimPrefix(string(pointer), "/"), "/")
	if len(parts) > 0 && parts[0] == "properties" {
		parts = parts[1:]
	}
	var b strings.Builder
	for _, p := range parts {
		p = strings.NewReplacer("~1", "/", "~0", "~").Replace(p)
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return "properties"
	}
	return truncate(b.String())
}

// jsonErrorReason says what was wrong with a property's JSON and what is
// allowed.
func jsonErrorReason(err error) string {
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) && syn.Err != nil {
		return "is not valid JSON: " + syn.Err.Error()
	}
	var se *json.SemanticError
	if !errors.As(err, &se) {
		return "cannot be read: " + err.Error()
	}
	if errors.Is(se.Err, json.ErrUnknownName) {
		if se.GoType != nil {
			return "is not a known property; allowed: " + strings.Join(jsonFieldNames(se.GoType), ", ")
		}
		return "is not a known property"
	}
	if se.GoType != nil && se.JSONKind != 0 {
		return fmt.Sprintf("is a JSON %s, want %s", kindName(se.JSONKind), jsonKind(se.GoType))
	}
	return "cannot be read: " + err.Error()
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "boolean"
	case '{':
		return "object"
	case '[':
		return "array"
	case 'n':
		return "null"
	}
	return k.String()
}

// jsonKind says a Go type as a JSON reader would.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "a whole number (or null)"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "an array of strings"
		}
		return "an array"
	}
	return "an object"
}

// jsonFieldNames lists the JSON property names of a struct type.
func jsonFieldNames(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" {
			names = append(names, name)
		}
	}
	return names
}

// truncate shortens text from a data file before it is quoted in a message.
func truncate(s string) string {
	const n = 80
	if len(s) <= n {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ToValidUTF8(s[:n], "\uFFFD") + "…"
}
