package geo

import (
	"maps"
	"slices"
)

// Summary counts the incidents that targeted one base.
type Summary struct {
	Base       string
	Attacks    int
	ByWeapon   map[Weapon]int // every Weapon is a key, with 0 when none
	ByStatus   map[Status]int // every Status is a key, with 0 when none
	FirstDate  *Date          // first day of the earliest attack, nil when none
	LastDate   *Date          // last day of the latest attack, nil when none
	Casualties Casualties
}

// Casualties adds up the known injured and killed of a set of incidents.
// Unknown counts are not zeros: UnknownInjured and UnknownKilled say how many
// incidents had no figure, so a reader knows the total is a lower bound.
type Casualties struct {
	Injured, Killed               int
	UnknownInjured, UnknownKilled int
}

// Summaries returns one Summary per base, in the order of bases, counting the
// incidents that match f and target that base. f.Bases is ignored: every
// base given is summarised. It reads only each base's incidents in f's
// date range, through the index.
func (d *Dataset) Summaries(bases []*Base, f Filter) []Summary {
	f.Bases = nil
	if f.unfiltered() && d.whole != nil {
		w := d.whole()
		out := make([]Summary, len(bases))
		for i, b := range bases {
			out[i] = w.summaries[b.ID].clone()
		}
		return out
	}
	return d.summaries(bases, f)
}

// clone returns s with maps of its own.
func (s Summary) clone() Summary {
	s.ByWeapon, s.ByStatus = maps.Clone(s.ByWeapon), maps.Clone(s.ByStatus)
	return s
}

// countWhole counts the dataset with no filter, for Dataset.whole.
func (d *Dataset) countWhole() wholeCounts {
	var w wholeCounts
	w.days, w.total = d.timeline(Filter{})
	bases := make([]*Base, len(d.Bases))
	for i := range d.Bases {
		bases[i] = &d.Bases[i]
	}
	w.summaries = make(map[string]Summary, len(bases))
	for _, s := range d.summaries(bases, Filter{}) {
		w.summaries[s.Base] = s
	}
	return w
}

// summaries is Summaries, counted.
func (d *Dataset) summaries(bases []*Base, f Filter) []Summary {
	lo, hi := d.dateRange(f)
	out := make([]Summary, len(bases))
	for i, b := range bases {
		var t tally
		if lo < hi {
			list := d.index.byBase[b.ID]
			a, _ := slices.BinarySearch(list, int32(lo))
			z, _ := slices.BinarySearch(list, int32(hi))
			for _, p := range list[a:z] {
				if inc := d.Incidents[p]; f.Match(inc) {
					t.add(inc)
				}
			}
		}
		out[i] = t.summary(b.ID)
	}
	return out
}

// tally adds up a Summary in arrays, which are turned into its maps once.
type tally struct {
	s        Summary
	byWeapon [WeaponUnknown + 1]int
	byStatus [StatusConfirmed + 1]int
}

func (t *tally) add(inc *Incident) {
	s := &t.s
	s.Attacks++
	t.byWeapon[inc.Weapon]++
	t.byStatus[inc.Status]++
	if s.FirstDate == nil || inc.Date < *s.FirstDate {
		d := inc.Date
		s.FirstDate = &d
	}
	if s.LastDate == nil || inc.DateEnd > *s.LastDate {
		d := inc.DateEnd
		s.LastDate = &d
	}
	if n, ok := inc.Injured.Get(); ok {
		s.Casualties.Injured += n
	} else {
		s.Casualties.UnknownInjured++
	}
	if n, ok := inc.Killed.Get(); ok {
		s.Casualties.Killed += n
	} else {
		s.Casualties.UnknownKilled++
	}
}

// summary is the tally as a Summary of base, with every Weapon and Status
// a key of its maps.
func (t *tally) summary(base string) Summary {
	s := t.s
	s.Base = base
	s.ByWeapon = make(map[Weapon]int, len(weapons))
	for _, w := range weapons {
		s.ByWeapon[w] = t.byWeapon[w]
	}
	s.ByStatus = make(map[Status]int, len(statuses))
	for _, st := range statuses {
		s.ByStatus[st] = t.byStatus[st]
	}
	return s
}
