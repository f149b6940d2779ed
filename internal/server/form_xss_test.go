package server

import (
	"html/template"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// injectedMarkup lists what a payload would have made of a page's markup:
// an attribute that runs script (on...), an inline script that is not the
// page's JSON config, or a link that is not http(s), a fragment or a path
// (tab.inert reads the browser's live page with it too).
func injectedMarkup(doc *goquery.Document) []string {
	var out []string
	doc.Find("*").Each(func(_ int, e *goquery.Selection) {
		for _, a := range e.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				out = append(out, goquery.NodeName(e)+" "+a.Key)
			}
		}
	})
	doc.Find("script").Each(func(_ int, e *goquery.Selection) {
		if _, src := e.Attr("src"); !src && e.AttrOr("type", "") != "application/json" {
			out = append(out, "inline script: "+e.Text())
		}
	})
	doc.Find("a[href]").Each(func(_ int, e *goquery.Selection) {
		h := e.AttrOr("href", "")
		if !strings.HasPrefix(h, "http://") && !strings.HasPrefix(h, "https://") && !strings.HasPrefix(h, "#") && !strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "?") {
			out = append(out, "link "+h)
		}
	})
	return out
}

// TestFormInputInertOnEveryPage: payloads typed into the incident and base
// forms by an editor (every free-text field, and the reasons) are text on
// every server-rendered page that shows them: the incident's history and
// edit form, the base's report, history and edit form, and the OGC item
// page. The browser test of the forms
// (TestProposeAndApproveInBrowser) covers the proposal, /review, the
// incident page and the map; these pages were left out.
func TestFormInputInertOnEveryPage(t *testing.T) {
	t.Parallel()
	rs := editServer(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db"))
	eddie := rs.client(t)
	eddie.login("eddie", testPassword)

	base := url.Values{
		"id": {"xss-base"}, "name": {xss("base.name")}, "short_name": {xss("base.short")}, "aliases": {xss("base.alias")},
		"country": {"IQ"}, "admin1": {xss("base.admin1")}, "kind": {"outpost"}, "lat": {"33.1"}, "lon": {"42.1"},
		"coord_source": {xss("base.coord_source")}, "coord_source_url": {xssURL("base.coord_url")}, "notes": {xss("base.notes")},
		"reason": {xss("base.reason")}, "apply": {"1"},
	}
	if res, body := eddie.post("/bases/new", base); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /bases/new with payloads: %s: %v", res.Status, parseHTML(t, body).Find(".field-error, [id^=err-f-], .form-problems").Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("id", "") + ": " + s.Text() }))
	}
	inc := validIncidentForm()
	for _, f := range []string{"outcome", "claimed_by", "notes", "source_publisher", "source_says", "reason"} {
		inc.Set(f, xss("incident."+f))
	}
	inc.Set("source_url", xssURL("incident.source_url"))
	inc.Set("base", "xss-base")
	inc.Set("apply", "1")
	if res, body := eddie.post("/incidents/new", inc); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /incidents/new with payloads: %s\n%.600s", res.Status, body)
	}
	const id = "2024-02-10-test-drone"
	if _, ok := rs.store.Dataset().Incident(id); !ok {
		t.Fatal("the incident with payloads is not served")
	}
	for _, page := range []struct{ path, shows string }{
		{"/incidents/" + id + "/history", "incident.outcome"},
		{"/incidents/" + id + "/edit", "incident.notes"},
		{"/incidents/" + id, "incident.source_says"},
		{"/bases/xss-base", "base.notes"},
		{"/bases/xss-base/history", "base.reason"},
		{"/bases/xss-base/edit", "base.coord_source"},
		{"/ogc/collections/incidents/items/" + id + "?f=html", "incident.claimed_by"},
	} {
		res, body := eddie.do(http.MethodGet, page.path, nil)
		if res.StatusCode == http.StatusNotFound {
			t.Errorf("%s: 404", page.path)
			continue
		}
		doc := parseHTML(t, body)
		// Text, or a form field's value (which a form shows as text).
		text := doc.Text() + strings.Join(doc.Find("input[value]").Map(func(_ int, e *goquery.Selection) string { return e.AttrOr("value", "") }), " ")
		if !strings.Contains(text, page.shows) || !strings.Contains(text, "<img src=x onerror=") {
			t.Errorf("%s (%s) does not show the payload %q as text", page.path, res.Status, page.shows)
		}
		for _, p := range injectedMarkup(doc) {
			t.Errorf("%s: %s", page.path, p)
		}
	}
}

// The check above finds a payload that got into the markup: the same
// payload written raw, as a template that did not escape would write it.
func TestInjectedMarkupFindsARawPayload(t *testing.T) {
	raw := parseHTML(t, `<!doctype html><p>`+xss("raw")+`</p><a href="javascript:alert(1)">x</a>`)
	got := strings.Join(injectedMarkup(raw), "; ")
	for _, want := range []string{"img onerror", "inline script", "svg onload", "link javascript:"} {
		if !strings.Contains(got, want) {
			t.Errorf("injectedMarkup of a raw payload: %q, want it to name %q", got, want)
		}
	}
	if escaped := parseHTML(t, `<!doctype html><p>`+template.HTMLEscapeString(xss("escaped"))+`</p>`); len(injectedMarkup(escaped)) != 0 {
		t.Errorf("injectedMarkup of an escaped payload: %v", injectedMarkup(escaped))
	}
}
