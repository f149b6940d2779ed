package loader

import (
	"encoding/binary"
	"strconv"
	"unicode/utf8"

	"strikemap/internal/jsonstring"
)

// FastFeature reads the common shape of an incident feature by hand,
// several times faster than json v2's reflection and without allocating:
// its strings are views of the raw feature (see unsafe.go) until the
// caller copies the ones it keeps. It accepts only what it is sure of:
// strings without escapes in valid UTF-8, whole numbers for counts, each
// member once, no member it does not know. For anything else it gives up,
// and the caller decodes the feature with json v2, which also writes the
// messages for broken features. So it never changes what a file means:
// geo's FuzzFastDecode checks that both decoders agree.
//
// A FastFeature is a feature as the fast decoder read it, with the scratch
// memory its properties point to; each goroutine has its own.
type FastFeature struct {
	Type, ID string
	GeomType string
	Coords   [3]float64 // the first NCoords are set
	NCoords  int
	Props    IncidentProperties

	dateEnd, base  string
	count          int
	injured        int
	killed         int
	sources        []SourceProperties
	published      []string
	claimed, spute []string
	// p is the parser of the feature being read: here, not on the stack,
	// because the member tables' functions take it (and a pointer passed
	// through a function value escapes, which cost an allocation a feature).
	p fastParser
}

type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) ws() {
	for p.i < len(p.b) && isSpace(p.b[p.i]) {
		p.i++
	}
}

// byte consumes c, after white space, when it is next.
func (p *fastParser) byte(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// null consumes a null literal when one is next.
func (p *fastParser) null() bool {
	p.ws()
	if len(p.b)-p.i >= 4 && string(p.b[p.i:p.i+4]) == "null" {
		p.i += 4
		return true
	}
	return false
}

// str reads a string that needs no unescaping, as a string sharing the
// raw bytes.
func (p *fastParser) str() (string, bool) {
	p.ws()
	b, i := p.b, p.i
	if i >= len(b) || b[i] != '"' {
		return "", false
	}
	i++
	start, ascii := i, true
	// Eight bytes at a time while none is a quote, a backslash, a control
	// character or outside ASCII.
	for i+8 <= len(b) && jsonstring.Plain(binary.LittleEndian.Uint64(b[i:])) {
		i += 8
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c == '"' {
			break
		}
		if c == '\\' || c < 0x20 {
			return "", false
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	if i >= len(b) {
		return "", false
	}
	s := b[start:i]
	if !ascii && !utf8.Valid(s) {
		return "", false
	}
	p.i = i + 1
	return view(s), true
}

// strTo reads a string into dst (see str).
func (p *fastParser) strTo(dst *string) bool {
	s, ok := p.str()
	*dst = s
	return ok
}

// optStr reads a string or null into dst: null leaves it nil, a string is
// kept in scratch and dst points to it.
func (p *fastParser) optStr(dst **string, scratch *string) bool {
	if p.null() {
		*dst = nil
		return true
	}
	if !p.strTo(scratch) {
		return false
	}
	*dst = scratch
	return true
}

// number reads a JSON number's literal, checking its grammar.
func (p *fastParser) number() (string, bool) {
	p.ws()
	b, i := p.b, p.i
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return "", false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return "", false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return "", false
		}
	}
	p.i = i
	return view(b[start:i]), true
}

// optInt reads a small non-negative whole number, or null, into dst as
// optStr does.
func (p *fastParser) optInt(dst **int, scratch *int) bool {
	if p.null() {
		*dst = nil
		return true
	}
	lit, ok := p.number()
	if !ok || len(lit) > 10 {
		return false
	}
	n := 0
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		if c < '0' || c > '9' {
			return false // a sign, a fraction or an exponent
		}
		n = n*10 + int(c-'0')
	}
	*scratch = n
	*dst = scratch
	return true
}

// strList reads an array of strings, or null, into dst, reusing scratch's
// memory (which keeps the list).
func (p *fastParser) strList(dst, scratch *[]string) bool {
	if p.null() {
		*dst = nil
		return true
	}
	if !p.byte('[') {
		return false
	}
	list := (*scratch)[:0]
	for !p.byte(']') {
		if len(list) > 0 && !p.byte(',') {
			return false
		}
		s, ok := p.str()
		if !ok {
			return false
		}
		list = append(list, s)
	}
	*dst, *scratch = list, list
	return true
}

// A member is a member of a JSON object that the fast decoder knows: its
// name, and how to read its value into the feature. Each object's members
// are a table below, in the order the data file writes them (geo's schema,
// geo.IncidentFields and geo.SourceFields).
type member struct {
	name string
	read func(f *FastFeature, p *fastParser) bool
}

