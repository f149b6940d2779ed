package geo

import (
	"fmt"
	"net/url"
)

// SourceKind says what kind of voice a source is, which is what decides how
// well attested an incident is.
type SourceKind string

// The source kinds. A claim comes from the group that says it carried out the
// attack; media and monitors report; an official source (CENTCOM, the US
// Department of Defense) confirms.
const (
	SourceOfficial SourceKind = "official"
	SourceMedia    SourceKind = "media"
	SourceMonitor  SourceKind = "monitor"
	SourceClaim    SourceKind = "claim"
)

// SourceKinds lists every valid SourceKind in a stable order.
var SourceKinds = []SourceKind{SourceOfficial, SourceMedia, SourceMonitor, SourceClaim}

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
	Published MaybeDate  // publication day, when known
	Kind      SourceKind // official, media, monitor or claim
	Says      string     // a one-line paraphrase of what this source states
}

// checkHTTPURL reports whether s is an absolute http or https URL with a host.
// Anything else (javascript:, data:, relative paths) could not be a safe link.
func checkHTTPURL(s string) error {
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
