// Package data holds strikemap's default dataset, the October 2023 attacks on
// US bases in Iraq and Syria, embedded in the binary. docs/data.md documents
// the schema and where every value comes from.
package data

import "embed"

// FS holds bases.geojson and incidents.geojson.
//
//go:embed bases.geojson incidents.geojson
var FS embed.FS

// Basemap is the offline basemap: country borders and rivers of the region,
// derived from Natural Earth (docs/basemap.md says how).
//
//go:embed basemap.geojson
var Basemap []byte
