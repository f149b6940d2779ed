package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// MappingFields are the incident fields a CSV column can be mapped to.
func MappingFields() []string { return slices.Clone(mappingFields) }

// mappingFields is what MappingFields returns a copy of.
var mappingFields = []string{
	"id", "lat", "lon", "date", "date_end", "weapon", "count", "base", "status", "outcome",
	"injured", "killed", "claimed_by", "location_precision",
	"source_publisher", "source_url", "source_kind", "source_published", "source_says", "notes",
}

// requiredMapping are the fields without which no row can become an incident.
var requiredMapping = []string{"lat", "lon", "date", "source_publisher", "source_says"}

// Mapping says which CSV column (by header name) holds each incident field.
type Mapping map[string]string

// ParseMapping reads a mapping written as "field=Column,field=Column", e.g.
// "lat=Latitude,lon=Longitude,date=Date,source_publisher=Outlet,source_says=Summary".
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		field, column, ok := strings.Cut(pair, "=")
		field, column = strings.TrimSpace(field), strings.TrimSpace(column)
		if !ok || column == "" {
			return nil, fmt.Errorf("mapping %q is not field=Column", pair)
		}
		if !slices.Contains(mappingFields, field) {
			return nil, fmt.Errorf("mapping field %q is not one of %s", field, strings.Join(mappingFields, ", "))
		}
		if _, dup := m[field]; dup {
			return nil, fmt.Errorf("mapping field %q is given twice", field)
		}
		m[field] = column
	}
	var missing []string
	for _, f := range requiredMapping {
		if _, ok := m[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the mapping lacks %s (required: %s)", strings.Join(missing, ", "), strings.Join(requiredMapping, ", "))
	}
	return m, nil
}

// CSVOptions configure ReadCSV.
type CSVOptions struct {
	Bases    []geo.Base // the bases of the dataset imported into
	RadiusKm float64    // a row without a base targets the nearest base within this distance
}

// ReadCSV reads a generic spreadsheet named file, one incident a row, with
// the columns named by m. Empty cells are unknown values. Defaults: weapon
// unknown; base the nearest within opts.RadiusKm; source_kind media; status
// the strongest its source gives; location_precision "base" when the point
// is the base's own, else exact; id, when not mapped, "csv-" + date + a hash
// of the date, point, weapon and publisher (stable while those stay). The
// incidents are not yet validated: call Batch.Validate.
func ReadCSV(r io.Reader, file string, m Mapping, opts CSVOptions) (*Batch, error) {
	t, err := newTable(file, r)
	if err != nil {
		return nil, err
	}
	columns := make([]string, 0, len(m))
	for _, c := range m {
		columns = append(columns, c)
	}
	slices.Sort(columns)
	if err := t.require(columns...); err != nil {
		return nil, err
	}
	b := &Batch{File: file}
	seen := map[string]int{}
	for {
		row, err := t.next()
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		if len(row.fields) != len(t.header) {
			b.reject(row.line, "", "has %d fields, the header has %d", len(row.fields), len(t.header))
			continue
		}
		inc, field, err := csvIncident(row, m, opts)
		if err != nil {
			b.reject(row.line, field, "%v", err)
			continue
		}
		if first, dup := seen[inc.ID]; dup {
			b.reject(row.line, m.column("id"), "id %q is also the id of line %d: ids must be unique", inc.ID, first)
			continue
		}
		seen[inc.ID] = row.line
		b.add(inc, row.line)
	}
}

// column names the column mapped to field, or the field when unmapped.
func (m Mapping) column(field string) string {
	if c, ok := m[field]; ok {
		return c
	}
	return field
}

// csvIncident maps one row; on failure it names the column at fault.
func csvIncident(r *row, m Mapping, opts CSVOptions) (inc geo.Incident, field string, err error) {
	get := func(f string) string {
		if c, ok := m[f]; ok {
			return r.get(c)
		}
		return ""
	}
	fail := func(f string, err error) (geo.Incident, string, error) { return inc, m.column(f), err }

	if inc.Date, err = parseDay(get("date")); err != nil {
		return fail("date", err)
	}
	inc.DateEnd = inc.Date
	if s := get("date_end"); s != "" {
		if inc.DateEnd, err = parseDay(s); err != nil {
			return fail("date_end", err)
		}
	}
	lat, err := parseCoord(get("lat"))
	if err != nil {
		return fail("lat", err)
	}
	lon, err := parseCoord(get("lon"))
	if err != nil {
		return fail("lon", err)
	}
	inc.Point = orb.Point{lon, lat}
	if inc.Weapon, err = term(get("weapon"), geo.Weapons(), geo.WeaponUnknown); err != nil {
		return fail("weapon", err)
	}
	if inc.Count, err = parseCount(get("count"), 1); err != nil {
		return fail("count", err)
	}
	if inc.Injured, err = parseCount(get("injured"), 0); err != nil {
		return fail("injured", err)
	}
	if inc.Killed, err = parseCount(get("killed"), 0); err != nil {
		return fail("killed", err)
	}
	inc.Base = get("base")
	if inc.Base == "" {
		if b, _, ok := geo.NearestBase(opts.Bases, inc.Point, opts.RadiusKm*1000); ok {
			inc.Base = b.ID
		}
	}
	if inc.LocationPrecision, err = term(get("location_precision"), geo.Precisions(), 0); err != nil {
		return fail("location_precision", err)
	}
	if inc.LocationPrecision == 0 {
		inc.LocationPrecision = geo.PrecisionExact
		for i := range opts.Bases {
			if b := &opts.Bases[i]; b.ID == inc.Base && geo.AtBase(b, inc.Point) {
				inc.LocationPrecision = geo.PrecisionBase
			}
		}
	}
	inc.Outcome = get("outcome")
	inc.ClaimedBy = splitList(get("claimed_by"))
	inc.Notes = get("notes")
	src := geo.Source{Publisher: get("source_publisher"), URL: get("source_url"), Says: get("source_says")}
	if src.Kind, err = term(get("source_kind"), geo.SourceKinds(), geo.SourceMedia); err != nil {
		return fail("source_kind", err)
	}
	if s := get("source_published"); s != "" {
		d, err := parseDay(s)
		if err != nil {
			return fail("source_published", err)
		}
		src.Published = geo.SomeDate(d)
	}
	inc.Sources = []geo.Source{src}
	if inc.Status, err = term(get("status"), geo.Statuses(), 0); err != nil {
		return fail("status", err)
	}
	if inc.Status == 0 {
		inc.Status = geo.StrongestStatus(inc.Sources)
	}
	inc.ID = get("id")
	if _, mapped := m["id"]; !mapped {
		h := sha256.Sum256(fmt.Appendf(nil, "%s|%v|%v|%s|%s", inc.Date, lon, lat, inc.Weapon, src.Publisher))
		inc.ID = "csv-" + inc.Date.String() + "-" + hex.EncodeToString(h[:4])
	} else if inc.ID == "" {
		return fail("id", fmt.Errorf("is empty: every incident needs a stable id"))
	}
	return inc, "", nil
}

// term reads a cell holding a word of vocabulary, in any case; an empty
// cell gives dflt.
func term[T geo.Term](cell string, vocabulary []T, dflt T) (T, error) {
	w := strings.ToLower(strings.TrimSpace(cell))
	if w == "" {
		return dflt, nil
	}
	t, ok := geo.ParseTerm(vocabulary, w)
	if !ok {
		return t, fmt.Errorf("%q is not one of %s", cell, strings.Join(geo.Words(vocabulary), ", "))
	}
	return t, nil
}
