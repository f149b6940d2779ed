// Package export writes strikemap's domain values in standard formats:
// GeoJSON (RFC 7946) feature collections for bases, incidents, range rings and
// incident links. Coordinates are [lon, lat] rounded to 6 decimals (about
// 10 cm, RFC 7946 §11.2), and every feature of a collection carries the same
// property keys, null where a value is unknown, so that GDAL and QGIS see one
// schema.
package export
