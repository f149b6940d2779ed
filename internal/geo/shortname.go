package geo

import (
	"regexp"
	"strings"
)

var (
	shortBrackets = regexp.MustCompile(`\s*\(.*?\)\s*`)
	shortAnd      = regexp.MustCompile(`\s+and\s+.*$`)
	shortPrefix   = regexp.MustCompile(`(?i)^(Mission Support Site|Patrol Base|Forward Operating Base)\s+`)
	shortSuffix   = regexp.MustCompile(`(?i)\s+(Air Base|Airbase|International Airport|Airport|Landing Zone|garrison|base)$`)
	shortSpaces   = regexp.MustCompile(`\s+`)
)

// Short returns the name a map label of the base takes where the full
// names do not all find room (a phone, a small export): the data's
// short_name when it has one (a name the rule below would make ambiguous,
// such as "Euphrates", which reads as the river), else the name without
// the words that say what sort of site it is, without what it adds in
// brackets or after "and", "Diplomatic Support Center" as DSC. The map
// page and the image exports both take it from here.
func (b Base) Short() string {
	if b.ShortName != "" {
		return b.ShortName
	}
	s := shortAnd.ReplaceAllString(shortBrackets.ReplaceAllString(b.Name, " "), "")
	s = strings.TrimSpace(s)
	s = shortSuffix.ReplaceAllString(shortPrefix.ReplaceAllString(s, ""), "")
	s = strings.ReplaceAll(s, "Diplomatic Support Center", "DSC")
	s = strings.TrimSpace(shortSpaces.ReplaceAllString(s, " "))
	if s == "" {
		return b.Name
	}
	return s
}
