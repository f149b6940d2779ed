package ingest_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"strikemap/internal/geo"
	"strikemap/internal/ingest"
)

// fixtureBases loads the bases the fixtures were written against (the six
// of the first embedded dataset, kept in testdata so that the embedded data
// can grow without moving the fixtures' nearest bases) and returns them with
// their file's content.
func fixtureBases(t *testing.T) ([]geo.Base, []byte) {
	t.Helper()
	basesJSON, err := os.ReadFile("testdata/bases.geojson")
	if err != nil {
		t.Fatal(err)
	}
	d, err := geo.Parse(basesJSON, []byte(`{"type":"FeatureCollection","features":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	return d.Bases, basesJSON
}

// readACLED reads a fixture and validates its incidents as an import does.
func readACLED(t *testing.T, name string, filter ingest.ACLEDFilter) *ingest.Batch {
	t.Helper()
	bases, basesJSON := fixtureBases(t)
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := ingest.ReadACLED(f, name, ingest.ACLEDOptions{Bases: bases, RadiusKm: 5, Filter: filter})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(basesJSON); err != nil {
		t.Fatal(err)
	}
	return b
}

// want is what a test expects of one imported incident.
type want struct {
	line        int
	date, end   string
	weapon      geo.Weapon
	base        string
	precision   geo.Precision
	killed      *int
	claimedBy   []string
	publishers  []string // the sources' publishers, ACLED last
	lon, lat    float64
	notesPrefix string
}

func ptr(n int) *int { return &n }

func checkBatch(t *testing.T, b *ingest.Batch, wantIncidents map[string]want, wantRejected []string) {
	t.Helper()
	got := map[string]geo.Incident{}
	for i, inc := range b.Incidents {
		got[inc.ID] = inc
		if w, ok := wantIncidents[inc.ID]; ok && b.Lines[i] != w.line {
			t.Errorf("%s: line %d, want %d", inc.ID, b.Lines[i], w.line)
		}
	}
	for id, w := range wantIncidents {
		inc, ok := got[id]
		if !ok {
			t.Errorf("%s: not imported", id)
			continue
		}
		if inc.Date.String() != w.date || inc.DateEnd.String() != w.end {
			t.Errorf("%s: dates %s..%s, want %s..%s", id, inc.Date, inc.DateEnd, w.date, w.end)
		}
		if inc.Weapon != w.weapon || inc.Base != w.base || inc.LocationPrecision != w.precision {
			t.Errorf("%s: weapon %s, base %q, precision %s; want %s, %q, %s", id, inc.Weapon, inc.Base, inc.LocationPrecision, w.weapon, w.base, w.precision)
		}
		if !reflect.DeepEqual(inc.Killed.Ptr(), w.killed) {
			t.Errorf("%s: killed %v, want %v", id, inc.Killed, deref(w.killed))
		}
		if inc.Injured.Known() || inc.Count.Known() || inc.Status != geo.StatusReported {
			t.Errorf("%s: injured %v, count %v, status %s; want unknown, unknown, reported", id, inc.Injured, inc.Count, inc.Status)
		}
		if len(inc.ClaimedBy) != len(w.claimedBy) || len(w.claimedBy) > 0 && !reflect.DeepEqual(inc.ClaimedBy, w.claimedBy) {
			t.Errorf("%s: claimed_by %q, want %q", id, inc.ClaimedBy, w.claimedBy)
		}
		var pubs []string
		for _, s := range inc.Sources {
			pubs = append(pubs, s.Publisher)
			wantKind := geo.SourceMedia
			if s.Publisher == "ACLED" {
				wantKind = geo.SourceMonitor
			}
			if s.Kind != wantKind || s.URL != "" || strings.ContainsAny(s.Says, "\r\n") || !strings.Contains(s.Says, strings.TrimPrefix(id, "acled-")) {
				t.Errorf("%s: source %+v", id, s)
			}
		}
		if !reflect.DeepEqual(pubs, w.publishers) {
			t.Errorf("%s: publishers %q, want %q", id, pubs, w.publishers)
		}
		if inc.Point.Lon() != w.lon || inc.Point.Lat() != w.lat {
			t.Errorf("%s: point %v, want [%v %v]", id, inc.Point, w.lon, w.lat)
		}
		if !strings.HasPrefix(inc.Notes, w.notesPrefix) {
			t.Errorf("%s: notes %q, want them to start %q", id, inc.Notes, w.notesPrefix)
		}
	}
	if len(b.Incidents) != len(wantIncidents) {
		t.Errorf("%d incidents, want %d", len(b.Incidents), len(wantIncidents))
	}
	var rejected []string
	for _, r := range b.Rejected {
		rejected = append(rejected, r.String())
	}
	if !reflect.DeepEqual(rejected, wantRejected) {
		t.Errorf("rejected:\n  %s\nwant:\n  %s", strings.Join(rejected, "\n  "), strings.Join(wantRejected, "\n  "))
	}
}

func deref(p *int) any {
	if p == nil {
		return "null"
	}
	return *p
}

// TestReadACLED2023 reads the 31-column layout, saved with a BOM and CRLF
// line ends, with text inter codes, YYYY-MM-DD dates, a note holding quotes,
// commas and a newline, unusable coordinates, an unknown sub-event type and a
// repeated event id.
func TestReadACLED2023(t *testing.T) {
	b := readACLED(t, "acled-2023.csv", ingest.ACLEDFilter{})
	const irir = "Islamic Resistance in Iraq"
	checkBatch(t, b, map[string]want{
		"acled-IRQ1001": {line: 2, date: "2023-10-18", end: "2023-10-18", weapon: geo.WeaponDrone, base: "ain-al-asad", precision: geo.PrecisionBase, killed: ptr(0), claimedBy: []string{irir}, publishers: []string{"Rudaw", "Shafaq News", "ACLED"}, lon: 42.4411, lat: 33.7856, notesPrefix: "On 18 October 2023, two drones"},
		// time_precision 2 on Thursday 19 Oct: the week Monday 16 to Sunday 22.
		// About 770 m from Harir: its base, but not its point.
		"acled-IRQ1002": {line: 3, date: "2023-10-16", end: "2023-10-22", weapon: geo.WeaponRocket, base: "harir", precision: geo.PrecisionNear, killed: ptr(0), publishers: []string{"Kurdistan 24", "ACLED"}, lon: 44.3404, lat: 36.54, notesPrefix: "Around 19 October 2023, \"Katyusha\" rockets, fired from a pick-up, hit near Harir base.\nNo casualties"},
		// time_precision 3: the month. Baghdad city is 17 km from the nearest base.
		"acled-IRQ1003": {line: 5, date: "2023-10-01", end: "2023-10-31", weapon: geo.WeaponUnknown, base: "", precision: geo.PrecisionRegion, killed: ptr(2), publishers: []string{"Shafaq News", "ACLED"}, lon: 44.4009, lat: 33.3406, notesPrefix: "In October 2023, an IED"},
		// An unknown sub-event type, no weapon named: unknown. 1.6 km from Al-Tanf.
		"acled-SYR2001": {line: 9, date: "2023-10-23", end: "2023-10-23", weapon: geo.WeaponUnknown, base: "al-tanf", precision: geo.PrecisionExact, killed: nil, claimedBy: []string{irir}, publishers: []string{"SOHR", "ACLED"}, lon: 38.6178, lat: 33.52, notesPrefix: "An attack on the garrison"},
		"acled-JOR3001": {line: 10, date: "2024-01-28", end: "2024-01-28", weapon: geo.WeaponDrone, base: "tower-22", precision: geo.PrecisionBase, killed: ptr(3), claimedBy: []string{irir}, publishers: []string{"CENTCOM", "Reuters", "ACLED"}, lon: 38.7033, lat: 33.3142, notesPrefix: "A one-way drone"},
	}, []string{
		`acled-2023.csv:6: latitude: is empty: want decimal degrees such as 33.7856`,
		`acled-2023.csv:7: longitude: "n/a" is not a number of decimal degrees such as 33.7856`,
		`acled-2023.csv:8: event_id_cnty: IRQ1001 is also the event on line 2: an event may appear once`,
	})
}

// TestReadACLEDOld reads the layout before March 2023 (event_id_no_cnty,
// data_id, iso3; numeric inter codes) with "DD Month YYYY" dates and no BOM.
func TestReadACLEDOld(t *testing.T) {
	b := readACLED(t, "acled-old.csv", ingest.ACLEDFilter{})
	const irir = "Islamic Resistance in Iraq"
	checkBatch(t, b, map[string]want{
		// Notes name a drone and a missile: the sub-event type decides.
		"acled-IRQ0901": {line: 2, date: "2023-10-18", end: "2023-10-18", weapon: geo.WeaponDrone, base: "ain-al-asad", precision: geo.PrecisionExact, killed: nil, claimedBy: []string{irir}, publishers: []string{"Rudaw", "ACLED"}, lon: 42.4411, lat: 33.8, notesPrefix: "A drone was shot down"},
		// Rockets and a missile under shelling: unknown.
		"acled-SYR0902": {line: 3, date: "2023-10-21", end: "2023-10-21", weapon: geo.WeaponUnknown, base: "", precision: geo.PrecisionNear, killed: ptr(0), claimedBy: []string{irir}, publishers: []string{"SOHR", "ACLED"}, lon: 40.288, lat: 35.365, notesPrefix: "Rockets and a ballistic"},
		// An air strike by warplanes, not a drone: unknown.
		"acled-IRQ0905": {line: 6, date: "2023-10-22", end: "2023-10-22", weapon: geo.WeaponUnknown, base: "erbil-airport", precision: geo.PrecisionBase, killed: ptr(0), claimedBy: []string{irir}, publishers: []string{"Rudaw", "ACLED"}, lon: 43.9631, lat: 36.2375, notesPrefix: "Israeli warplanes"},
	}, []string{
		`acled-old.csv:4: event_date: "31 Octember 2023" is not a date such as 2023-10-18 or 18 October 2023`,
		`acled-old.csv:5: time_precision: "4" is not 1 (the day), 2 (that week) or 3 (that month)`,
		`acled-old.csv:7: geometry: latitude 95 is outside -90..90`,
	})
}

func TestReadACLEDFilters(t *testing.T) {
	day := func(s string) *geo.Date {
		d, err := geo.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	for _, tc := range []struct {
		name    string
		filter  ingest.ACLEDFilter
		ids     []string
		skipped int
	}{
		{"country", ingest.ACLEDFilter{Countries: []string{"iraq"}}, []string{"acled-IRQ1001", "acled-IRQ1002", "acled-IRQ1003"}, 2},
		// Spans overlapping 19-20 Oct: the week of IRQ1002 and the month of IRQ1003.
		{"dates", ingest.ACLEDFilter{From: day("2023-10-19"), To: day("2023-10-20")}, []string{"acled-IRQ1002", "acled-IRQ1003"}, 3},
		{"sub-event type", ingest.ACLEDFilter{SubEventTypes: []string{"air/drone strike"}}, []string{"acled-IRQ1001", "acled-JOR3001"}, 3},
		{"event type", ingest.ACLEDFilter{EventTypes: []string{"Violence against civilians"}}, []string{"acled-SYR2001"}, 6},
		{"actor", ingest.ACLEDFilter{Actor: "resistance"}, []string{"acled-IRQ1001", "acled-SYR2001", "acled-JOR3001"}, 2},
		{"near bases", ingest.ACLEDFilter{NearBasesKm: 1}, []string{"acled-IRQ1001", "acled-IRQ1002", "acled-JOR3001"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := readACLED(t, "acled-2023.csv", tc.filter)
			var ids []string
			for _, inc := range b.Incidents {
				ids = append(ids, inc.ID)
			}
			if !reflect.DeepEqual(ids, tc.ids) || b.Skipped != tc.skipped {
				t.Errorf("kept %v, skipped %d; want %v, %d", ids, b.Skipped, tc.ids, tc.skipped)
			}
		})
	}
}

func TestReadACLEDNotACLED(t *testing.T) {
	_, err := ingest.ReadACLED(strings.NewReader("date,lat,lon\n2023-10-18,1,2\n"), "sheet.csv", ingest.ACLEDOptions{})
	if err == nil || !strings.Contains(err.Error(), "sheet.csv:1: the header lacks the column(s) event_id_cnty, event_date") {
		t.Fatalf("got %v, want the missing columns named", err)
	}
	_, err = ingest.ReadACLED(strings.NewReader("event_id_cnty,notes\nIRQ1,\"unterminated\n"), "broken.csv", ingest.ACLEDOptions{})
	if err == nil || !strings.Contains(err.Error(), "broken.csv") {
		t.Fatalf("got %v", err)
	}
}

func TestACLEDWeapon(t *testing.T) {
	for _, tc := range []struct {
		sub, notes string
		want       geo.Weapon
	}{
		{"Air/drone strike", "Two UAVs targeted the base.", geo.WeaponDrone},
		{"Air/drone strike", "An attack on the base.", geo.WeaponDrone},
		{"Air/drone strike", "Turkish warplanes bombed positions.", geo.WeaponUnknown},
		{"Air/drone strike", "A Turkish drone and warplanes struck.", geo.WeaponDrone},
		{"Shelling/artillery/missile attack", "Three Katyushas landed near the base.", geo.WeaponRocket},
		{"Shelling/artillery/missile attack", "107mm projectiles hit the base.", geo.WeaponRocket},
		{"Shelling/artillery/missile attack", "A ballistic missile struck.", geo.WeaponMissile},
		{"Shelling/artillery/missile attack", "Mortar shells fell near the base.", geo.WeaponUnknown},
		{"Shelling/artillery/missile attack", "Rockets and drones.", geo.WeaponUnknown},
		{"Armed clash", "Fighters fired a rocket-propelled grenade (RPG) at a checkpoint.", geo.WeaponUnknown},
		{"Remote explosive/landmine/IED", "An IED exploded under a Baghdad convoy; grading work stopped.", geo.WeaponUnknown},
	} {
		if got := ingest.ACLEDWeapon(tc.sub, tc.notes); got != tc.want {
			t.Errorf("ACLEDWeapon(%q, %q) = %s, want %s", tc.sub, tc.notes, got, tc.want)
		}
	}
}
