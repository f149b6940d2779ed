package geo

import (
	"fmt"
	"net/url"
	"strings"
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

// SourceKinds lists every valid SourceKind in a stable order.
var SourceKinds = []SourceKind{SourceOfficial, SourceMedia, SourceMonitor, SourceClaim}

var sourceKindLabels = []string{"", "official", "media", "monitor", "claim"}

// Label is the kind's name for a reader, in English, as it reads beside a
// publisher's name: "official".
func (k SourceKind) Label() string { return word(sourceKindLabels, k) }

func (k SourceKind) String() string                { return word(sourceKindWords, k) }
func (k SourceKind) MarshalText() ([]byte, error)  { return []byte(k.String()), nil }
func (k *SourceKind) UnmarshalText(b []byte) error { return unmarshalTerm(k, SourceKinds, b) }

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
