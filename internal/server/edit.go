package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"strikemap/internal/auth"
	"strikemap/internal/catalog"
	"strikemap/internal/geo"
	"strikemap/internal/htmlpage"
	"strikemap/internal/request"
	"strikemap/internal/store"
	"strikemap/web/templates"
)

// Editing in the browser (docs/editing.md): the forms to propose and edit
// incidents and bases, adding a source in one step, and /review, where
// editors approve or reject proposals. A form's values become a geo value,
// then the feature's JSON (geo.MarshalIncidentFeature), then a store.Edit;
// the store checks it with geo.Load, and each problem it finds is shown
// beside the field it names. These routes exist only with a database.

// installEditing registers the editing routes.
func (s *Server) installEditing() {
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		s.echo.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
	}
	contributor, editor := auth.Require(store.Contributor), auth.Require(store.Editor)
	get("/incidents/new", s.newIncidentForm, contributor)
	s.write(http.MethodPost, "/incidents/new", s.submitIncident, contributor)
	get("/incidents/:id/edit", s.editIncidentForm, contributor)
	s.write(http.MethodPost, "/incidents/:id/edit", s.submitIncident, contributor)
	s.write(http.MethodPost, "/incidents/:id/sources", s.addSource, contributor)
	s.write(http.MethodPost, "/incidents/:id/retract", s.retractIncident, contributor)
	get("/bases/new", s.newBaseForm, editor)
	s.write(http.MethodPost, "/bases/new", s.submitBase, editor)
	get("/bases/:id/edit", s.editBaseForm, editor)
	s.write(http.MethodPost, "/bases/:id/edit", s.submitBase, editor)
	get("/review", s.reviewPage, editor)
	s.write(http.MethodPost, "/review/:id/approve", s.decide, editor)
	s.write(http.MethodPost, "/review/:id/reject", s.decide, editor)
	get("/api/proposals", s.apiProposals, editor)
	s.write(http.MethodPost, "/api/proposals", s.apiPropose, contributor)
	s.write(http.MethodPost, "/api/proposals/:id/approve", s.apiDecide, editor)
	s.write(http.MethodPost, "/api/proposals/:id/reject", s.apiDecide, editor)
}

// caller is the logged-in user; the routes are behind auth.Require.
func caller(c echo.Context) store.User {
	u, _ := auth.User(c)
	return *u
}

func mayApply(u store.User) bool { return u.Role.AtLeast(store.Editor) }

// words lists a vocabulary's words.
func words[T fmt.Stringer](ts []T) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.String()
	}
	return out
}

// ---- incidents ----

func (s *Server) newIncidentForm(c echo.Context) error {
	v := templates.IncidentValues{Weapon: "unknown", Precision: "near", Sources: []templates.SourceValues{{Kind: "media"}}}
	if q := c.QueryParam("lat"); q != "" {
		v.Lat, v.Lon = q, c.QueryParam("lon")
	}
	return s.renderIncidentForm(c, http.StatusOK, true, v, nil, nil)
}

func (s *Server) editIncidentForm(c echo.Context) error {
	id := c.Param("id")
	body, ok, err := s.opts.Record.Feature(c.Request().Context(), geo.IncidentsFile, id)
	if err != nil {
		return err
	}
	inc, found := s.store.Dataset().Incident(id)
	if !ok || !found {
		return request.NotFound("there is no incident with the id %q", request.Truncate(id))
	}
	v := incidentValues(inc)
	v.Before = string(body)
	return s.renderIncidentForm(c, http.StatusOK, false, v, nil, nil)
}

// incidentValues fills the form from an incident.
func incidentValues(inc *geo.Incident) templates.IncidentValues {
	v := templates.IncidentValues{
		ID: inc.ID, Lat: coord(inc.Point.Lat()), Lon: coord(inc.Point.Lon()), Date: inc.Date.String(),
		Weapon: inc.Weapon.String(), Count: numberText(inc.Count), Base: inc.Base, Outcome: inc.Outcome,
		Injured: numberText(inc.Injured), Killed: numberText(inc.Killed), ClaimedBy: strings.Join(inc.ClaimedBy, "\n"),
		Precision: inc.LocationPrecision.String(), Notes: inc.Notes, Disputed: inc.Disputed,
	}
	if inc.IsSpan() {
		v.DateEnd = inc.DateEnd.String()
	}
	for _, src := range inc.Sources {
		sv := templates.SourceValues{Publisher: src.Publisher, Kind: src.Kind.String(), URL: src.URL, Says: src.Says}
		if src.Published.Known() {
			sv.Published = src.Published.String()
		}
		v.Sources = append(v.Sources, sv)
	}
	return v
}

