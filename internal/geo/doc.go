// Package geo is strikemap's domain: military bases, the incidents (attacks) on
// them, the sources that report each incident, filters over incidents, and the
// derived layers (range rings, per-base summaries, incident-to-base links).
//
// Coordinates are orb.Point values in [longitude, latitude] order (WGS84
// degrees), as in GeoJSON; distances are in kilometres unless a name says
// otherwise. The package knows nothing of HTTP or HTML: it loads and validates
// a dataset and answers questions about it with plain Go values.
package geo
