package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"strikemap/internal/geo"
)

// geoJSONType is the media type of GeoJSON (RFC 7946 §12).
const geoJSONType = "application/geo+json"

// geoJSON writes a GeoJSON body with validators and caching headers, or 304
// when the client's If-None-Match already names it. With download=1 it is
// sent as an attachment named for what it holds.
func (s *Server) geoJSON(c echo.Context, d *geo.Dataset, body []byte, q url.Values, filename string) error {
	return s.sendData(c, d, body, geoJSONType, q, filename)
}

// sendData writes a data body of the given media type with validators and
// caching headers; see geoJSON.
func (s *Server) sendData(c echo.Context, d *geo.Dataset, body []byte, contentType string, q url.Values, filename string) error {
	if done, err := s.notModified(c, d, q, filename); done || err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentType, body)
}

// notModified sets the validators and caching headers of a data response
// and, when the client's If-None-Match already names it, answers 304 and
// returns true. The ETag is a hash of what decides the body: this build of
// the server, the dataset version, the path and the query. So it is known
// before any work, and equal on every replica that runs the same build.
func (s *Server) notModified(c echo.Context, d *geo.Dataset, q url.Values, filename string) (bool, error) {
	download, err := parseBool(q, "download")
	if err != nil {
		return false, err
	}
	h := sha256.New()
	for _, part := range []string{s.build, d.Version, c.Request().URL.Path, q.Encode()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	etag := `W/"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
	hdr := c.Response().Header()
	hdr.Set("ETag", etag)
	hdr.Set("Cache-Control", "public, max-age=60")
	hdr.Set("X-Dataset-Version", d.Version)
	if download {
		hdr.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	if etagMatches(c.Request().Header.Get("If-None-Match"), etag) {
		return true, c.NoContent(http.StatusNotModified)
	}
	return false, nil
}

// etagMatches applies the weak comparison of RFC 9110 §13.1.2 to an
// If-None-Match header.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// downloadName names a download for what it holds, e.g.
// incidents_2023-10-18_2023-10-22_rocket.geojson.
func downloadName(layer string, f geo.Filter, radii []float64) string {
	parts := []string{layer}
	switch {
	case f.From != nil && f.To != nil:
		parts = append(parts, f.From.String(), f.To.String())
	case f.From != nil:
		parts = append(parts, "from-"+f.From.String())
	case f.To != nil:
		parts = append(parts, "to-"+f.To.String())
	}
	if len(f.Weapons) > 0 {
		parts = append(parts, joinStrings(f.Weapons))
	}
	if len(f.Statuses) > 0 {
		parts = append(parts, joinStrings(f.Statuses))
	}
	if len(f.Bases) > 0 {
		ids := slices.Clone(f.Bases)
		if k := slices.Index(ids, geo.NoBase); k >= 0 {
			ids[k] = "nobase"
		}
		parts = append(parts, strings.Join(ids, "-"))
	}
	if f.BBox != nil {
		parts = append(parts, "bbox")
	}
	if len(radii) > 0 {
		km := make([]string, len(radii))
		for i, r := range radii {
			km[i] = strconv.FormatFloat(r, 'f', -1, 64)
		}
		parts = append(parts, strings.Join(km, "-")+"km")
	}
	return strings.Join(parts, "_") + ".geojson"
}

func joinStrings[T geo.Term](vs []T) string { return strings.Join(geo.Words(vs), "-") }
