package request

import (
	"net/http"
	"regexp"
	"strings"
)

// PublicURL is the absolute URL of the site's root for r, without a
// trailing slash: baseURL when it is set (scheme, host and any path
// prefix); otherwise the request's scheme and Host, or with trustForwarded
// the X-Forwarded-Proto and X-Forwarded-Host the outermost proxy set. The
// OGC API's links and the incident pages' permalinks are built on it.
func PublicURL(r *http.Request, baseURL string, trustForwarded bool) string {
	if baseURL != "" {
		return strings.TrimSuffix(baseURL, "/")
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if trustForwarded {
		if p := firstValue(r.Header.Get("X-Forwarded-Proto")); p == "http" || p == "https" {
			scheme = p
		}
		if fh := firstValue(r.Header.Get("X-Forwarded-Host")); validHost.MatchString(fh) {
			host = fh
		}
	}
	return scheme + "://" + host
}

// validHost accepts a host name or address with an optional port, and
// nothing that could break out of a URL.
var validHost = regexp.MustCompile(`^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)

// firstValue is the first of a comma-separated header's values: the one the
// outermost proxy set.
func firstValue(h string) string {
	v, _, _ := strings.Cut(h, ",")
	return strings.TrimSpace(v)
}
