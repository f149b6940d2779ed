package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"strikemap/internal/catalog"
	"strikemap/internal/geo"
	"strikemap/internal/htmlpage"
	"strikemap/internal/request"
	"strikemap/internal/store"
	"strikemap/web/templates"
)

// revisionJSON is one revision of a feature in a history.json.
type revisionJSON struct {
	Revision       int64               `json:"revision"`
	Author         string              `json:"author"`
	CreatedAt      string              `json:"created_at"`
	Reason         string              `json:"reason"`
	State          string              `json:"state"`
	DecidedBy      string              `json:"decided_by,omitempty"`
	DecidedAt      string              `json:"decided_at,omitempty"`
	DecisionReason string              `json:"decision_reason,omitempty"`
	Version        *int64              `json:"version"` // the dataset version it made; null when none
	Change         string              `json:"change"`  // added, changed, retracted
	Before         json.RawMessage     `json:"before"`  // null when added
	After          json.RawMessage     `json:"after"`   // null when retracted (a tombstone)
	Fields         []templates.Changed `json:"fields"`
}

// historyJSON answers GET /api/incidents/{id}/history.json (and the bases'
// own): every revision that touched the feature, oldest first, proposed
// and rejected ones too, with its before, after and the fields it changed.
func (s *Server) historyJSON(file string) echo.HandlerFunc {
	return func(c echo.Context) error {
		revs, err := s.history(c, file)
		if err != nil {
			return err
		}
		out := struct {
			ID        string         `json:"id"`
			File      string         `json:"file"`
			Revisions []revisionJSON `json:"revisions"`
		}{ID: c.Param("id"), File: file, Revisions: make([]revisionJSON, len(revs))}
		for i, r := range revs {
			e := historyEntry(r)
			rj := revisionJSON{Revision: r.ID, Author: r.Author, CreatedAt: r.CreatedAt, Reason: r.Reason, State: r.State,
				DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, DecisionReason: r.DecisionReason,
				Change: e.Change, Before: rawOrNull(r.Before), After: rawOrNull(r.After), Fields: e.Fields}
			if r.Version > 0 {
				n := r.Version
				rj.Version = &n
			}
			out.Revisions[i] = rj
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.JSON(http.StatusOK, out)
	}
}

// historyPage answers GET /incidents/{id}/history (and the bases' own):
// the revisions as a readable diff, field by field.
func (s *Server) historyPage(file string) echo.HandlerFunc {
	return func(c echo.Context) error {
		revs, err := s.history(c, file)
		if err != nil {
			return err
		}
		id := c.Param("id")
		v := templates.History{ID: id, Base: file == geo.BasesFile}
		d := s.store.Dataset()
		if v.Base {
			_, v.Current = d.Base(id)
		} else {
			_, v.Current = d.Incident(id)
		}
		for _, r := range revs {
			v.Entries = append(v.Entries, historyEntry(r))
		}
		slices.Reverse(v.Entries) // newest first, as a reader looks for the latest
		c.Response().Header().Set("Cache-Control", "no-cache")
		title := htmlpage.Messages(c).T("history.title", catalog.Args{"id": id})
		return htmlpage.Write(c, http.StatusOK, templates.HistoryPage(s.page(title, d), v))
	}
}

// history reads the revisions of the request's feature: a 404 with files
// (no history is kept) or for an id no revision names.
func (s *Server) history(c echo.Context, file string) ([]store.FeatureRevision, error) {
	if _, err := request.Query(c.QueryString()); err != nil {
		return nil, err
	}
	id := c.Param("id")
	if s.opts.Record == nil {
		return nil, request.NotFound("no history is kept: the data is files (the embedded dataset or -data DIR); run strikemap with -db to keep every change (docs/editing.md)")
	}
	revs, err := s.opts.Record.History(c.Request().Context(), file, id)
	if err != nil {
		return nil, err
	}
	if len(revs) == 0 {
		return nil, request.NotFound("no revision of %s touched the id %q", file, request.Truncate(id))
	}
	return revs, nil
}

func rawOrNull(b []byte) json.RawMessage {
	if b == nil {
		return json.RawMessage("null")
	}
	return b
}

// historyEntry describes a revision of a feature for a reader.
func historyEntry(r store.FeatureRevision) templates.HistoryEntry {
	e := templates.HistoryEntry{Revision: r.ID, Author: r.Author, When: r.CreatedAt, Reason: r.Reason, State: r.State,
		DecidedBy: r.DecidedBy, DecisionReason: r.DecisionReason, Version: r.Version}
	switch {
	case r.Before == nil:
		e.Change = "added"
	case r.After == nil:
		e.Change = "retracted"
	default:
		e.Change = "changed"
	}
	e.Fields = diffFields(r.Before, r.After)
	return e
}

// diffFields lists the fields that differ between two features' JSON:
// each property by its name, and the geometry, in name order.
func diffFields(before, after []byte) []templates.Changed {
	b, a := fields(before), fields(after)
	var names []string
	for k := range b {
		names = append(names, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	out := []templates.Changed{}
	for _, k := range names {
		if bytes.Equal(b[k], a[k]) {
			continue
		}
		out = append(out, templates.Changed{Field: k, Before: readable(b[k]), After: readable(a[k])})
	}
	return out
}

// fields flattens a feature to its properties and its other members
// (geometry; id and type when they change), each as compact JSON.
func fields(body []byte) map[string][]byte {
	out := map[string][]byte{}
	if body == nil {
		return out
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		out["(feature)"] = body
		return out
	}
	for k, v := range top {
		if k == "properties" {
			var props map[string]json.RawMessage
			if json.Unmarshal(v, &props) == nil {
				for pk, pv := range props {
					out[pk] = compact(pv)
				}
				continue
			}
		}
		out[k] = compact(v)
	}
	return out
}

func compact(v []byte) []byte {
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return v
	}
	return b.Bytes()
}

// readable writes a field's value for a reader: a string as itself, any
// other value as its JSON; "" when absent.
func readable(v []byte) *string {
	if v == nil {
		return nil
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		s = string(v)
	}
	return &s
}
