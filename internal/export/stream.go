package export

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"sync"

	"strikemap/internal/geo"
	"strikemap/internal/jsonstring"
)

// WriteIncidents streams incidents as a GeoJSON FeatureCollection to w,
// feature by feature, so memory stays flat however many there are. It
// writes the same members and values as Incidents (the bbox first, every
// property on every feature, coordinates rounded to 6 decimals), by hand
// over the concrete types: encoding/json through orb's geojson types goes
// through reflection and interfaces for every feature and is several times
// slower (see BenchmarkEncodeIncidents).
func WriteIncidents(w io.Writer, d *geo.Dataset, incidents []*geo.Incident) error {
	return WritePage(w, d, incidents, Page{})
}

// Page describes a page of a larger result, written as foreign members of
// the FeatureCollection (RFC 7946 §6.1).
type Page struct {
	Paged    bool   // write numberReturned (and next when set)
	Matched  int    // numberMatched, when 0 or more
	Next     string // URL of the next page, or ""
	Previous string // URL of the previous page, or ""
	// Members are further foreign members, such as the OGC API's links and
	// timeStamp, each value written as encoding/json writes it.
	Members []Member
}

// Member is one foreign member of a FeatureCollection.
type Member struct {
	Name  string
	Value any
}

// WritePage is WriteIncidents for one page of a result.
func WritePage(w io.Writer, d *geo.Dataset, incidents []*geo.Incident, page Page) error {
	// buf goes to w whenever it passes 32 KB, so w sees few large writes
	// without a bufio.Writer: its 64 KB, allocated for every page, were
	// two thirds of what a page of 10 allocated (BenchmarkSmallPages), and
	// buf growing to its size most of the rest; it comes from a pool.
	pooled := pageBuffers.Get().(*[]byte)
	defer pageBuffers.Put(pooled)
	buf := (*pooled)[:0]
	defer func() { *pooled = buf[:0] }()
	buf = append(buf, `{"type":"FeatureCollection"`...)
	if page.Paged {
		if page.Matched >= 0 {
			buf = append(buf, `,"numberMatched":`...)
			buf = strconv.AppendInt(buf, int64(page.Matched), 10)
		}
		buf = append(buf, `,"numberReturned":`...)
		buf = strconv.AppendInt(buf, int64(len(incidents)), 10)
		if page.Next != "" {
			buf = append(buf, `,"next":`...)
			buf = appendString(buf, page.Next)
		}
		if page.Previous != "" {
			buf = append(buf, `,"prev":`...)
			buf = appendString(buf, page.Previous)
		}
	}
	for _, m := range page.Members {
		v, err := json.Marshal(m.Value)
		if err != nil {
			return fmt.Errorf("member %s: %w", m.Name, err)
		}
		buf = append(buf, ',')
		buf = appendString(buf, m.Name)
		buf = append(buf, ':')
		buf = append(buf, v...)
	}
	if len(incidents) > 0 {
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, inc := range incidents {
			x, y := round6(inc.Point[0]), round6(inc.Point[1])
			minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
		}
		buf = append(buf, `,"bbox":[`...)
		buf = appendFloat(buf, minX)
		buf = append(buf, ',')
		buf = appendFloat(buf, minY)
		buf = append(buf, ',')
		buf = appendFloat(buf, maxX)
		buf = append(buf, ',')
		buf = appendFloat(buf, maxY)
		buf = append(buf, ']')
	}
	buf = append(buf, `,"features":[`...)
	for i, inc := range incidents {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendIncident(buf, d, inc)
		if len(buf) > 32<<10 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, "]}"...)
	_, err := w.Write(buf)
	return err
}

// pageBuffers holds WritePage's buffers, each big enough for a 32 KB batch
// and the feature that passes it.
var pageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 48<<10); return &b }}

// WriteFeature writes one incident as a GeoJSON Feature, as in WriteIncidents.
func WriteFeature(w io.Writer, d *geo.Dataset, inc *geo.Incident) error {
	_, err := w.Write(appendIncident(make([]byte, 0, 1024), d, inc))
	return err
}

func appendIncident(b []byte, d *geo.Dataset, inc *geo.Incident) []byte {
	b = append(b, `{"id":`...)
	b = appendWord(b, inc.ID)
	b = append(b, `,"type":"Feature","geometry":{"type":"Point","coordinates":`...)
	b = appendPosition(b, inc.Point)
	b = append(b, `},"properties":{"date":`...)
	b = appendDate(b, inc.Date)
	b = append(b, `,"date_end":`...)
	if inc.IsSpan() {
		b = appendDate(b, inc.DateEnd)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"weapon":`...)
	b = appendWord(b, inc.Weapon.String())
	b = append(b, `,"count":`...)
	b = appendInt(b, inc.Count)
	b = append(b, `,"base":`...)
	if inc.Base == "" {
		b = append(b, `null,"base_name":null`...)
	} else {
		b = appendWord(b, inc.Base)
		b = append(b, `,"base_name":`...)
		if base, ok := d.Base(inc.Base); ok {
			b = appendString(b, base.Name)
		} else {
			b = append(b, "null"...)
		}
	}
	b = append(b, `,"status":`...)
	b = appendWord(b, inc.Status.String())
	b = append(b, `,"outcome":`...)
	b = appendString(b, inc.Outcome)
	b = append(b, `,"injured":`...)
	b = appendInt(b, inc.Injured)
	b = append(b, `,"killed":`...)
	b = appendInt(b, inc.Killed)
	b = append(b, `,"claimed_by":`...)
	b = appendStrings(b, inc.ClaimedBy)
	b = append(b, `,"location_precision":`...)
	b = appendWord(b, inc.LocationPrecision.String())
	b = append(b, `,"sources":[`...)
	for i, s := range inc.Sources {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"publisher":`...)
		b = appendString(b, s.Publisher)
		b = append(b, `,"url":`...)
		if s.URL == "" {
			b = append(b, "null"...)
		} else {
			b = appendString(b, s.URL)
		}
		b = append(b, `,"published":`...)
		if d, ok := s.Published.Get(); ok {
			b = appendDate(b, d)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"kind":`...)
		b = appendWord(b, s.Kind.String())
		b = append(b, `,"says":`...)
		b = appendString(b, s.Says)
		b = append(b, '}')
	}
	b = append(b, `],"disputed":`...)
	b = appendStrings(b, inc.Disputed)
	b = append(b, `,"notes":`...)
	b = appendString(b, inc.Notes)
	return append(b, "}}"...)
}

// appendDate writes a quoted YYYY-MM-DD without allocating.
func appendDate(b []byte, d geo.Date) []byte {
	b = append(b, '"')
	b = d.Append(b)
	return append(b, '"')
}

func round6(v float64) float64 { return math.Round(v*precision) / precision }

// appendFloat writes v as encoding/json does for the values strikemap has.
func appendFloat(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'f', -1, 64) }

func appendInt(b []byte, n geo.Number) []byte {
	v, ok := n.Get()
	if !ok {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(v), 10)
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendString writes s as a JSON string with HTML escaping on, so the
// JSON is safe inside HTML (see jsonstring.Append).
func appendString(b []byte, s string) []byte { return jsonstring.Append(b, s, true) }

// appendWord writes a short string that should need no escaping, such as
// an id (validation allows only letters, digits, '.', '_' and '-') or a
// word of a vocabulary, as a JSON string, escaping it after all if it does.
func appendWord(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return appendString(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
