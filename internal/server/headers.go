package server

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// securityHeaders returns the middleware that sets the headers every
// response carries. The policy allows scripts, styles and data only from
// this origin, images also from the tile host, and framing only by this
// origin. echo applies its Pre middleware to each request anew, calling
// the returned function once a request: the policies are built here, once,
// not there (building them, a URL parse and a string replacer, was an
// eighth of what a page of 10 allocated).
func (s *Server) securityHeaders() echo.MiddlewareFunc {
	csp := contentSecurityPolicy(s.opts.TileURL, "'self'")
	ancestors := s.opts.EmbedAncestors
	if ancestors == "" {
		ancestors = "*"
	}
	embedCSP := contentSecurityPolicy(s.opts.TileURL, ancestors)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			if c.Request().URL.Path == "/embed" {
				h.Set("Content-Security-Policy", embedCSP)
			} else {
				h.Set("Content-Security-Policy", csp)
				h.Set("X-Frame-Options", "SAMEORIGIN")
			}
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			return next(c)
		}
	}
}

// contentSecurityPolicy builds the CSP for the given tile URL template and
// frame-ancestors source list.
func contentSecurityPolicy(tileURL, frameAncestors string) string {
	img := "'self' data:"
	if host := tileOrigin(tileURL); host != "" {
		img += " " + host
	}
	return strings.Join([]string{
		"default-src 'self'",
		"img-src " + img,
		"script-src 'self'",
		"style-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors " + frameAncestors,
	}, "; ")
}

// tileOrigin returns the scheme and host pattern of a tile URL template such
// as https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png: the {s} subdomain
// placeholder becomes a CSP wildcard.
func tileOrigin(tmpl string) string {
	if tmpl == "" {
		return ""
	}
	u, err := url.Parse(strings.NewReplacer("{s}", "x-sub-x", "{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(tmpl))
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + strings.ReplaceAll(u.Host, "x-sub-x", "*")
}

// CheckFrameAncestors reports whether s is a usable CSP frame-ancestors
// source list: space-separated sources such as * or 'self' or
// https://news.example, with nothing that could end the directive.
func CheckFrameAncestors(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("the frame-ancestors list is empty; use * for any origin or 'none' for no framing")
	}
	for _, src := range strings.Fields(s) {
		if strings.ContainsAny(src, ";,\"\r\n") {
			return fmt.Errorf("frame-ancestors source %q may not contain ; , or quotes", src)
		}
	}
	return nil
}
