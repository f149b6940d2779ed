// Package data holds strikemap's default dataset, the October 2023 attacks on
// US bases in Iraq and Syria, embedded in the binary. docs/data.md documents
// the schema and where every value comes from.
package data

import "embed"

// FS holds bases.geojson and incidents.geojson.
//
//go:embed bases.geojson incidents.geojson
var FS embed.FS
