package ogcapi_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestLinksAreReadable: the links the OGC API writes keep a filter's
// separators as a reader typed them (bbox=38,32,45,37.5, datetime=…/…), as
// the map page's own links do, and still answer the same filter when
// followed (read back, not only looked at).
func TestLinksAreReadable(t *testing.T) {
	s := shippedServer(t)
	const filter = "datetime=2023-10-18T00:00:00Z/..&bbox=38,32,45,37.5"
	first := items(t, s, "/ogc/collections/incidents/items?"+filter+"&limit=2")
	if first.NumberMatched == nil || *first.NumberMatched < 3 {
		t.Fatalf("the filter matches %v incidents; the test needs at least 3", first.NumberMatched)
	}
	for _, l := range first.Links {
		if strings.Contains(l.Href, "%2C") || strings.Contains(l.Href, "%2F") || strings.Contains(l.Href, "%3A") {
			t.Errorf("%s link %q is %%-escaped", l.Rel, l.Href)
		}
	}
	next := first.link("next")
	if !strings.Contains(next, "bbox=38,32,45,37.5") || !strings.Contains(next, "datetime=2023-10-18T00:00:00Z/..") {
		t.Errorf("next link %q does not carry the filter as written", next)
	}
	second := items(t, s, relative(t, next))
	if second.NumberMatched == nil || *second.NumberMatched != *first.NumberMatched {
		t.Errorf("the next page matches %v, the first %d: the link lost its filter", second.NumberMatched, *first.NumberMatched)
	}
	back := items(t, s, relative(t, second.link("prev")))
	if strings.Join(back.ids(), " ") != strings.Join(first.ids(), " ") {
		t.Errorf("prev of the second page holds %v, want %v", back.ids(), first.ids())
	}
	// The HTML page's links are the same.
	rec := get(t, s, "/ogc/collections/incidents/items?f=html&limit=2&"+filter)
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	doc.Find("a[href*='bbox=']").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		n++
		if strings.Contains(href, "%2C") || strings.Contains(href, "%2F") || strings.Contains(href, "%3A") {
			t.Errorf("HTML link %q (%s) is %%-escaped", href, strings.TrimSpace(a.Text()))
		}
	})
	if n == 0 {
		t.Error("the HTML page has no link carrying the filter")
	}
}
