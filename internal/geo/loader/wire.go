package loader

// IncidentProperties is the properties object of a feature in
// incidents.geojson as it is written in the file, before any check: the
// fast decoder fills it, and geo decodes into it with json v2 (whose
// tags are these) and checks it. It is the one Go description of the file's
// layout: geo's tests encode it with encoding/json as the oracle of geo's
// hand-written writer, and geo's schema test holds it to geo.Fields.
type IncidentProperties struct {
	Date              string             `json:"date"`
	DateEnd           *string            `json:"date_end"`
	Weapon            string             `json:"weapon"`
	Count             *int               `json:"count"`
	Base              *string            `json:"base"`
	Status            string             `json:"status"`
	Outcome           string             `json:"outcome"`
	Injured           *int               `json:"injured"`
	Killed            *int               `json:"killed"`
	ClaimedBy         []string           `json:"claimed_by"`
	LocationPrecision string             `json:"location_precision"`
	Sources           []SourceProperties `json:"sources"`
	Disputed          []string           `json:"disputed"`
	Notes             string             `json:"notes"`
}

// SourceProperties is one element of an incident's "sources" array.
type SourceProperties struct {
	Publisher string  `json:"publisher"`
	URL       string  `json:"url,omitempty"`       // written only when known
	Published *string `json:"published,omitempty"` // written only when known
	Kind      string  `json:"kind"`
	Says      string  `json:"says"`
}