func coord(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func numberText(n geo.Number) string {
	if v, ok := n.Get(); ok {
		return strconv.Itoa(v)
	}
	return ""
}

func (s *Server) renderIncidentForm(c echo.Context, status int, isNew bool, v templates.IncidentValues, errs map[string]string, problems []string) error {
	u := caller(c)
	d := s.store.Dataset()
	f := templates.IncidentForm{
		EditForm: templates.EditForm{Action: c.Request().URL.Path, New: isNew, Errors: errs, Problems: problems, CSRF: auth.CSRFToken(c), CanApply: mayApply(u)},
		Values:   v, Bases: baseChoices(d, v.Lat, v.Lon),
		Weapons: words(geo.Weapons()), Precisions: words(geo.Precisions()), Kinds: words(geo.SourceKinds()),
	}
	if len(f.Values.Sources) == 0 {
		f.Values.Sources = []templates.SourceValues{{Kind: "media"}}
	}
	m := htmlpage.Messages(c)
	title := m.T("edit.incident-new")
	if !isNew {
		title = m.T("edit.incident-edit", catalog.Args{"id": v.ID})
	}
	p := s.page(title, d)
	p.Styles = append(p.Styles, "vendor/leaflet/leaflet.css")
	p.Scripts = append(p.Scripts, "vendor/leaflet/leaflet.js", "js/leaflet-setup.js", "js/pickpoint.js")
	c.Response().Header().Set("Cache-Control", "no-store")
	return htmlpage.Write(c, status, templates.IncidentFormPage(p, f))
}

// baseChoices lists the bases, nearest the typed point first when it is
// one.
func baseChoices(d *geo.Dataset, lat, lon string) []templates.BaseChoice {
	out := make([]templates.BaseChoice, len(d.Bases))
	la, errLat := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, errLon := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	known := errLat == nil && errLon == nil && math.Abs(la) <= 90 && math.Abs(lo) <= 180
	dist := make([]float64, len(d.Bases))
	for i, b := range d.Bases {
		out[i] = templates.BaseChoice{ID: b.ID, Name: b.Name, Lat: b.Point.Lat(), Lon: b.Point.Lon()}
		if known {
			dist[i] = orbgeo.DistanceHaversine(b.Point, orb.Point{lo, la})
			out[i].Distance = fmt.Sprintf("%.0f km", dist[i]/1000)
		}
	}
	if known {
		idx := make([]int, len(out))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case dist[a] < dist[b]:
				return -1
			case dist[a] > dist[b]:
				return 1
			}
			return 0
		})
		sorted := make([]templates.BaseChoice, len(out))
		for i, j := range idx {
			sorted[i] = out[j]
		}
		out = sorted
	}
	return out
}