var (
	featureMembers = []member{
		{"type", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.Type) }},
		{"id", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.ID) }},
		{"geometry", (*FastFeature).geometry},
		{"properties", (*FastFeature).properties},
	}
	geometryMembers = []member{
		{"type", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.GeomType) }},
		{"coordinates", (*FastFeature).coordinates},
	}
	propertyMembers = []member{
		{"date", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.Props.Date) }},
		{"date_end", func(f *FastFeature, p *fastParser) bool { return p.optStr(&f.Props.DateEnd, &f.dateEnd) }},
		{"weapon", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.Props.Weapon) }},
		{"count", func(f *FastFeature, p *fastParser) bool { return p.optInt(&f.Props.Count, &f.count) }},
		{"base", func(f *FastFeature, p *fastParser) bool { return p.optStr(&f.Props.Base, &f.base) }},
		{"status", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.Props.Status) }},
		{"outcome", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.Props.Outcome) }},
		{"injured", func(f *FastFeature, p *fastParser) bool { return p.optInt(&f.Props.Injured, &f.injured) }},
		{"killed", func(f *FastFeature, p *fastParser) bool { return p.optInt(&f.Props.Killed, &f.killed) }},
		{"claimed_by", func(f *FastFeature, p *fastParser) bool { return p.strList(&f.Props.ClaimedBy, &f.claimed) }},
		{"location_precision", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.Props.LocationPrecision) }},
		{"sources", (*FastFeature).sourceList},
		{"disputed", func(f *FastFeature, p *fastParser) bool { return p.strList(&f.Props.Disputed, &f.spute) }},
		{"notes", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.Props.Notes) }},
	}
	// sourceMembers read into the last of f.sources (and f.published).
	sourceMembers = []member{
		{"publisher", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.lastSource().Publisher) }},
		{"url", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.lastSource().URL) }},
		{"published", func(f *FastFeature, p *fastParser) bool {
			return p.optStr(&f.lastSource().Published, &f.published[len(f.published)-1])
		}},
		{"kind", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.lastSource().Kind) }},
		{"says", func(f *FastFeature, p *fastParser) bool { return p.strTo(&f.lastSource().Says) }},
	}
)

// object reads an object whose members are among known, each at most once,
// into f, and returns which it saw (bit i: known[i]). It gives up (false)
// on a member it does not know or one given twice.
func (f *FastFeature) object(p *fastParser, known []member) (seen uint32, ok bool) {
	if !p.byte('{') {
		return 0, false
	}
	if p.byte('}') {
		return 0, true
	}
	next := 0 // the member a file in the schema's order has next
	for {
		name, ok := p.str()
		if !ok || !p.byte(':') {
			return seen, false
		}
		i := next
		if i == len(known) || known[i].name != name {
			for i = 0; i < len(known) && known[i].name != name; i++ {
			}
		}
		if i == len(known) || seen&(1<<i) != 0 || !known[i].read(f, p) {
			return seen, false
		}
		seen |= 1 << i
		next = i + 1
		if p.byte(',') {
			continue
		}
		return seen, p.byte('}')
	}
}

// Parse reads raw, one feature. It returns false when the feature must be
// read by json v2 instead.
func (f *FastFeature) Parse(raw []byte) bool {
	n := f.ParseObject(raw)
	return n > 0 && n == len(raw)
}

// ParseObject reads the feature that starts rest and returns its length,
// or 0 when it must be read by json v2 instead (or goes on past rest).
func (f *FastFeature) ParseObject(rest []byte) int {
	f.p = fastParser{b: rest}
	f.Props = IncidentProperties{}
	f.sources, f.published = f.sources[:0], f.published[:0]
	seen, ok := f.object(&f.p, featureMembers)
	n := f.p.i
	f.p.b = nil // the buffer is the caller's, to recycle
	if !ok || seen != 1<<len(featureMembers)-1 {
		return 0 // json v2 says what is missing
	}
	return n
}

func (f *FastFeature) geometry(p *fastParser) bool {
	f.GeomType, f.NCoords = "", 0
	seen, ok := f.object(p, geometryMembers)
	return ok && seen&2 != 0 && f.GeomType == "Point" && f.NCoords >= 2
}

// coordinates reads a point's two or three numbers.
func (f *FastFeature) coordinates(p *fastParser) bool {
	if !p.byte('[') {
		return false
	}
	for {
		lit, ok := p.number()
		if !ok || f.NCoords == 3 {
			return false
		}
		v, err := strconv.ParseFloat(lit, 64)
		if err != nil {
			return false
		}
		f.Coords[f.NCoords] = v
		f.NCoords++
		if p.byte(',') {
			continue
		}
		return p.byte(']')
	}
}

func (f *FastFeature) properties(p *fastParser) bool {
	_, ok := f.object(p, propertyMembers)
	return ok
}

func (f *FastFeature) lastSource() *SourceProperties { return &f.sources[len(f.sources)-1] }

func (f *FastFeature) sourceList(p *fastParser) bool {
	if p.null() {
		f.Props.Sources = nil
		return true
	}
	if !p.byte('[') {
		return false
	}
	if p.byte(']') {
		f.Props.Sources = f.sources[:0]
		return true
	}
	for {
		f.sources = append(f.sources, SourceProperties{})
		f.published = append(f.published, "")
		if _, ok := f.object(p, sourceMembers); !ok {
			return false
		}
		if p.byte(',') {
			continue
		}
		f.Props.Sources = f.sources
		return p.byte(']')
	}
}
