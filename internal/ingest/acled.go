package ingest

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// ACLEDFilter chooses which rows of an ACLED export to import. Zero values
// keep every row.
type ACLEDFilter struct {
	Countries     []string  // country names as ACLED writes them, e.g. Iraq, Syria (any case)
	From, To      *geo.Date // keep rows whose date span overlaps From..To (inclusive)
	EventTypes    []string  // e.g. "Explosions/Remote violence" (any case)
	SubEventTypes []string  // e.g. "Air/drone strike" (any case)
	Actor         string    // a substring of actor1 or assoc_actor_1 (any case)
	NearBasesKm   float64   // keep rows within this many km of any base; 0 keeps all
}

// ACLEDOptions configure ReadACLED.
type ACLEDOptions struct {
	Bases    []geo.Base // the bases of the dataset imported into
	RadiusKm float64    // an event within this distance of a base targets the nearest one
	Filter   ACLEDFilter
}

// acledRequired are the columns the mapping reads. Both of ACLED's layouts
// (before and since its column change of March 2023) have them; the columns
// only one layout has (event_id_no_cnty, data_id, iso3; disorder_type,
// civilian_targeting, tags) are not needed, and the inter codes, numeric in
// old exports and text in new ones, are not read.
var acledRequired = []string{
	"event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
	"actor1", "country", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
}

// ReadACLED reads an ACLED export (CSV, found by header name) named file.
// A row that cannot be mapped is rejected with its line and the reason; a
// file that is not CSV, or lacks a column the mapping needs, is an error.
// The incidents are not yet validated: call Batch.Validate.
func ReadACLED(r io.Reader, file string, opts ACLEDOptions) (*Batch, error) {
	t, err := newTable(file, r)
	if err != nil {
		return nil, err
	}
	if err := t.require(acledRequired...); err != nil {
		return nil, fmt.Errorf("%w (is it an ACLED export?)", err)
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
		eventID := row.get("event_id_cnty")
		if eventID != "" {
			if first, dup := seen[eventID]; dup {
				b.reject(row.line, "event_id_cnty", "%s is also the event on line %d: an event may appear once", eventID, first)
				continue
			}
			seen[eventID] = row.line
		}
		if !opts.Filter.keepText(row) {
			b.Skipped++
			continue
		}
		inc, field, err := acledIncident(row, opts)
		if err != nil {
			b.reject(row.line, field, "%v", err)
			continue
		}
		if !opts.Filter.keepPlace(inc, opts.Bases) {
			b.Skipped++
			continue
		}
		b.add(inc, row.line)
	}
}

// keepText applies the filters that need no parsing, so that a row of
// another country is left out rather than rejected for its coordinates.
func (f *ACLEDFilter) keepText(r *row) bool {
	if len(f.Countries) > 0 && !containsFold(f.Countries, r.get("country")) {
		return false
	}
	if len(f.EventTypes) > 0 && !containsFold(f.EventTypes, r.get("event_type")) {
		return false
	}
	if len(f.SubEventTypes) > 0 && !containsFold(f.SubEventTypes, r.get("sub_event_type")) {
		return false
	}
	if f.Actor != "" {
		actor := strings.ToLower(f.Actor)
		if !strings.Contains(strings.ToLower(r.get("actor1")), actor) && !strings.Contains(strings.ToLower(r.get("assoc_actor_1")), actor) {
			return false
		}
	}
	return true
}

// keepPlace applies the date and distance filters to a mapped incident.
func (f *ACLEDFilter) keepPlace(inc geo.Incident, bases []geo.Base) bool {
	if f.From != nil && inc.DateEnd < *f.From || f.To != nil && inc.Date > *f.To {
		return false
	}
	if f.NearBasesKm > 0 {
		if _, _, ok := geo.NearestBase(bases, inc.Point, f.NearBasesKm*1000); !ok {
			return false
		}
	}
	return true
}