// readIncidentForm reads the posted form: its values as typed (to show
// again), the incident they make, and what could not be read, by field.
func readIncidentForm(c echo.Context, m *catalog.Catalog) (templates.IncidentValues, geo.Incident, map[string]string) {
	form, _ := c.FormParams()
	v := templates.IncidentValues{
		ID: strings.TrimSpace(form.Get("id")), Lat: form.Get("lat"), Lon: form.Get("lon"), Date: form.Get("date"), DateEnd: form.Get("date_end"),
		Weapon: form.Get("weapon"), Count: form.Get("count"), Base: form.Get("base"), Outcome: form.Get("outcome"),
		Injured: form.Get("injured"), Killed: form.Get("killed"), ClaimedBy: form.Get("claimed_by"), Precision: form.Get("location_precision"),
		Notes: form.Get("notes"), Disputed: disputedOrder(form["disputed"], form.Get("before")), Reason: form.Get("reason"), Before: form.Get("before"), Apply: form.Get("apply") != "",
	}
	pub, kind, url, published, says := form["source_publisher"], form["source_kind"], form["source_url"], form["source_published"], form["source_says"]
	for i := range pub {
		sv := templates.SourceValues{Publisher: pub[i], Kind: at(kind, i), URL: at(url, i), Published: at(published, i), Says: at(says, i)}
		if i > 0 && sv == (templates.SourceValues{Kind: sv.Kind}) {
			continue // an empty row the script added
		}
		v.Sources = append(v.Sources, sv)
	}
	errs := map[string]string{}
	inc := geo.Incident{ID: v.ID, Outcome: strings.TrimSpace(v.Outcome), Base: v.Base, Notes: strings.TrimSpace(v.Notes), Disputed: v.Disputed}
	inc.Point = readPoint(v.Lat, v.Lon, errs, m)
	inc.Date = readDate(v.Date, "date", true, errs, m)
	inc.DateEnd = inc.Date
	if strings.TrimSpace(v.DateEnd) != "" {
		inc.DateEnd = readDate(v.DateEnd, "date_end", true, errs, m)
	}
	inc.Count = readNumber(v.Count, "count", errs, m)
	inc.Injured = readNumber(v.Injured, "injured", errs, m)
	inc.Killed = readNumber(v.Killed, "killed", errs, m)
	_ = inc.Weapon.UnmarshalText([]byte(v.Weapon))
	_ = inc.LocationPrecision.UnmarshalText([]byte(v.Precision))
	for _, line := range strings.Split(v.ClaimedBy, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			inc.ClaimedBy = append(inc.ClaimedBy, line)
		}
	}
	for i, sv := range v.Sources {
		src := geo.Source{Publisher: strings.TrimSpace(sv.Publisher), URL: strings.TrimSpace(sv.URL), Says: strings.TrimSpace(sv.Says)}
		_ = src.Kind.UnmarshalText([]byte(sv.Kind))
		if strings.TrimSpace(sv.Published) != "" {
			src.Published = geo.SomeDate(readDate(sv.Published, fmt.Sprintf("sources[%d].published", i), false, errs, m))
		}
		inc.Sources = append(inc.Sources, src)
	}
	inc.Status = geo.StrongestStatus(inc.Sources)
	return v, inc, errs
}

