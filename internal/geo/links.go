package geo

import (
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// IncidentLink joins an incident that happened away from its target base to
// that base.
type IncidentLink struct {
	Incident   string
	Base       string
	Line       orb.LineString // [incident point, base point]
	DistanceKm float64        // great-circle length of Line
}

// Links returns a link for every incident matching f that has a target base
// but is not located at the base's own point, in the dataset's order.
func (d *Dataset) Links(f Filter) []IncidentLink {
	var out []IncidentLink
	for _, inc := range d.Select(f) {
		b, ok := d.Base(inc.Base)
		if !ok || inc.Point.Equal(b.Point) {
			continue
		}
		out = append(out, IncidentLink{
			Incident:   inc.ID,
			Base:       b.ID,
			Line:       orb.LineString{inc.Point, b.Point},
			DistanceKm: orbgeo.Distance(inc.Point, b.Point) / 1000,
		})
	}
	return out
}
