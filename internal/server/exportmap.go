package server

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"strikemap/internal/geo"
	"strikemap/internal/mapimage"
	"strikemap/internal/request"
)

// The parameters of a map view shared by the map page, /embed and the image
// export: the filters, the layers, the position, and the dataset version
// the view was made from.
var viewParams = append(request.FilterParams(), "layers", "map", "sel", "basemap", "v")

// The parameters only the image export takes.
var imageParams = []string{"width", "height", "scale", "title", "legend", "download", "radii"}

// mapImageTypes maps an export format to its media type.
var mapImageTypes = map[string]string{
	"svg": "image/svg+xml",
	"png": "image/png",
	"pdf": "application/pdf",
}

// exportMap answers GET /api/export/map.{svg,png,pdf}.
func (s *Server) exportMap(c echo.Context) error {
	format := strings.TrimPrefix(c.Param("format"), "map.")
	contentType, ok := mapImageTypes[format]
	if !ok {
		return request.NotFound("there is no map export %q; use map.svg, map.png or map.pdf", request.Truncate(c.Param("format")))
	}
	d := s.dataset(c)
	q, err := request.Query(c.QueryString(), append(slices.Clone(viewParams), imageParams...)...)
	if err != nil {
		return err
	}
	v, f, err := s.parseMapView(q, d)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(downloadName("map", f, nil), ".geojson") + "." + format
	if done, err := s.notModified(c, d, q, name); done || err != nil {
		return err // a cached image costs no drawing
	}
	if err := s.drawing.acquire(c.Request().Context()); err != nil {
		return err
	}
	defer s.drawing.release()
	var buf bytes.Buffer
	switch format {
	case "svg":
		err = s.renderer.SVG(&buf, v)
	case "png":
		err = s.renderer.PNG(&buf, v)
	case "pdf":
		err = s.renderer.PDF(&buf, v)
	}
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}

// parseMapView reads a map view from the query: the filters, the layers
// (bases, incidents, rings, links, density; default bases and incidents),
// radii of the rings in km (default geo.DefaultRingRadii()), map=z/lat/lon
// (default: fit the data), width and height in CSS pixels (default 1200 ×
// 800), scale (default 1), title (default the data's tagline, as on the map
// page) and legend. mapimage.Renderer.AddLayers fills the layers.
func (s *Server) parseMapView(q url.Values, d *geo.Dataset) (mapimage.View, geo.Filter, error) {
	f, err := request.Filter(q, d)
	if err != nil {
		return mapimage.View{}, f, err
	}
	v := mapimage.View{Width: 1200, Height: 800, Scale: 1, Fit: true, Legend: true, Version: d.Version}
	if v.Width, err = parseNumber(q, "width", v.Width, mapimage.MinSide, mapimage.MaxSide); err != nil {
		return v, f, err
	}
	if v.Height, err = parseNumber(q, "height", v.Height, mapimage.MinSide, mapimage.MaxSide); err != nil {
		return v, f, err
	}
	if v.Scale, err = parseNumber(q, "scale", v.Scale, 1, mapimage.MaxScale); err != nil {
		return v, f, err
	}
	if err := v.Check(); err != nil {
		return v, f, request.BadParam("scale", "%v", err)
	}
	if q.Has("map") {
		v.Fit = false
		if v.Center, v.Zoom, err = parseMapPosition(q.Get("map")); err != nil {
			return v, f, err
		}
	}
	if v.Legend, err = parseBoolDefault(q, "legend", true); err != nil {
		return v, f, err
	}
	v.Title = d.Tagline(s.countries) // as the map page's tagline
	if q.Has("title") {
		v.Title = truncateRunes(q.Get("title"), 120)
	}
	// "strikes" is the page's layer of US strikes, off unless named.
	words, err := request.Vocabulary(q, "layers", []request.Word{"bases", "incidents", "rings", "links", "density", "strikes"})
	if err != nil {
		return v, f, err
	}
	if !q.Has("layers") {
		words = []request.Word{"bases", "incidents"}
	}
	var layers mapimage.Layers
	for _, w := range words {
		switch w {
		case "bases":
			layers.Bases = true
		case "incidents":
			layers.Incidents = true
		case "rings":
			layers.Rings = true
		case "links":
			layers.Links = true
		case "density":
			layers.Density = true
		case "strikes":
			layers.Strikes = true
		}
	}
	radii, err := parseRadii(q, "radii")
	if err != nil {
		return v, f, err
	}
	incidents := d.Select(f)
	src := mapimage.Source{
		Dataset: d, Filter: f, Incidents: incidents, RingRadii: radii, MaxMarks: clusterPageMin,
		// The index is the clusters endpoint's for the same filter, so that
		// the one built for the map page (or at start, for the whole
		// dataset) is the one used here. A box is part of the filter here:
		// the image draws only what is inside it.
		Index: func() (mapimage.Index, []*geo.Incident, error) {
			entry, err := s.clusterCache.get(s.life, d, f)
			if err != nil {
				return nil, nil, err
			}
			return entry.index, entry.incidents, nil
		},
	}
	shown, err := s.renderer.AddLayers(&v, src, layers)
	if errors.Is(err, mapimage.ErrRings) {
		return v, f, request.BadParam("radii", "%v", err)
	}
	if err != nil {
		return v, f, err
	}
	v.Caption = caption(d, f, incidents) + shown.Phrase()
	if layers.Strikes {
		v.Caption += strikesPhrase(len(v.Strikes))
	}
	if want := q.Get("v"); want != "" && want != d.Version {
		v.Caption += fmt.Sprintf(" · data updated since this map was published (%s)", request.Truncate(want))
	}
	return v, f, nil
}