// disputedOrder is the disputed list the form's boxes make, each word
// once: those the record listed (in before, the feature the form was made
// from) in the record's order, then those newly ticked in the form's, so
// that an edit which leaves the list alone changes nothing in the file.
func disputedOrder(ticked []string, before string) []string {
	var was struct {
		Properties struct {
			Disputed []string `json:"disputed"`
		} `json:"properties"`
	}
	_ = json.Unmarshal([]byte(before), &was) // a new incident, or a before the store will refuse anyway
	out := make([]string, 0, len(ticked))
	for _, w := range was.Properties.Disputed {
		if slices.Contains(ticked, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	for _, w := range ticked {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

func readPoint(lat, lon string, errs map[string]string, m *catalog.Catalog) orb.Point {
	la, err := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	if err != nil || math.Abs(la) > 90 {
		errs["lat"] = m.T("edit.not-latitude")
	}
	lo, err := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err != nil || math.Abs(lo) > 180 {
		errs["lon"] = m.T("edit.not-longitude")
	}
	return orb.Point{lo, la}
}

func readDate(s, field string, required bool, errs map[string]string, m *catalog.Catalog) geo.Date {
	s = strings.TrimSpace(s)
	if s == "" && required {
		errs[field] = m.T("edit.required")
		return 0
	}
	d, err := geo.ParseDate(s)
	if err != nil {
		errs[field] = m.T("edit.not-date")
	}
	return d
}

// readNumber reads a count: blank is unknown, and 0 is none.
func readNumber(s, field string, errs map[string]string, m *catalog.Catalog) geo.Number {
	s = strings.TrimSpace(s)
	if s == "" {
		return geo.Number{}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		errs[field] = m.T("edit.not-whole")
		return geo.Number{}
	}
	if n < 0 || n > geo.MaxNumber {
		// Let geo's rule say what is allowed: keep an impossible value
		// that it refuses with its message.
		return geo.Known(max(n, -1))
	}
	return geo.Known(n)
}

// newIncidentID makes an id for a new incident: its date, base (or
// "unknown") and weapon, numbered when taken.
func newIncidentID(d *geo.Dataset, inc *geo.Incident) string {
	base := inc.Base
	if base == "" {
		base = "unknown"
	}
	id := fmt.Sprintf("%s-%s-%s", inc.Date, base, inc.Weapon)
	for n := 2; ; n++ {
		if _, taken := d.Incident(id); !taken {
			return id
		}
		id = fmt.Sprintf("%s-%s-%s-%d", inc.Date, base, inc.Weapon, n)
	}
}

// submitIncident answers POST /incidents/new and /incidents/{id}/edit.
func (s *Server) submitIncident(c echo.Context) error {
	m := htmlpage.Messages(c)
	isNew := c.Param("id") == ""
	v, inc, errs := readIncidentForm(c, m)
	if !isNew {
		v.ID, inc.ID = c.Param("id"), c.Param("id")
	}
	if len(errs) > 0 {
		return s.renderIncidentForm(c, http.StatusBadRequest, isNew, v, errs, nil)
	}
	if isNew && inc.ID == "" {
		inc.ID = newIncidentID(s.store.Dataset(), &inc)
	}
	e := store.Edit{File: geo.IncidentsFile, ID: inc.ID, After: geo.MarshalIncidentFeature(&inc)}
	if !isNew {
		e.Before = json.RawMessage(v.Before)
	}
	return s.submitEdit(c, e, v.Reason, v.Apply, "/incidents/"+inc.ID, func(errs map[string]string, problems []string) error {
		if isNew && v.ID == "" && errs["id"] != "" {
			problems = append(problems, errs["id"])
		}
		return s.renderIncidentForm(c, http.StatusBadRequest, isNew, v, errs, problems)
	})
}

// submitEdit proposes e (or applies it, for an editor who chose to) and
// redirects to done, or shows the form again with the store's refusal:
// each problem beside its field.
func (s *Server) submitEdit(c echo.Context, e store.Edit, reason string, apply bool, done string, again func(map[string]string, []string) error) error {
	ctx := c.Request().Context()
	u := caller(c)
	m := htmlpage.Messages(c)
	var id int64
	var err error
	if apply && mayApply(u) {
		var res store.Applied
		if res, err = s.opts.Record.Edit(ctx, u, reason, e); err == nil {
			if err := s.recordChanged(ctx, res.Digest); err != nil {
				return err
			}
			return c.Redirect(http.StatusSeeOther, done)
		}
	} else if id, err = s.opts.Record.Propose(ctx, u, reason, e); err == nil {
		d := s.store.Dataset()
		return htmlpage.Write(c, http.StatusCreated, templates.ProposalDone(s.page(m.T("edit.proposed-title"), d), id))
	}
	errs, problems, ok := placeProblems(err, e, m)
	if !ok {
		return err
	}
	return again(errs, problems)
}

// placeProblems turns the store's refusal of e into messages beside the
// form's fields (keyed as the data's fields are) and messages for the
// whole form; ok is false for an error that is not the client's.
func placeProblems(err error, e store.Edit, m *catalog.Catalog) (errs map[string]string, problems []string, ok bool) {
	errs = map[string]string{}
	var ve *geo.ValidationError
	var conflict *store.ConflictError
	var ee *store.EditError
	switch {
	case errors.As(err, &ve):
		for _, p := range ve.Problems {
			field := p.Field
			if field == "geometry" || strings.HasPrefix(field, "geometry") {
				field = "geometry"
			}
			if strings.HasPrefix(field, "disputed[") {
				field = "disputed" // one list of boxes: its problems beside it
			}
			if p.File == e.File && p.ID == e.ID && field != "" {
				if _, dup := errs[field]; !dup {
					errs[field] = p.Reason
					continue
				}
			}
			problems = append(problems, p.String())
		}
	case errors.As(err, &conflict):
		problems = append(problems, m.T("edit.conflict"))
	case errors.Is(err, store.ErrReasonRequired):
		errs["reason"] = m.T("edit.reason-required")
	case errors.As(err, &ee):
		problems = append(problems, ee.Error())
	default:
		return nil, nil, false
	}
	return errs, problems, true
}

// addSource answers POST /incidents/{id}/sources: one step to add a
// source to an incident, its status following the strongest source.
func (s *Server) addSource(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	m := htmlpage.Messages(c)
	body, ok, err := s.opts.Record.Feature(ctx, geo.IncidentsFile, id)
	if err != nil {
		return err
	}
	cur, found := s.store.Dataset().Incident(id)
	if !ok || !found {
		return request.NotFound("there is no incident with the id %q", request.Truncate(id))
	}
	// The form the incident's page carries, read as the full form reads
	// its first source row.
	v := incidentValues(cur)
	v.Before = string(body)
	v.Reason, v.Apply = c.FormValue("reason"), c.FormValue("apply") != ""
	added := templates.SourceValues{Publisher: c.FormValue("source_publisher"), Kind: c.FormValue("source_kind"),
		URL: c.FormValue("source_url"), Published: c.FormValue("source_published"), Says: c.FormValue("source_says")}
	v.Sources = append(v.Sources, added)
	inc := *cur
	src := geo.Source{Publisher: strings.TrimSpace(added.Publisher), URL: strings.TrimSpace(added.URL), Says: strings.TrimSpace(added.Says)}
	_ = src.Kind.UnmarshalText([]byte(added.Kind))
	errs := map[string]string{}
	n := len(cur.Sources)
	if strings.TrimSpace(added.Published) != "" {
		src.Published = geo.SomeDate(readDate(added.Published, fmt.Sprintf("sources[%d].published", n), false, errs, m))
	}
	inc.Sources = append(slices.Clone(cur.Sources), src)
	inc.Status = geo.StrongestStatus(inc.Sources)
	if v.Reason == "" {
		v.Reason = "added a source: " + src.Publisher
	}
	// Problems are shown on the full form, with the new source as its
	// last row.
	again := func(errs map[string]string, problems []string) error {
		c.Request().URL.Path = "/incidents/" + id + "/edit"
		return s.renderIncidentForm(c, http.StatusBadRequest, false, v, errs, problems)
	}
	if len(errs) > 0 {
		return again(errs, nil)
	}
	e := store.Edit{File: geo.IncidentsFile, ID: id, Before: body, After: geo.MarshalIncidentFeature(&inc)}
	return s.submitEdit(c, e, v.Reason, v.Apply, "/incidents/"+id, again)
}

// retractIncident answers POST /incidents/{id}/retract: the incident
// leaves the record (its history keeps it, with the reason, required).
func (s *Server) retractIncident(c echo.Context) error {
	id := c.Param("id")
	before := c.FormValue("before")
	if _, found := s.store.Dataset().Incident(id); !found {
		return request.NotFound("there is no incident with the id %q", request.Truncate(id))
	}
	e := store.Edit{File: geo.IncidentsFile, ID: id, Before: json.RawMessage(before)}
	return s.submitEdit(c, e, c.FormValue("reason"), c.FormValue("apply") != "", "/", func(errs map[string]string, problems []string) error {
		inc, _ := s.store.Dataset().Incident(id)
		v := incidentValues(inc)
		v.Before = before
		if r, ok := errs["reason"]; ok {
			delete(errs, "reason")
			errs["retract_reason"] = r
		}
		c.Request().URL.Path = "/incidents/" + id + "/edit"
		return s.renderIncidentForm(c, http.StatusBadRequest, false, v, errs, problems)
	})
}

// ---- bases ----

func (s *Server) newBaseForm(c echo.Context) error {
	return s.renderBaseForm(c, http.StatusOK, true, templates.BaseValues{Kind: string(geo.KindOutpost), Apply: true}, nil, nil)
}

func (s *Server) editBaseForm(c echo.Context) error {
	id := c.Param("id")
	body, ok, err := s.opts.Record.Feature(c.Request().Context(), geo.BasesFile, id)
	if err != nil {
		return err
	}
	b, found := s.store.Dataset().Base(id)
	if !ok || !found {
		return request.NotFound("there is no base with the id %q", request.Truncate(id))
	}
	v := templates.BaseValues{ID: b.ID, Name: b.Name, ShortName: b.ShortName, Aliases: strings.Join(b.Aliases, "\n"), Country: b.Country,
		Admin1: b.Admin1, Kind: string(b.Kind), ICAO: b.ICAO, IATA: b.IATA, Lat: coord(b.Point.Lat()), Lon: coord(b.Point.Lon()),
		CoordSource: b.CoordSource, CoordURL: b.CoordURL, Notes: b.Notes, Before: string(body), Apply: true}
	return s.renderBaseForm(c, http.StatusOK, false, v, nil, nil)
}

func (s *Server) renderBaseForm(c echo.Context, status int, isNew bool, v templates.BaseValues, errs map[string]string, problems []string) error {
	f := templates.BaseForm{
		EditForm: templates.EditForm{Action: c.Request().URL.Path, New: isNew, Errors: errs, Problems: problems, CSRF: auth.CSRFToken(c), CanApply: true},
		Values:   v, Kinds: words(geo.BaseKinds()),
	}
	m := htmlpage.Messages(c)
	title := m.T("edit.base-new")
	if !isNew {
		title = m.T("edit.base-edit", catalog.Args{"id": v.ID})
	}
	p := s.page(title, s.store.Dataset())
	p.Styles = append(p.Styles, "vendor/leaflet/leaflet.css")
	p.Scripts = append(p.Scripts, "vendor/leaflet/leaflet.js", "js/leaflet-setup.js", "js/pickpoint.js")
	c.Response().Header().Set("Cache-Control", "no-store")
	return htmlpage.Write(c, status, templates.BaseFormPage(p, f))
}

// submitBase answers POST /bases/new and /bases/{id}/edit (editors).
func (s *Server) submitBase(c echo.Context) error {
	m := htmlpage.Messages(c)
	form, _ := c.FormParams()
	isNew := c.Param("id") == ""
	v := templates.BaseValues{ID: strings.TrimSpace(form.Get("id")), Name: form.Get("name"), ShortName: form.Get("short_name"), Aliases: form.Get("aliases"),
		Country: form.Get("country"), Admin1: form.Get("admin1"), Kind: form.Get("kind"), ICAO: form.Get("icao"), IATA: form.Get("iata"),
		Lat: form.Get("lat"), Lon: form.Get("lon"), CoordSource: form.Get("coord_source"), CoordURL: form.Get("coord_source_url"),
		Notes: form.Get("notes"), Reason: form.Get("reason"), Before: form.Get("before"), Apply: form.Get("apply") != ""}
	if !isNew {
		v.ID = c.Param("id")
	}
	errs := map[string]string{}
	b := geo.Base{ID: v.ID, Name: strings.TrimSpace(v.Name), ShortName: v.ShortName, Country: strings.TrimSpace(v.Country), Admin1: strings.TrimSpace(v.Admin1),
		Kind: geo.BaseKind(v.Kind), ICAO: strings.TrimSpace(v.ICAO), IATA: strings.TrimSpace(v.IATA), CoordSource: strings.TrimSpace(v.CoordSource),
		CoordURL: strings.TrimSpace(v.CoordURL), Notes: strings.TrimSpace(v.Notes)}
	b.Point = readPoint(v.Lat, v.Lon, errs, m)
	for _, line := range strings.Split(v.Aliases, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			b.Aliases = append(b.Aliases, line)
		}
	}
	if v.ID == "" {
		errs["id"] = m.T("edit.required")
	}
	again := func(errs map[string]string, problems []string) error {
		return s.renderBaseForm(c, http.StatusBadRequest, isNew, v, errs, problems)
	}
	if len(errs) > 0 {
		return again(errs, nil)
	}
	e := store.Edit{File: geo.BasesFile, ID: b.ID, After: geo.MarshalBaseFeature(&b)}
	if !isNew {
		e.Before = json.RawMessage(v.Before)
	}
	return s.submitEdit(c, e, v.Reason, v.Apply, "/bases/"+b.ID, again)
}

// ---- review ----

// reviewPage answers GET /review, saying what the last decision did
// (?approved=ID&version=N or ?rejected=ID): numbers only, so that a link
// cannot put words on the page.
func (s *Server) reviewPage(c echo.Context) error {
	m := htmlpage.Messages(c)
	var done string
	if id, err := strconv.ParseInt(c.QueryParam("approved"), 10, 64); err == nil {
		v, _ := strconv.ParseInt(c.QueryParam("version"), 10, 64)
		done = m.T("edit.done-approved", catalog.Args{"id": id, "version": v})
	} else if id, err := strconv.ParseInt(c.QueryParam("rejected"), 10, 64); err == nil {
		done = m.T("edit.done-rejected", catalog.Args{"id": id})
	}
	return s.renderReview(c, http.StatusOK, done, "")
}

func (s *Server) renderReview(c echo.Context, status int, done, problem string) error {
	ctx := c.Request().Context()
	revs, err := s.opts.Record.Revisions(ctx, store.StateProposed)
	if err != nil {
		return err
	}
	d := s.store.Dataset()
	r := templates.Review{CSRF: auth.CSRFToken(c), Done: done, Error: problem}
	for _, rev := range revs {
		it := templates.ReviewItem{ID: rev.ID, Author: rev.Author, CreatedAt: rev.CreatedAt, Reason: rev.Reason}
		for _, e := range rev.Edits {
			ch := templates.ReviewChange{Kind: e.Kind(), File: e.File, ID: e.ID, Rows: diffRows(e.Before, e.After)}
			if e.Before != nil {
				switch e.File {
				case geo.IncidentsFile:
					if _, ok := d.Incident(e.ID); ok {
						ch.Link = "/incidents/" + e.ID
					}
				case geo.BasesFile:
					if _, ok := d.Base(e.ID); ok {
						ch.Link = "/bases/" + e.ID
					}
				}
			}
			it.Changes = append(it.Changes, ch)
		}
		r.Items = append(r.Items, it)
	}
	m := htmlpage.Messages(c)
	c.Response().Header().Set("Cache-Control", "no-store")
	return htmlpage.Write(c, status, templates.ReviewPage(s.page(m.T("review.title"), d), r))
}

// diffRows compares two features field by field, in the order the after
// (else the before) lists them: every field of a new or retracted one,
// only those that differ of an edit.
func diffRows(before, after []byte) []templates.DiffRow {
	b, a := flatten(before), flatten(after)
	var order []string
	seen := map[string]bool{}
	for _, kv := range append(a, b...) {
		if !seen[kv[0]] {
			seen[kv[0]] = true
			order = append(order, kv[0])
		}
	}
	bm, am := pairs(b), pairs(a)
	var rows []templates.DiffRow
	for _, k := range order {
		if before != nil && after != nil && bm[k] == am[k] {
			continue
		}
		rows = append(rows, templates.DiffRow{Field: k, Before: bm[k], After: am[k]})
	}
	return rows
}

func pairs(kvs [][2]string) map[string]string {
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		m[kv[0]] = kv[1]
	}
	return m
}

// flatten lists a feature's fields as readable paths and values:
// "coordinates" as "lat, lon", properties by their names, each source's
// fields as "sources[1].url", lists joined with "; ".
func flatten(raw []byte) [][2]string {
	if raw == nil {
		return nil
	}
	var f struct {
		ID       string `json:"id"`
		Geometry struct {
			Coordinates []float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(raw, &f) != nil {
		return [][2]string{{"json", string(raw)}}
	}
	out := [][2]string{{"id", f.ID}}
	if len(f.Geometry.Coordinates) == 2 {
		out = append(out, [2]string{"coordinates", coord(f.Geometry.Coordinates[1]) + ", " + coord(f.Geometry.Coordinates[0])})
	}
	dec := json.NewDecoder(strings.NewReader(string(f.Properties)))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return out
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			break
		}
		k, _ := kt.(string)
		var v any
		if dec.Decode(&v) != nil {
			break
		}
		if k == "sources" {
			list, _ := v.([]any)
			for i, sv := range list {
				src, _ := sv.(map[string]any)
				for _, name := range []string{"publisher", "kind", "url", "published", "says"} {
					if x, ok := src[name]; ok {
						out = append(out, [2]string{fmt.Sprintf("sources[%d].%s", i, name), valueText(x)})
					}
				}
			}
			continue
		}
		out = append(out, [2]string{k, valueText(v)})
	}
	return out
}

func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case json.Number:
		return x.String()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueText(e)
		}
		return strings.Join(parts, "; ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// decide answers POST /review/{id}/approve and /review/{id}/reject.
func (s *Server) decide(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return request.NotFound("there is no proposal %q", request.Truncate(c.Param("id")))
	}
	reason := c.FormValue("reason")
	if strings.HasSuffix(c.Path(), "/approve") {
		var res store.Applied
		if res, err = s.opts.Record.Approve(ctx, caller(c), id, reason); err == nil {
			if err = s.recordChanged(ctx, res.Digest); err != nil {
				return err
			}
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/review?approved=%d&version=%d", id, res.Version))
		}
	} else if err = s.opts.Record.Reject(ctx, caller(c), id, reason); err == nil {
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/review?rejected=%d", id))
	}
	status, msg := decisionError(err)
	if status == 0 {
		return err
	}
	if status == http.StatusNotFound {
		return &request.Error{Status: status, Message: msg}
	}
	return s.renderReview(c, status, "", msg)
}

// decisionError is the status and message of a refused decision or
// proposal; 0 for an error that is not the client's.
func decisionError(err error) (int, string) {
	var ve *geo.ValidationError
	var conflict *store.ConflictError
	var ee *store.EditError
	switch {
	case errors.Is(err, store.ErrNoRevision):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, store.ErrDecided), errors.As(err, &conflict):
		return http.StatusConflict, err.Error()
	case errors.Is(err, store.ErrNotAllowed):
		return http.StatusForbidden, err.Error()
	case errors.Is(err, store.ErrReasonRequired), errors.As(err, &ve), errors.As(err, &ee):
		return http.StatusBadRequest, err.Error()
	}
	return 0, ""
}

