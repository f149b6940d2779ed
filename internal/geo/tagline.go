package geo

import (
	"slices"
	"strings"
	"time"
)

// Tagline says what d covers, from the data itself: the countries of its
// bases and the months of its incidents, e.g. "Attacks on bases in Iraq,
// Syria and Jordan, Oct 2023 – Feb 2024". The map page writes it under its
// heading and an exported image takes it as its default title, so both say
// the same of the same data. countryNames gives a country's name by its
// ISO 3166-1 alpha-2 code (a base's Country); a code it lacks is shown as
// it is.
func (d *Dataset) Tagline(countryNames map[string]string) string {
	var countries []string
	for _, b := range d.Bases {
		name := b.Country
		if n := countryNames[b.Country]; n != "" {
			name = n
		}
		if name != "" && !slices.Contains(countries, name) {
			countries = append(countries, name)
		}
	}
	text := "Attacks on bases"
	if len(countries) > 0 {
		text += " in " + joinAnd(countries)
	}
	if first, last, ok := d.Span(); ok {
		text += ", " + monthSpan(first.Time(), last.Time())
	}
	return text
}

// joinAnd joins words as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// monthSpan names the months from first to last: "October 2023", "Oct –
// Dec 2023" or "Oct 2023 – Feb 2024".
func monthSpan(first, last time.Time) string {
	switch {
	case first.Year() == last.Year() && first.Month() == last.Month():
		return first.Format("January 2006")
	case first.Year() == last.Year():
		return first.Format("Jan") + " – " + last.Format("Jan 2006")
	}
	return first.Format("Jan 2006") + " – " + last.Format("Jan 2006")
}
