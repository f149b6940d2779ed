package geo

// interner makes equal strings share one copy. Large datasets repeat the
// same publishers, paraphrases, outcomes and claimants thousands of times.
type interner map[string]string

func newInterner() interner { return make(interner, 1024) }

func (in interner) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := in[s]; ok {
		return v
	}
	in[s] = s
	return s
}

// incident interns the repeated text of inc, and points its vocabulary
// values at the package's constants.
func (in interner) incident(inc *Incident) {
	inc.Base = in.str(inc.Base)
	inc.Outcome = in.str(inc.Outcome)
	inc.Notes = in.str(inc.Notes)
	inc.Weapon = Weapon(in.str(string(inc.Weapon)))
	inc.Status = Status(in.str(string(inc.Status)))
	inc.LocationPrecision = Precision(in.str(string(inc.LocationPrecision)))
	for i := range inc.ClaimedBy {
		inc.ClaimedBy[i] = in.str(inc.ClaimedBy[i])
	}
	for i := range inc.Disputed {
		inc.Disputed[i] = in.str(inc.Disputed[i])
	}
	for i := range inc.Sources {
		s := &inc.Sources[i]
		s.Publisher = in.str(s.Publisher)
		s.Says = in.str(s.Says)
		s.Kind = SourceKind(in.str(string(s.Kind)))
	}
}
