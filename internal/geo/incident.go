package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// Weapon is what an incident's attackers used.
type Weapon string

// The weapons.
const (
	WeaponDrone   Weapon = "drone"
	WeaponRocket  Weapon = "rocket"
	WeaponMissile Weapon = "missile"
	WeaponUnknown Weapon = "unknown"
)

// Weapons lists every valid Weapon in a stable order.
var Weapons = []Weapon{WeaponDrone, WeaponRocket, WeaponMissile, WeaponUnknown}

// Status is how well attested an incident is: the strongest level that any of
// its sources gives.
type Status string

// The statuses, from weakest to strongest.
const (
	StatusClaimed   Status = "claimed"
	StatusReported  Status = "reported"
	StatusConfirmed Status = "confirmed"
)

// Statuses lists every valid Status from weakest to strongest.
var Statuses = []Status{StatusClaimed, StatusReported, StatusConfirmed}

// rank orders statuses from weakest (0) to strongest.
func (s Status) rank() int { return slices.Index(Statuses, s) }

// Precision says how exactly an incident's point locates it.
type Precision string

// The location precisions.
const (
	PrecisionBase   Precision = "base"   // the point is the target base's own point
	PrecisionExact  Precision = "exact"  // the point is where it happened
	PrecisionNear   Precision = "near"   // within a few km of the point
	PrecisionRegion Precision = "region" // somewhere in the surrounding region
)

// Precisions lists every valid Precision.
var Precisions = []Precision{PrecisionBase, PrecisionExact, PrecisionNear, PrecisionRegion}

// Incident is one attack, however many sources report it.
type Incident struct {
	ID                string
	Point             orb.Point // [lon, lat], WGS84 degrees
	Date              Date      // first local day
	DateEnd           Date      // last local day; equal to Date unless the date is a span
	Weapon            Weapon
	Count             Number // projectiles
	Base              string // target base id, or "" when none
	Status            Status
	Outcome           string
	Injured           Number // never 0 for unknown
	Killed            Number // never 0 for unknown
	ClaimedBy         []string
	LocationPrecision Precision
	Sources           []Source
	Disputed          []string // names of the properties that sources disagree on
	Notes             string
}

// IsSpan reports whether the incident's date is a span of several days.
func (inc *Incident) IsSpan() bool { return inc.DateEnd != inc.Date }

// StrongestStatus is the status that the given sources give an incident: the
// strongest level that any of them gives. It is claimed when there are none.
func StrongestStatus(sources []Source) Status {
	best := StatusClaimed
	for _, s := range sources {
		if st := s.Kind.Status(); st.rank() > best.rank() {
			best = st
		}
	}
	return best
}