// ---- the API ----

// proposalJSON is a revision as the API gives it.
type proposalJSON struct {
	ID             int64        `json:"id"`
	Author         string       `json:"author"`
	CreatedAt      string       `json:"created_at"`
	Reason         string       `json:"reason"`
	State          string       `json:"state"`
	DecidedBy      string       `json:"decided_by,omitempty"`
	DecidedAt      string       `json:"decided_at,omitempty"`
	DecisionReason string       `json:"decision_reason,omitempty"`
	Changes        []store.Edit `json:"changes"`
}

// apiProposals answers GET /api/proposals?state=proposed|approved|rejected
// (proposed by default).
func (s *Server) apiProposals(c echo.Context) error {
	q, err := request.Query(c.QueryString(), "state")
	if err != nil {
		return err
	}
	state := q.Get("state")
	if state == "" {
		state = store.StateProposed
	}
	if !slices.Contains([]string{store.StateProposed, store.StateApproved, store.StateRejected}, state) {
		return request.BadParam("state", "%q is not one of proposed, approved, rejected", request.Truncate(state))
	}
	revs, err := s.opts.Record.Revisions(c.Request().Context(), state)
	if err != nil {
		return err
	}
	out := make([]proposalJSON, 0, len(revs))
	for _, r := range revs {
		out = append(out, proposalJSON{ID: r.ID, Author: r.Author, CreatedAt: r.CreatedAt, Reason: r.Reason, State: r.State,
			DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, DecisionReason: r.DecisionReason, Changes: r.Edits})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{"proposals": out})
}

