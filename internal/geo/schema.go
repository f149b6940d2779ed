package geo

import "slices"

// This file is the one written description of the data's properties: their
// names, order, JSON types and whether a file must give them. The loader,
// the file writer, the API's GeoJSON (both encoders), the CSV, the OGC
// queryables, the synthetic generator, the map page's config and the
// tables of docs/data.md are each held to it by one test
// (internal/schemacheck), so adding a property starts here and the test
// lists every place that has not followed.

// A JSONType is the JSON type of a property's value.
type JSONType string

// The JSON types the data uses.
const (
	TypeString      JSONType = "string"
	TypeDate        JSONType = "date"    // a string YYYY-MM-DD
	TypeEnum        JSONType = "enum"    // a string, one of Field.Values
	TypeInteger     JSONType = "integer" // a whole number
	TypeStrings     JSONType = "strings" // an array of strings
	TypeSourceArray JSONType = "sources" // an array of source objects (SourceFields)
)

// A Field is one property of a feature, or of a source.
type Field struct {
	Name string
	Type JSONType
	// Nullable fields are written as null when unknown or absent
	// (unknown is not zero): date_end, count, base, injured, killed.
	Nullable bool
	// Required fields must be in every feature of a data file.
	Required bool
	// Values are the allowed values of an enum.
	Values []string
	// APIOnly fields are added by the API (the base's name) and are not
	// in data files.
	APIOnly bool
	// OmitEmpty fields are left out of data files when empty (a
	// source's url and published date).
	OmitEmpty bool
}

// IncidentFields returns an incident's properties, in the order every writer
// writes them.
func IncidentFields() []Field { return cloneFields(incidentSchema) }

// incidentSchema is what IncidentFields returns a copy of.
var incidentSchema = []Field{
	{Name: "date", Type: TypeDate, Required: true},
	{Name: "date_end", Type: TypeDate, Nullable: true},
	{Name: "weapon", Type: TypeEnum, Required: true, Values: Words(weapons)},
	{Name: "count", Type: TypeInteger, Nullable: true},
	{Name: "base", Type: TypeString, Nullable: true},
	{Name: "base_name", Type: TypeString, Nullable: true, APIOnly: true},
	{Name: "status", Type: TypeEnum, Required: true, Values: Words(statuses)},
	{Name: "outcome", Type: TypeString},
	{Name: "injured", Type: TypeInteger, Nullable: true},
	{Name: "killed", Type: TypeInteger, Nullable: true},
	{Name: "claimed_by", Type: TypeStrings},
	{Name: "location_precision", Type: TypeEnum, Required: true, Values: Words(precisions)},
	{Name: "sources", Type: TypeSourceArray, Required: true},
	{Name: "disputed", Type: TypeStrings, Values: slices.Clone(disputableFields)},
	{Name: "notes", Type: TypeString},
}

// SourceFields returns the members of each element of an incident's sources.
func SourceFields() []Field { return cloneFields(sourceSchema) }

// sourceSchema is what SourceFields returns a copy of.
var sourceSchema = []Field{
	{Name: "publisher", Type: TypeString, Required: true},
	{Name: "url", Type: TypeString, Nullable: true, OmitEmpty: true},
	{Name: "published", Type: TypeDate, Nullable: true, OmitEmpty: true},
	{Name: "kind", Type: TypeEnum, Required: true, Values: Words(sourceKinds)},
	{Name: "says", Type: TypeString, Required: true},
}

// BaseFields returns a base's properties in bases.geojson.
func BaseFields() []Field { return cloneFields(baseSchema) }

// baseSchema is what BaseFields returns a copy of.
var baseSchema = []Field{
	{Name: "name", Type: TypeString, Required: true},
	{Name: "short_name", Type: TypeString},
	{Name: "aliases", Type: TypeStrings},
	{Name: "country", Type: TypeString, Required: true},
	{Name: "admin1", Type: TypeString},
	{Name: "kind", Type: TypeEnum, Required: true, Values: Words(baseKinds)},
	{Name: "icao", Type: TypeString},
	{Name: "iata", Type: TypeString},
	{Name: "coord_source", Type: TypeString, Required: true},
	{Name: "coord_source_url", Type: TypeString},
	{Name: "notes", Type: TypeString},
}

// cloneFields copies fs and each field's Values, so that a caller cannot
// change the schema for everyone.
func cloneFields(fs []Field) []Field {
	out := slices.Clone(fs)
	for i := range out {
		out[i].Values = slices.Clone(out[i].Values)
	}
	return out
}

// FileFields returns the fields of fs that data files carry: all but the
// API's own.
func FileFields(fs []Field) []Field {
	out := make([]Field, 0, len(fs))
	for _, f := range fs {
		if !f.APIOnly {
			out = append(out, f)
		}
	}
	return out
}

// FieldNames returns the names of fs, in order.
func FieldNames(fs []Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}
