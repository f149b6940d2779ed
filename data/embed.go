// Package data holds strikemap's default dataset, the attacks on US bases in
// Iraq, Syria and Jordan from 17 October 2023 to 4 February 2024, embedded in
// the binary. docs/data.md documents the schema and where every value comes
// from.
package data

import "embed"

// FS holds bases.geojson and incidents.geojson, the Pentagon's running
// counts of attacks (official-counts.json) and the US strikes in response
// (strikes.geojson).
//
//go:embed bases.geojson incidents.geojson official-counts.json strikes.geojson
var FS embed.FS

// Basemap is the offline basemap: land, country borders, rivers, country
// label points and towns of the region, from Natural Earth and GeoNames
// (docs/basemap.md says how). Its top-level "attribution" member is the
// credit line to show with it.
//
//go:embed basemap.geojson
var Basemap []byte
