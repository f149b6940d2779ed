package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"strikemap/internal/cluster"
	"strikemap/internal/geo"
	"strikemap/internal/htmlpage"
	"strikemap/internal/request"
	"strikemap/web/templates"
)

// mapPage answers GET /: the map. Its query string is the view's state
// (filters, map position, layers, selection), read by the page's script, so
// the server does not check it.
func (s *Server) mapPage(c echo.Context) error {
	sv := s.servedOf(c.Request())
	d, loadedAt := sv.data, sv.loadedAt
	c.Response().Header().Set("Cache-Control", "no-cache")
	cfg := s.mapConfig(d)
	s.pin(&cfg, sv)
	cfg.LoadedAt = loadedAt.UTC().Format("2006-01-02 15:04 UTC")
	cfg.Preload = startFetches(c.QueryParams(), cfg)
	return htmlpage.Write(c, http.StatusOK, templates.MapPage(s.page(htmlpage.Messages(c).T("page.map"), d), cfg, s.versionNote(sv, c.QueryParams())))
}

// listLimit is the most rows the map page's incident list shows.
const listLimit = 500

// terms lists a vocabulary with its labels, for the page's script.
func terms[T interface {
	geo.Term
	Label() string
}](vocabulary []T) []templates.Term {
	out := make([]templates.Term, len(vocabulary))
	for i, t := range vocabulary {
		out[i] = templates.Term{Word: t.String(), Label: t.Label()}
	}
	return out
}

// strongestFirst lists the statuses as the page shows them: confirmed first.
func strongestFirst() []geo.Status {
	out := slices.Clone(geo.Statuses())
	slices.Reverse(out)
	return out
}

// mapConfig is what the page's script needs to know.
func (s *Server) mapConfig(d *geo.Dataset) templates.MapConfig {
	cfg := templates.MapConfig{
		TileURL: s.opts.TileURL, Version: d.Version, Bases: make([]templates.BaseOption, len(d.Bases)),
		Weapons:        terms(geo.Weapons()),
		Statuses:       terms(strongestFirst()),
		SourceKinds:    terms(geo.SourceKinds()),
		Total:          len(d.Incidents),
		PointLimit:     clusterPageMin,
		ListLimit:      listLimit,
		ClusterMaxZoom: cluster.DefaultOptions().MaxZoom,
	}
	if cfg.TileURL != "" {
		cfg.TileAttribution = s.opts.TileAttribution
	}
	if first, last, ok := d.Span(); ok {
		cfg.First, cfg.Last = first.String(), last.String()
	}
	cfg.Tagline = d.Tagline(s.countries)
	for i, b := range d.Bases {
		cfg.Bases[i] = templates.BaseOption{ID: b.ID, Name: b.Name}
	}
	bound := d.Extent()
	cfg.Bounds = [4]float64{bound.Min.Lon(), bound.Min.Lat(), bound.Max.Lon(), bound.Max.Lat()}
	if d.Count(geo.Filter{Bases: []string{geo.NoBase}}) > 0 {
		cfg.NoBase = request.NoBaseWord
	}
	return cfg
}

// embedPage answers GET /embed: the map alone, for an iframe. It takes the
// map page's state plus legend, controls and title; v names the dataset the
// embed was published with, so a changed dataset is said, not hidden.
func (s *Server) embedPage(c echo.Context) error {
	sv := s.servedOf(c.Request())
	d := sv.data
	q := c.QueryParams()
	cfg := s.mapConfig(d)
	cfg.Embed = true
	s.pin(&cfg, sv)
	var err error
	if cfg.Controls, err = parseBoolDefault(q, "controls", true); err != nil {
		return err
	}
	o := templates.EmbedOptions{Title: truncateRunes(q.Get("title"), 120)}
	if o.Legend, err = parseBoolDefault(q, "legend", true); err != nil {
		return err
	}
	switch h := q.Get("height"); {
	case h == "auto":
		o.AutoHeight = true
	case q.Has("height"):
		return request.BadParam("height", "height %s is not allowed; give height=auto for an embed as tall as its map and caption, or leave it out to fill the iframe", strconv.Quote(request.Truncate(h)))
	}
	switch o.Pinned = s.versionNote(sv, q); {
	case sv.asOf:
	case q.Get("v") != "" && q.Get("v") != d.Version:
		o.Stale, o.PublishedAs = true, request.Truncate(q.Get("v"))
	}
	cfg.Preload = startFetches(q, cfg)
	c.Response().Header().Set("Cache-Control", "no-cache")
	title := htmlpage.Messages(c).T("page.embed")
	if o.Title != "" {
		title = o.Title
	}
	return htmlpage.Write(c, http.StatusOK, templates.EmbedPage(s.page(title, d), cfg, o))
}

