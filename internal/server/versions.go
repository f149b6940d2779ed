package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"strikemap/internal/geo"
	"strikemap/internal/request"
	"strikemap/internal/store"
)

// versionsPerPage is how many versions a page of /api/versions.json lists
// unless per_page says otherwise; maxVersionsPerPage the most it may ask.
const (
	versionsPerPage    = 100
	maxVersionsPerPage = 1000
)

// versionLog keeps the record's version list while no new version comes:
// counting each version's changes reads every change.
type versionLog struct {
	mu     sync.Mutex
	latest int64
	log    []store.VersionSummary
}

func (l *versionLog) get(ctx context.Context, rec *store.Store) ([]store.VersionSummary, error) {
	n, err := rec.LatestNumber(ctx)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.log != nil && l.latest == n {
		return l.log, nil
	}
	log, err := rec.VersionLog(ctx)
	if err != nil {
		return nil, err
	}
	l.log, l.latest = log, n
	return log, nil
}

// versionJSON is one version in /api/versions.json.
type versionJSON struct {
	Number    *int64                       `json:"number"`
	AsOf      string                       `json:"as_of"` // what ?as_of= takes to name it
	CreatedAt string                       `json:"created_at,omitempty"`
	Author    string                       `json:"author,omitempty"`
	Reason    string                       `json:"reason,omitempty"`
	Digest    string                       `json:"digest"`
	Current   bool                         `json:"current"`
	Incidents int                          `json:"incidents"`
	Bases     int                          `json:"bases"`
	Files     map[string]store.FileChanges `json:"files,omitempty"`
}

// versionsJSON is the body of /api/versions.json.
type versionsJSON struct {
	// Source is "database" (-db: every version the record holds) or
	// "files" (one version: the files served, which keep no history).
	Source  string        `json:"source"`
	History bool          `json:"history"`
	Note    string        `json:"note,omitempty"`
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
	Next    string        `json:"next,omitempty"`
	Version []versionJSON `json:"versions"`
}

// versionList answers GET /api/versions.json: every dataset version,
// newest first, page by page (page, per_page). With files, the one
// version they are.
func (s *Server) versionList(c echo.Context) error {
	q, err := request.Query(c.QueryString(), "page", "per_page")
	if err != nil {
		return err
	}
	page, err := positiveInt(q.Get("page"), "page", 1, 1<<30)
	if err != nil {
		return err
	}
	per, err := positiveInt(q.Get("per_page"), "per_page", versionsPerPage, maxVersionsPerPage)
	if err != nil {
		return err
	}
	d, loadedAt := s.store.Snapshot()
	c.Response().Header().Set("Cache-Control", "no-cache")
	if s.opts.Record == nil {
		return c.JSON(http.StatusOK, versionsJSON{
			Source: "files", Total: 1, Page: 1, PerPage: per,
			Note:    "the data is files (the embedded dataset or -data DIR), which keep no history: this is the one version they are, loaded " + loadedAt.UTC().Format("2006-01-02T15:04:05Z") + "; run strikemap with -db to keep every version (docs/editing.md)",
			Version: []versionJSON{{AsOf: d.Version, Digest: d.Version, Current: true, Incidents: len(d.Incidents), Bases: len(d.Bases)}},
		})
	}
	log, err := s.versionLog.get(c.Request().Context(), s.opts.Record)
	if err != nil {
		return err
	}
	out := versionsJSON{Source: "database", History: true, Total: len(log), Page: page, PerPage: per, Version: []versionJSON{}}
	// Newest first: the page's first entry is the log's end.
	for i := len(log) - 1 - (page-1)*per; i >= 0 && len(out.Version) < per; i-- {
		v := log[i]
		n := v.Number
		out.Version = append(out.Version, versionJSON{
			Number: &n, AsOf: strconv.FormatInt(n, 10), CreatedAt: v.CreatedAt, Author: v.Author, Reason: v.Reason,
			Digest: v.Digest, Current: n == d.Record,
			Incidents: v.Files[geo.IncidentsFile].Count, Bases: v.Files[geo.BasesFile].Count, Files: v.Files,
		})
	}
	if page*per < len(log) {
		out.Next = "/api/versions.json?page=" + strconv.Itoa(page+1) + "&per_page=" + strconv.Itoa(per)
	}
	return c.JSON(http.StatusOK, out)
}

// positiveInt reads an optional integer parameter in [1, most].
func positiveInt(v, name string, def, most int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, request.BadParam(name, "%s=%s is not allowed; give a whole number from 1 to %d", name, strconv.Quote(request.Truncate(v)), most)
	}
	return n, nil
}
