package geo

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
// base given is summarised.
func (d *Dataset) Summaries(bases []*Base, f Filter) []Summary {
	f.Bases = nil
	out := make([]Summary, len(bases))
	index := make(map[string]int, len(bases))
	for i, b := range bases {
		out[i] = newSummary(b.ID)
		index[b.ID] = i
	}
	for i := range d.Incidents {
		inc := &d.Incidents[i]
		j, ok := index[inc.Base]
		if !ok || !f.Match(inc) {
			continue
		}
		out[j].add(inc)
	}
	return out
}

func newSummary(base string) Summary {
	s := Summary{Base: base, ByWeapon: make(map[Weapon]int, len(Weapons)), ByStatus: make(map[Status]int, len(Statuses))}
	for _, w := range Weapons {
		s.ByWeapon[w] = 0
	}
	for _, st := range Statuses {
		s.ByStatus[st] = 0
	}
	return s
}

func (s *Summary) add(inc *Incident) {
	s.Attacks++
	s.ByWeapon[inc.Weapon]++
	s.ByStatus[inc.Status]++
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
