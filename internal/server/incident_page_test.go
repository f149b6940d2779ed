package server

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"strikemap/internal/request"
)

// TestIncidentPageSinglesOut checks that the page of one incident names it
// (its heading, its id, its title), gives an absolute permalink built as
// the OGC API builds its links, and draws a map centred on it that holds no
// other incident.
func TestIncidentPageSinglesOut(t *testing.T) {
	s := shippedServer(t)
	const id = "2023-10-18-harir-drone"
	for _, tc := range []struct {
		name   string
		opts   Options
		header []string
		want   string
	}{
		{"from the request", Options{}, nil, "http://example.com/incidents/" + id},
		{"untrusted forwarded headers are ignored", Options{}, []string{"X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https"}, "http://example.com/incidents/" + id},
		{"trusted forwarded headers", Options{Site: request.Site{TrustForwarded: true}}, []string{"X-Forwarded-Host", "news.example:8443", "X-Forwarded-Proto", "https"}, "https://news.example:8443/incidents/" + id},
		{"base URL", Options{Site: request.Site{BaseURL: "https://example.org/strikemap/"}}, []string{"X-Forwarded-Host", "other.example"}, "https://example.org/strikemap/incidents/" + id},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Basemap = s.opts.Basemap
			srv := mustNew(t, s.store, tc.opts)
			rec := get(t, srv, "/incidents/"+id, tc.header...)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			d := doc(t, rec)
			if got, _ := d.Find("input#permalink").Attr("value"); got != tc.want {
				t.Errorf("permalink %q, want %q", got, tc.want)
			}
		})
	}

	d := doc(t, get(t, s, "/incidents/"+id))
	if h1, title := d.Find("h1").Text(), d.Find("head title").Text(); h1 != "Drone attack on Harir Air Base, 2023-10-18" || title != h1+" · strikemap" {
		t.Errorf("heading %q, title %q", h1, title)
	}
	if got := d.Find(".incident-id code").Text(); got != id {
		t.Errorf("the page names the id %q", got)
	}
	if d.Find(".incident-map .incident-pin svg.sym.weapon-drone.status-confirmed").Length() != 1 {
		t.Error("the map does not draw the incident's own symbol over its centre")
	}
	src, _ := d.Find(".incident-map img").Attr("src")
	u, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("map") != "9/36.53310/44.34040" || strings.Contains(q.Get("layers"), "incidents") {
		t.Errorf("map image %s: want it centred on 36.5331, 44.3404 with no incidents layer (the page draws this one)", src)
	}
	rec := get(t, s, src)
	var svg struct {
		Groups []struct {
			Class  string `xml:"class,attr"`
			Groups []struct {
				ID string `xml:"data-id,attr"`
			} `xml:"g"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &svg); err != nil {
		t.Fatalf("map image: %d %v", rec.Code, err)
	}
	for _, g := range svg.Groups {
		if g.Class == "incidents" && len(g.Groups) > 0 {
			t.Errorf("the map image draws %d other incidents", len(g.Groups))
		}
	}
}