// startFetches are the API requests that the page's first render (its
// data-ready mark) waits for besides the clusters, with a URL the server
// can know from the page's own query: the head preloads them, so they
// start with the document instead of after the modules are fetched, parsed
// and run and the map is made (791 ms into a quiet load of the 1M page; the
// saving measured there was at most 86 ms: docs/performance.md), and are
// answered by the time the script asks.
// The URLs must be the script's to the letter, or the browser fetches
// twice. The clusters are not among them: their box is the map's size,
// which only the browser knows. Nor are the basemap, the range rings and
// the official counts, which the first render does not wait for:
// preloaded, the basemap is there before the clusters are asked for, and
// its drawing (its labels measured, forcing layouts) goes ahead of the
// clusters' paint, which the first render does wait for. A
// page at ?as_of= asks with the version added and is left alone.
func startFetches(q url.Values, cfg templates.MapConfig) []string {
	if cfg.AsOf != "" {
		return nil
	}
	// The histogram's days, and the bases: their summaries count what the
	// filters other than base select (state.js's filterQuery without base,
	// as main.js asks), so with none of those in the query the script asks
	// for them unfiltered.
	out := []string{"/api/timeline.json"}
	if !slices.ContainsFunc([]string{"from", "to", "weapon", "status"}, q.Has) {
		out = append(out, "/api/bases.geojson")
	}
	return out
}

// countryNames reads the names of the basemap's countries by their ISO
// code; a basemap it cannot read names none.
func countryNames(basemap []byte) map[string]string {
	var fc struct {
		Features []struct {
			Properties struct {
				Layer string `json:"layer"`
				ISO   string `json:"iso_a2"`
				Name  string `json:"name"`
			} `json:"properties"`
		} `json:"features"`
	}
	names := map[string]string{}
	if json.Unmarshal(basemap, &fc) != nil {
		return names
	}
	for _, f := range fc.Features {
		if p := f.Properties; p.Layer == "country" && p.ISO != "" && p.Name != "" {
			names[p.ISO] = p.Name
		}
	}
	return names
}

// pin tells the page's script which version of the record it shows: the
// embed dialog pins its snippet to it, and a page at ?as_of= asks every
// request for that version.
func (s *Server) pin(cfg *templates.MapConfig, sv served) {
	cfg.Record = sv.data.Record
	cfg.Live = s.opts.Record != nil || s.opts.Reloads != nil
	if sv.asOf {
		cfg.AsOf = strconv.FormatInt(sv.at.Number, 10)
	}
}

// versionNote is what the map page and the embed say when they show a
// version of the record (?as_of=) that is no longer the newest: when it was
// published, with a link to the same view of the current data. At the
// newest version, or without as_of, it is the zero note, which says nothing.
func (s *Server) versionNote(sv served, q url.Values) templates.VersionNote {
	if !sv.asOf || sv.at.Number == s.store.Dataset().Record {
		return templates.VersionNote{}
	}
	return templates.VersionNote{Number: sv.at.Number, Date: sv.at.CreatedAt[:min(10, len(sv.at.CreatedAt))], CurrentURL: currentView(q)}
}

// currentView is the map page's URL of an embed's view without its
// version: the same filters, layers and position on the current data.
func currentView(q url.Values) string {
	keep := url.Values{}
	for _, k := range []string{"from", "to", "weapon", "status", "base", "layers", "map", "basemap"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	if len(keep) == 0 {
		return "/"
	}
	return "/?" + request.ReadableQuery(keep)
}