// proposeRequest is the body of POST /api/proposals.
type proposeRequest struct {
	Reason  string       `json:"reason"`
	Apply   bool         `json:"apply"` // an editor's: apply at once
	Changes []store.Edit `json:"changes"`
}

// apiPropose answers POST /api/proposals: 201 with the proposal's id, or
// (apply, by an editor) 200 with the revision and version it made.
func (s *Server) apiPropose(c echo.Context) error {
	var req proposeRequest
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return request.BadParam("body", "the body is not a proposal: want JSON {\"reason\": \"...\", \"apply\": false, \"changes\": [{\"file\": \"incidents.geojson\", \"id\": \"...\", \"before\": FEATURE or null, \"after\": FEATURE or null}]}: %v", err)
	}
	ctx := c.Request().Context()
	u := caller(c)
	if req.Apply {
		if !mayApply(u) {
			return &request.Error{Status: http.StatusForbidden, Message: fmt.Sprintf("apply needs the role editor or above: %s is a %s; leave apply out to propose", u.Name, u.Role)}
		}
		res, err := s.opts.Record.Edit(ctx, u, req.Reason, req.Changes...)
		if err != nil {
			return apiStoreError(err)
		}
		if err := s.recordChanged(ctx, res.Digest); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"revision": res.Revision, "version": res.Version, "dataset_version": res.Digest})
	}
	id, err := s.opts.Record.Propose(ctx, u, req.Reason, req.Changes...)
	if err != nil {
		return apiStoreError(err)
	}
	return c.JSON(http.StatusCreated, map[string]any{"id": id, "state": store.StateProposed})
}

