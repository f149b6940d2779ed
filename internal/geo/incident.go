package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// The data's vocabularies (weapon, status, location precision, source
// kind) are small numbers, one byte in each incident, written and read as
// their words (see vocab.go). The zero value of each is no word at all:
// valid data never holds it.

// Weapon is what an incident's attackers used.
type Weapon uint8

// The weapons.
const (
	WeaponDrone Weapon = iota + 1
	WeaponRocket
	WeaponMissile
	WeaponUnknown
)

var weaponWords = []string{"", "drone", "rocket", "missile", "unknown"}

var weapons = []Weapon{WeaponDrone, WeaponRocket, WeaponMissile, WeaponUnknown}

// Weapons returns every valid Weapon in a stable order.
//
// It is a copy: a caller may change it.
func Weapons() []Weapon { return slices.Clone(weapons) }

var weaponLabels = []string{"", "Drone", "Rocket", "Missile", "Unknown weapon"}

// Label is the weapon's name for a reader, in English: "Unknown weapon".
func (w Weapon) Label() string { return word(weaponLabels, w) }

func (w Weapon) String() string                { return word(weaponWords, w) }
func (w Weapon) MarshalText() ([]byte, error)  { return []byte(w.String()), nil }
func (w *Weapon) UnmarshalText(b []byte) error { return unmarshalTerm(w, weapons, b) }

// Status is how well attested an incident is: the strongest level that any of
// its sources gives.
type Status uint8

// The statuses, from weakest to strongest.
const (
	StatusClaimed Status = iota + 1
	StatusReported
	StatusConfirmed
)

var statusWords = []string{"", "claimed", "reported", "confirmed"}

var statuses = []Status{StatusClaimed, StatusReported, StatusConfirmed}

// Statuses returns every valid Status from weakest to strongest.
//
// It is a copy: a caller may change it.
func Statuses() []Status { return slices.Clone(statuses) }

var statusLabels = []string{"", "Claimed", "Reported", "Confirmed"}

// Label is the status's name for a reader, in English: "Confirmed".
func (s Status) Label() string { return word(statusLabels, s) }

func (s Status) String() string                { return word(statusWords, s) }
func (s Status) MarshalText() ([]byte, error)  { return []byte(s.String()), nil }
func (s *Status) UnmarshalText(b []byte) error { return unmarshalTerm(s, statuses, b) }

// rank orders statuses from weakest (0) to strongest.
func (s Status) rank() int { return slices.Index(statuses, s) }

// Precision says how exactly an incident's point locates it.
type Precision uint8

// The location precisions.
const (
	PrecisionBase   Precision = iota + 1 // the point is the target base's own point
	PrecisionExact                       // the point is where it happened
	PrecisionNear                        // within a few km of the point
	PrecisionRegion                      // somewhere in the surrounding region
)

var precisionWords = []string{"", "base", "exact", "near", "region"}

var precisions = []Precision{PrecisionBase, PrecisionExact, PrecisionNear, PrecisionRegion}

// Precisions returns every valid Precision.
//
// It is a copy: a caller may change it.
func Precisions() []Precision { return slices.Clone(precisions) }

func (p Precision) String() string                { return word(precisionWords, p) }
func (p Precision) MarshalText() ([]byte, error)  { return []byte(p.String()), nil }
func (p *Precision) UnmarshalText(b []byte) error { return unmarshalTerm(p, precisions, b) }

// Incident is one attack, however many sources report it.
type Incident struct {
	ID                string
	Point             orb.Point // [lon, lat], WGS84 degrees
	Date              Date      // first local day
	DateEnd           Date      // last local day; equal to Date unless the date is a span
	Count             Number    // projectiles
	Injured           Number    // never 0 for unknown
	Killed            Number    // never 0 for unknown
	Weapon            Weapon
	Status            Status
	LocationPrecision Precision
	Base              string // target base id, or NoBase ("") when none
	Outcome           string
	ClaimedBy         []string
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
