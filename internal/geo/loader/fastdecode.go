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

// optStr reads a string or null.
func (p *fastParser) optStr(dst *string) (*string, bool) {
	if p.null() {
		return nil, true
	}
	s, ok := p.str()
	*dst = s
	return dst, ok
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

// optInt reads a small non-negative whole number, or null.
func (p *fastParser) optInt(dst *int) (*int, bool) {
	if p.null() {
		return nil, true
	}
	lit, ok := p.number()
	if !ok || len(lit) > 10 {
		return nil, false
	}
	n := 0
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		if c < '0' || c > '9' {
			return nil, false // a sign, a fraction or an exponent
		}
		n = n*10 + int(c-'0')
	}
	*dst = n
	return dst, true
}

// strList reads an array of strings, or null, into dst.
func (p *fastParser) strList(dst []string) ([]string, bool) {
	if p.null() {
		return nil, true
	}
	if !p.byte('[') {
		return nil, false
	}
	dst = dst[:0]
	if p.byte(']') {
		return dst, true
	}
	for {
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		dst = append(dst, s)
		if p.byte(',') {
			continue
		}
		return dst, p.byte(']')
	}
}

// members calls fn with each member name of an object, after which fn must
// read the value; fn returns a bit naming the member (0: give up), so that
// a member given twice makes the decoder give up.
func (p *fastParser) members(fn func(name string) (bit uint32, ok bool)) bool {
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return true
	}
	var seen uint32
	for {
		name, ok := p.str()
		if !ok || !p.byte(':') {
			return false
		}
		bit, ok := fn(name)
		if !ok || bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		if p.byte(',') {
			continue
		}
		return p.byte('}')
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
	p := fastParser{b: rest}
	props := &f.Props
	*props = IncidentProperties{}
	f.sources, f.published = f.sources[:0], f.published[:0]
	var seen uint32
	ok := p.members(func(name string) (uint32, bool) {
		var bit uint32
		ok := false
		switch name {
		case "type":
			bit = 1
			f.Type, ok = p.str()
		case "id":
			bit = 2
			f.ID, ok = p.str()
		case "geometry":
			bit, ok = 4, f.geometry(&p)
		case "properties":
			bit, ok = 8, f.properties(&p)
		}
		seen |= bit
		return bit, ok
	})
	if !ok || seen != 15 {
		return 0 // json v2 says what is missing
	}
	return p.i
}

func (f *FastFeature) geometry(p *fastParser) bool {
	f.GeomType, f.NCoords = "", 0
	var sawCoords bool
	ok := p.members(func(name string) (uint32, bool) {
		var ok bool
		switch name {
		case "type":
			f.GeomType, ok = p.str()
			return 1, ok
		case "coordinates":
			sawCoords = true
			if !p.byte('[') {
				return 0, false
			}
			for {
				lit, ok := p.number()
				if !ok || f.NCoords == 3 {
					return 0, false
				}
				v, err := strconv.ParseFloat(lit, 64)
				if err != nil {
					return 0, false
				}
				f.Coords[f.NCoords] = v
				f.NCoords++
				if p.byte(',') {
					continue
				}
				return 2, p.byte(']')
			}
		}
		return 0, false
	})
	return ok && sawCoords && f.GeomType == "Point" && f.NCoords >= 2
}

func (f *FastFeature) properties(p *fastParser) bool {
	q := &f.Props
	return p.members(func(name string) (uint32, bool) {
		var ok bool
		switch name {
		case "date":
			q.Date, ok = p.str()
			return 1 << 0, ok
		case "date_end":
			q.DateEnd, ok = p.optStr(&f.dateEnd)
			return 1 << 1, ok
		case "weapon":
			q.Weapon, ok = p.str()
			return 1 << 2, ok
		case "count":
			q.Count, ok = p.optInt(&f.count)
			return 1 << 3, ok
		case "base":
			q.Base, ok = p.optStr(&f.base)
			return 1 << 4, ok
		case "status":
			q.Status, ok = p.str()
			return 1 << 5, ok
		case "outcome":
			q.Outcome, ok = p.str()
			return 1 << 6, ok
		case "injured":
			q.Injured, ok = p.optInt(&f.injured)
			return 1 << 7, ok
		case "killed":
			q.Killed, ok = p.optInt(&f.killed)
			return 1 << 8, ok
		case "claimed_by":
			q.ClaimedBy, ok = p.strList(f.claimed)
			f.claimed = q.ClaimedBy
			return 1 << 9, ok
		case "location_precision":
			q.LocationPrecision, ok = p.str()
			return 1 << 10, ok
		case "sources":
			return 1 << 11, f.sourceList(p)
		case "disputed":
			q.Disputed, ok = p.strList(f.spute)
			f.spute = q.Disputed
			return 1 << 12, ok
		case "notes":
			q.Notes, ok = p.str()
			return 1 << 13, ok
		}
		return 0, false
	})
}

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
		s := &f.sources[len(f.sources)-1]
		pub := &f.published[len(f.published)-1]
		ok := p.members(func(name string) (uint32, bool) {
			var ok bool
			switch name {
			case "publisher":
				s.Publisher, ok = p.str()
				return 1, ok
			case "url":
				s.URL, ok = p.str()
				return 2, ok
			case "published":
				s.Published, ok = p.optStr(pub)
				return 4, ok
			case "kind":
				s.Kind, ok = p.str()
				return 8, ok
			case "says":
				s.Says, ok = p.str()
				return 16, ok
			}
			return 0, false
		})
		if !ok {
			return false
		}
		if p.byte(',') {
			continue
		}
		f.Props.Sources = f.sources
		return p.byte(']')
	}
}