// apiDecide answers POST /api/proposals/{id}/approve|reject with a body
// {"reason": "..."} (required to reject).
func (s *Server) apiDecide(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return request.NotFound("there is no proposal %q", request.Truncate(c.Param("id")))
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if c.Request().ContentLength != 0 {
		if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
			return request.BadParam("body", "the body is not a decision: want JSON {\"reason\": \"...\"}: %v", err)
		}
	}
	ctx := c.Request().Context()
	if strings.HasSuffix(c.Path(), "/approve") {
		res, err := s.opts.Record.Approve(ctx, caller(c), id, req.Reason)
		if err != nil {
			return apiStoreError(err)
		}
		if err := s.recordChanged(ctx, res.Digest); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"id": id, "state": store.StateApproved, "version": res.Version, "dataset_version": res.Digest})
	}
	if err := s.opts.Record.Reject(ctx, caller(c), id, req.Reason); err != nil {
		return apiStoreError(err)
	}
	return c.JSON(http.StatusOK, map[string]any{"id": id, "state": store.StateRejected})
}

// apiStoreError turns the store's refusals into the API's errors.
func apiStoreError(err error) error {
	status, msg := decisionError(err)
	if status == 0 {
		return err
	}
	var ee *store.EditError
	if errors.As(err, &ee) {
		return &request.Error{Status: status, Message: msg, Param: ee.Field}
	}
	return &request.Error{Status: status, Message: msg}
}
