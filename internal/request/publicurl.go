package request

import (
	"net/http"
	"regexp"
	"strings"
)

// Site is what the HTTP packages (server, ogcapi) are told about the site
// they serve beyond each request: where it is published and the map tiles
// its pages draw on. cmd/web reads it once into its Config, which passes
// it down whole, so each setting is declared here and nowhere else.
type Site struct {
	// BaseURL is the public URL of the site's root (scheme, host and any
	// path prefix), e.g. https://example.org/strikemap, for the OGC API's
	// absolute links and the incident pages' permalinks. Empty derives it
	// from each request's Host and scheme.
	BaseURL string
	// TrustForwarded honours X-Forwarded-Proto and X-Forwarded-Host when
	// BaseURL is empty, and X-Forwarded-For as the client's address. Set
	// it only behind a proxy that sets them: otherwise any client could
	// choose the host of the links it gets.
	TrustForwarded bool
	// TileURL is the raster tile URL template of the pages' maps, or ""
	// for the offline basemap only. Its host is allowed in the CSP's img-src.
	TileURL string
	// TileAttribution is the tiles' attribution, as HTML: the operator
	// sets it, so it is trusted.
	TileAttribution string
}

// PublicURL is the absolute URL of the site's root for r, without a
// trailing slash: BaseURL when it is set (scheme, host and any path
// prefix); otherwise the request's scheme and Host, or with TrustForwarded
// the X-Forwarded-Proto and X-Forwarded-Host the outermost proxy set. The
// OGC API's links and the incident pages' permalinks are built on it.
func (s Site) PublicURL(r *http.Request) string {
	if s.BaseURL != "" {
		return strings.TrimSuffix(s.BaseURL, "/")
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if s.TrustForwarded {
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