// acledIncident maps one row; on failure it names the column at fault.
func acledIncident(r *row, opts ACLEDOptions) (inc geo.Incident, field string, err error) {
	eventID := r.get("event_id_cnty")
	if eventID == "" {
		return inc, "event_id_cnty", fmt.Errorf("is empty: ACLED's event id is the incident's stable id")
	}
	inc.ID = "acled-" + eventID
	day, err := parseDay(r.get("event_date"))
	if err != nil {
		return inc, "event_date", err
	}
	if inc.Date, inc.DateEnd, err = acledSpan(day, r.get("time_precision")); err != nil {
		return inc, "time_precision", err
	}
	lat, err := parseCoord(r.get("latitude"))
	if err != nil {
		return inc, "latitude", err
	}
	lon, err := parseCoord(r.get("longitude"))
	if err != nil {
		return inc, "longitude", err
	}
	inc.Point = orb.Point{lon, lat}
	switch gp := r.get("geo_precision"); gp {
	case "1":
		inc.LocationPrecision = geo.PrecisionExact
	case "2":
		inc.LocationPrecision = geo.PrecisionNear
	case "3":
		inc.LocationPrecision = geo.PrecisionRegion
	default:
		return inc, "geo_precision", fmt.Errorf("%q is not 1 (the town itself), 2 (near a town) or 3 (a larger region)", gp)
	}
	if inc.Killed, err = parseCount(r.get("fatalities"), 0); err != nil {
		return inc, "fatalities", err
	}
	if base, _, ok := geo.NearestBase(opts.Bases, inc.Point, opts.RadiusKm*1000); ok {
		inc.Base = base.ID
		if geo.AtBase(base, inc.Point) {
			inc.LocationPrecision = geo.PrecisionBase
		}
	}
	inc.Weapon = ACLEDWeapon(r.get("sub_event_type"), r.get("notes"))
	if actor := oneLine(r.get("actor1")); actor != "" && !strings.HasPrefix(strings.ToLower(actor), "unidentified") {
		inc.ClaimedBy = []string{actor}
	}
	inc.Notes = r.get("notes")
	for _, publisher := range splitList(r.get("source")) {
		inc.Sources = append(inc.Sources, geo.Source{
			Publisher: publisher, Kind: geo.SourceMedia,
			Says: fmt.Sprintf("Reported this event, as coded by ACLED (event_id_cnty %s).", eventID),
		})
	}
	inc.Sources = append(inc.Sources, geo.Source{Publisher: "ACLED", Kind: geo.SourceMonitor, Says: acledSays(r, eventID)})
	inc.Status = geo.StrongestStatus(inc.Sources)
	return inc, "", nil
}

// acledSays is the one line ACLED's own source says: how it coded the event.
func acledSays(r *row, eventID string) string {
	place := strings.Join(nonEmpty(r.get("location"), r.get("admin1"), r.get("country")), ", ")
	actor := r.get("actor1")
	if actor == "" {
		actor = "an actor not named"
	}
	return oneLine(fmt.Sprintf("Coded event %s as %s (%s) by %s at %s; time precision %s, geo precision %s.",
		eventID, r.get("sub_event_type"), r.get("event_type"), actor, place, r.get("time_precision"), r.get("geo_precision")))
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// acledSpan turns ACLED's event_date and time_precision into a date span:
// 1, the day itself; 2 (some day in that week), the Monday-to-Sunday ISO
// week holding event_date; 3 (only the month is known; ACLED codes mid-month),
// the first to the last day of event_date's month.
func acledSpan(day geo.Date, precision string) (from, to geo.Date, err error) {
	switch precision {
	case "1":
		return day, day, nil
	case "2":
		sinceMonday := (int(day.Time().Weekday()) + 6) % 7
		from = day.AddDays(-sinceMonday)
		return from, from.AddDays(6), nil
	case "3":
		t := day.Time()
		first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return geo.DateOf(first), geo.DateOf(first.AddDate(0, 1, -1)), nil
	}
	return 0, 0, fmt.Errorf("%q is not 1 (the day), 2 (that week) or 3 (that month)", precision)
}

// The words the weapon rule looks for in an event's notes, as whole words in
// any case.
var (
	droneWords    = regexp.MustCompile(`(?i)\b(drones?|uavs?|unmanned aerial|quadcopters?|kamikaze)\b`)
	rocketWords   = regexp.MustCompile(`(?i)\b(rockets?|katyushas?|grad|107 ?mm|122 ?mm)\b`)
	missileWords  = regexp.MustCompile(`(?i)\b(missiles?|ballistic)\b`)
	aircraftWords = regexp.MustCompile(`(?i)\b(air ?strikes?|warplanes?|aircraft|jets?|helicopters?)\b`)
	// An RPG is a rocket but not the indirect-fire rocket the "rocket"
	// weapon means; mentions of it are ignored.
	rpgWords = regexp.MustCompile(`(?i)\b(rocket[- ]propelled grenades?|rpgs?)\b`)
)

// ACLEDWeapon decides an ACLED event's weapon from its notes and
// sub_event_type:
//
//  1. If the notes name exactly one of the three weapons (drone, UAV,
//     unmanned aerial, quadcopter, kamikaze; rocket, Katyusha, Grad, 107 mm,
//     122 mm; missile, ballistic), that is the weapon. Rocket-propelled
//     grenades do not count as rockets.
//  2. Otherwise (none, or several, as in "a drone shot down by a missile"):
//     an "Air/drone strike" is a drone unless its notes speak of crewed
//     aircraft (air strike, warplane, aircraft, jet, helicopter) and not of a
//     drone; anything else, "Shelling/artillery/missile attack" included
//     (ACLED puts shells, mortars, rockets and missiles there alike), is
//     unknown.
func ACLEDWeapon(subEventType, notes string) geo.Weapon {
	notes = rpgWords.ReplaceAllString(notes, "")
	drone, rocket, missile := droneWords.MatchString(notes), rocketWords.MatchString(notes), missileWords.MatchString(notes)
	switch {
	case drone && !rocket && !missile:
		return geo.WeaponDrone
	case rocket && !drone && !missile:
		return geo.WeaponRocket
	case missile && !drone && !rocket:
		return geo.WeaponMissile
	}
	if strings.EqualFold(subEventType, "Air/drone strike") {
		if drone || !aircraftWords.MatchString(notes) {
			return geo.WeaponDrone
		}
	}
	return geo.WeaponUnknown
}
