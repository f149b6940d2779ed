// Package schemacheck holds the one test that keeps every reader and writer
// of the data to the schema written in internal/geo/schema.go: the loader,
// the data file writer, the API's GeoJSON (the streaming writer and orb's
// encoder, its oracle), the CSV, the OGC queryables, the synthetic
// generator and the tables of docs/data.md. It has no code of its own.
package schemacheck
