package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"strikemap/internal/geo"
)

// formValues reads a form as a browser would post it: its inputs (ticked
// boxes only), selects and text areas.
func formValues(form *goquery.Selection) url.Values {
	v := url.Values{}
	form.Find("input, select, textarea").Each(func(_ int, e *goquery.Selection) {
		name, ok := e.Attr("name")
		if !ok {
			return
		}
		switch {
		case goquery.NodeName(e) == "textarea":
			v.Add(name, e.Text())
		case goquery.NodeName(e) == "select":
			opt := e.Find("option[selected]")
			if opt.Length() == 0 {
				opt = e.Find("option").First()
			}
			v.Add(name, opt.AttrOr("value", ""))
		case e.AttrOr("type", "") == "checkbox":
			if _, checked := e.Attr("checked"); checked {
				v.Add(name, e.AttrOr("value", "on"))
			}
		default:
			v.Add(name, e.AttrOr("value", ""))
		}
	})
	return v
}

// The incident form edits the disputed list: a box per property the
// sources may disagree on, ticked from the record; the record's order is
// kept and new words follow it; a word the data files refuse is refused
// beside the boxes; unticking them all empties the list.
func TestDisputedEditable(t *testing.T) {
	t.Parallel()
	eachDatabase(t, func(t *testing.T, dbURL string) {
		rs := editServer(t, dbURL)
		var inc *geo.Incident
		for i := range rs.store.Dataset().Incidents {
			if in := rs.store.Dataset().Incidents[i]; slices.Equal(in.Disputed, []string{"killed", "date"}) {
				inc = in
			}
		}
		if inc == nil {
			t.Fatal("the shipped data has no incident disputing killed and date, in that order")
		}
		eddie := rs.client(t)
		eddie.login("eddie", testPassword)
		path := "/incidents/" + inc.ID + "/edit"
		_, doc := eddie.page(path)
		boxes := doc.Find(`#f-disputed input[type=checkbox][name=disputed]`)
		var ticked []string
		boxes.Each(func(_ int, b *goquery.Selection) {
			if _, ok := b.Attr("checked"); ok {
				ticked = append(ticked, b.AttrOr("value", ""))
			}
		})
		if boxes.Length() != len(geo.DisputableFields()) || !slices.Equal(ticked, []string{"date", "killed"}) {
			t.Fatalf("%d boxes, ticked %v; want %d, date and killed", boxes.Length(), ticked, len(geo.DisputableFields()))
		}
		if doc.Find(`#incident-form input[type=hidden][name=disputed]`).Length() != 0 {
			t.Error("the list is still carried in hidden fields")
		}

		disputed := func() []string {
			body, ok, err := rs.Store.Feature(context.Background(), geo.IncidentsFile, inc.ID)
			if err != nil || !ok {
				t.Fatalf("the record's %s: %v", inc.ID, err)
			}
			var f struct{ Properties struct{ Disputed []string } }
			if err := json.Unmarshal(body, &f); err != nil {
				t.Fatal(err)
			}
			return f.Properties.Disputed
		}
		post := func(change func(url.Values)) (*http.Response, *goquery.Document) {
			t.Helper()
			_, doc := eddie.page(path)
			form := formValues(doc.Find("#incident-form"))
			form.Set("apply", "1")
			form.Set("reason", "what the sources disagree on")
			change(form)
			res, body := eddie.post(path, form)
			return res, parseHTML(t, body)
		}

		// One more ticked: the record's order kept, the new word after.
		if res, _ := post(func(f url.Values) { f.Add("disputed", "injured") }); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("ticking injured: %s", res.Status)
		}
		if got := disputed(); !slices.Equal(got, []string{"killed", "date", "injured"}) {
			t.Errorf("disputed after ticking injured: %v", got)
		}
		if d, _ := rs.store.Dataset().Incident(inc.ID); !slices.Equal(d.Disputed, []string{"killed", "date", "injured"}) {
			t.Errorf("the map serves disputed %v", d.Disputed)
		}

		// A word the data files refuse: refused beside the boxes.
		res, doc := post(func(f url.Values) { f.Add("disputed", "rumour") })
		if msg := doc.Find("#err-f-disputed").Text(); res.StatusCode != http.StatusBadRequest || !strings.Contains(msg, `"rumour" is not one of date, weapon`) {
			t.Errorf("disputed rumour: %s, error beside the boxes %q", res.Status, msg)
		}
		if v := doc.Find("#f-disputed").AttrOr("aria-describedby", ""); v != "err-f-disputed" {
			t.Errorf("the boxes' fieldset is described by %q", v)
		}

		// None ticked: the list is empty.
		if res, _ := post(func(f url.Values) { f.Del("disputed") }); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("unticking all: %s", res.Status)
		}
		if got := disputed(); len(got) != 0 {
			t.Errorf("disputed after unticking all: %v", got)
		}
	})
}