// strikesPhrase is what a caption adds for n strikes drawn: the page's
// layer name, so a reader of the image knows the crosshairs are not
// attacks.
func strikesPhrase(n int) string {
	switch n {
	case 0:
		return ", no US strikes in response in these dates"
	case 1:
		return ", with 1 US strike in response"
	}
	return fmt.Sprintf(", with %d US strikes in response", n)
}

// caption says what a map shows: the date range (the filter's, or the
// shown incidents' when the filter has none), the filters, the count.
func caption(d *geo.Dataset, f geo.Filter, incidents []*geo.Incident) string {
	var parts []string
	if len(incidents) > 0 || f.From != nil || f.To != nil {
		first, last, _ := d.Span()
		if len(incidents) > 0 {
			first, last = incidents[0].Date, incidents[0].DateEnd
			for _, inc := range incidents {
				last = max(last, inc.DateEnd)
			}
		}
		if f.From != nil {
			first = *f.From
		}
		if f.To != nil {
			last = *f.To
		}
		parts = append(parts, humanDate(first)+" to "+humanDate(last))
	}
	if len(f.Weapons) > 0 {
		parts = append(parts, "weapon: "+joinStrings(f.Weapons))
	}
	if len(f.Statuses) > 0 {
		parts = append(parts, "status: "+joinStrings(f.Statuses))
	}
	if len(f.Bases) > 0 {
		names := make([]string, len(f.Bases))
		for i, id := range f.Bases {
			if id == geo.NoBase {
				names[i] = "no known base"
				continue
			}
			b, _ := d.Base(id)
			names[i] = b.Name
		}
		parts = append(parts, "target: "+strings.Join(names, ", "))
	}
	if f.BBox != nil {
		parts = append(parts, "inside a box")
	}
	n := len(incidents)
	word := "incidents"
	if n == 1 {
		word = "incident"
	}
	parts = append(parts, mapimage.GroupDigits(n)+" "+word) // as the pages write counts: 12,345
	return strings.Join(parts, " · ")
}

func humanDate(d geo.Date) string { return d.Time().Format("2 Jan 2006") }

// parseMapPosition reads z/lat/lon, as in the map page's URL.
func parseMapPosition(s string) (orb.Point, float64, error) {
	const want = "give zoom/latitude/longitude, e.g. 7/34.0/41.6, with zoom 0 to 19"
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return orb.Point{}, 0, request.BadParam("map", "map %s is not a position; %s", strconv.Quote(request.Truncate(s)), want)
	}
	var v [3]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return orb.Point{}, 0, request.BadParam("map", "map %s is not a position; %s", strconv.Quote(request.Truncate(s)), want)
		}
		v[i] = x
	}
	if v[0] < 0 || v[0] > 19 || v[1] < -85 || v[1] > 85 || v[2] < -180 || v[2] > 180 {
		return orb.Point{}, 0, request.BadParam("map", "map %s is out of range; %s, latitude within ±85 and longitude within ±180", strconv.Quote(request.Truncate(s)), want)
	}
	return orb.Point{v[2], v[1]}, v[0], nil
}

// parseNumber reads a finite number within [lo, hi], or def when absent.
func parseNumber(q url.Values, name string, def, lo, hi float64) (float64, error) {
	if !q.Has(name) {
		return def, nil
	}
	x, err := strconv.ParseFloat(q.Get(name), 64)
	if err != nil || math.IsNaN(x) || !(x >= lo && x <= hi) {
		return 0, request.BadParam(name, "%s %s is not a number from %v to %v", name, strconv.Quote(request.Truncate(q.Get(name))), lo, hi)
	}
	return x, nil
}

func parseBoolDefault(q url.Values, name string, def bool) (bool, error) {
	if !q.Has(name) {
		return def, nil
	}
	return parseBool(q, name)
}

// truncateRunes keeps at most n characters of s, as valid UTF-8.
func truncateRunes(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
