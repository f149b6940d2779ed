package geo

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"strikemap/internal/geo/loader"
)

// SourceKind says what kind of voice a source is, which is what decides how
// well attested an incident is.
type SourceKind uint8

// The source kinds. A claim comes from the group that says it carried out the
// attack; media and monitors report; an official source (CENTCOM, the US
// Department of Defense) confirms.
const (
	SourceOfficial SourceKind = iota + 1
	SourceMedia
	SourceMonitor
	SourceClaim
)

var sourceKindWords = []string{"", "official", "media", "monitor", "claim"}

var sourceKinds = []SourceKind{SourceOfficial, SourceMedia, SourceMonitor, SourceClaim}

// SourceKinds returns every valid SourceKind in a stable order.
//
// It is a copy: a caller may change it.
func SourceKinds() []SourceKind { return slices.Clone(sourceKinds) }

var sourceKindLabels = []string{"", "official", "media", "monitor", "claim"}

// Label is the kind's name for a reader, in English, as it reads beside a
// publisher's name: "official".
func (k SourceKind) Label() string { return word(sourceKindLabels, k) }

func (k SourceKind) String() string                { return word(sourceKindWords, k) }
func (k SourceKind) MarshalText() ([]byte, error)  { return []byte(k.String()), nil }
func (k *SourceKind) UnmarshalText(b []byte) error { return unmarshalTerm(k, sourceKinds, b) }

// Status is the attestation level the kind gives an incident: official
// sources confirm, media and monitors report, claimants claim.
func (k SourceKind) Status() Status {
	switch k {
	case SourceOfficial:
		return StatusConfirmed
	case SourceMedia, SourceMonitor:
		return StatusReported
	default:
		return StatusClaimed
	}
}

// Source is one publication that says something about an incident.
type Source struct {
	Publisher string     // who published it, e.g. "Rudaw" or "CENTCOM (statement quoted by Rudaw)"
	URL       string     // absolute http(s) URL, or "" when none is known
	Says      string     // a one-line paraphrase of what this source states
	Published MaybeDate  // publication day, when known
	Kind      SourceKind // official, media, monitor or claim
}

// checkHTTPURL reports whether s is an absolute http or https URL with a host.
// Anything else (javascript:, data:, relative paths) could not be a safe link.
func checkHTTPURL(s string) error {
	if plainHTTPURL(s) {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", s)
	}
	return nil
}

// plainHTTPURL reports whether s is an http(s) URL of the plainest kind: a
// lowercase host name without port or user, then only unreserved and
// sub-delimiter characters (no percent escapes, no fragment). url.Parse
// accepts every such URL with a host; loading skips it for these, which are
// nearly all. TestPlainHTTPURL and FuzzPlainHTTPURL check the claim.
func plainHTTPURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "http://"); !ok {
			return false
		}
	}
	i := 0
	for i < len(rest) && rest[i] != '/' && rest[i] != '?' {
		if !hostByte[rest[i]] {
			return false
		}
		i++
	}
	if i == 0 {
		return false // no host
	}
	for ; i < len(rest); i++ {
		if !pathByte[rest[i]] {
			return false
		}
	}
	return true
}

// The bytes plainHTTPURL allows in a host name, and after it.
var hostByte, pathByte = func() (host, path [256]bool) {
	for c := range 256 {
		b := byte(c)
		lowerOrDigit := b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
		host[c] = lowerOrDigit || b == '.' || b == '-'
		path[c] = lowerOrDigit || b >= 'A' && b <= 'Z' || strings.IndexByte("-._~/?=&+,;:@!$'()*", b) >= 0
	}
	return host, path
}()

// sourceProperties is one element of the "sources" array of an incident or
// a strike, as the loader reads it.
type sourceProperties = loader.SourceProperties

// sources checks the "sources" array of a feature, the one source checker
// of incidents.geojson and strikes.geojson: at least one source, each with
// a publisher, a kind, one line of what it says, and an http(s) url and a
// day when given. noun names the feature ("incident", "strike") in the
// messages; a non-empty needURL makes every source's url required and says
// why. It returns the sources that passed.
func (f *featureProblems) sources(list []sourceProperties, k *keeper, noun, needURL string) []Source {
	if len(list) == 0 {
		f.add("sources", "is empty: every %s needs at least one source", noun)
		return nil
	}
	sources := k.sourceList(len(list))[:0]
	for i, s := range list {
		field := func(name string) string { return fmt.Sprintf("sources[%d].%s", i, name) }
		before := len(*f.problems)
		src := Source{Publisher: s.Publisher, URL: s.URL, Kind: term(sourceKinds, s.Kind), Says: s.Says}
		if strings.TrimSpace(s.Publisher) == "" {
			f.add(field("publisher"), "is missing: every source needs a publisher")
		}
		if s.URL != "" {
			if err := checkHTTPURL(s.URL); err != nil {
				f.add(field("url"), "%v", err)
			}
		} else if needURL != "" {
			f.add(field("url"), "is missing: %s", needURL)
		}
		if s.Published != nil {
			d, err := ParseDate(*s.Published)
			if err != nil {
				f.add(field("published"), "%v", err)
			}
			src.Published = SomeDate(d)
		}
		if !slices.Contains(sourceKinds, src.Kind) {
			f.add(field("kind"), "%q is not one of %s", s.Kind, oneOf(sourceKinds))
		}
		if strings.TrimSpace(s.Says) == "" {
			f.add(field("says"), "is missing: paraphrase in one line what this source states")
		} else if strings.ContainsAny(s.Says, "\r\n") {
			f.add(field("says"), "must be one line")
		}
		if len(*f.problems) == before {
			sources = append(sources, src)
		}
	}
	return sources
}

// status checks a feature's status word (raw, read as got) against its
// sources: it must be the strongest status they give. The check is made
// only when every one of the given sources passed, since a dropped source
// could be the strongest.
func (f *featureProblems) status(got Status, raw string, sources []Source, given int) {
	if !slices.Contains(statuses, got) {
		f.add("status", "%q is not one of %s", raw, oneOf(statuses))
	} else if len(sources) == given && len(sources) > 0 {
		if want := StrongestStatus(sources); got != want {
			f.add("status", "is %q but the strongest of its sources makes it %q (official confirms, media and monitor report, claim claims)", got, want)
		}
	}
}

// days checks a feature's date and optional date_end and returns its first
// and last day (equal for one day).
func (f *featureProblems) days(date string, dateEnd *string) (first, last Date) {
	first, err := ParseDate(date)
	if err != nil {
		f.add("date", "%v", err)
	}
	last = first
	if dateEnd != nil {
		end, err := ParseDate(*dateEnd)
		switch {
		case err != nil:
			f.add("date_end", "%v", err)
		case end < first:
			f.add("date_end", "%s is before date %s", end, first)
		default:
			last = end
		}
	}
	return first, last
}
