package templates

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"golang.org/x/net/html"

	"strikemap/internal/catalog"
	"strikemap/internal/geo"
	"strikemap/web/messages"
)

// marked is the English catalog with every message replaced by ⟦key⟧.
func marked(t *testing.T) *catalog.Catalog {
	t.Helper()
	en, err := catalog.Load(messages.FS, "en.json")
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]string, len(en.Messages))
	for k := range en.Messages {
		m[k] = "⟦" + k + "⟧"
	}
	return catalog.New("en", "rtl", m)
}

// dataConfig is a map config whose data (names, labels, dates) holds no
// letters, so any letter left on a page came from a template.
func dataConfig() MapConfig {
	return MapConfig{
		Version: "0123", LoadedAt: "2024-01-02 03:04", First: "2023-10-17", Last: "2024-01-28", Tagline: "⟪tagline⟫",
		Bases:   []BaseOption{{ID: "b1", Name: "⟪base⟫"}},
		Weapons: []Term{{Word: "drone", Label: "⟪drone⟫"}}, Statuses: []Term{{Word: "confirmed", Label: "⟪confirmed⟫"}, {Word: "reported", Label: "⟪reported⟫"}, {Word: "claimed", Label: "⟪claimed⟫"}},
		NoBase: "none",
	}
}

var (
	markedText = regexp.MustCompile(`⟦[^⟧]*⟧|⟪[^⟫]*⟫`)
	english    = regexp.MustCompile(`[A-Za-z]{2,}`)
	// Names no language translates, and the words and labels of the data's
	// vocabularies (weapons, statuses, location precision), which geo
	// still writes in English: converting them is the next step.
	properNames = regexp.MustCompile(`\bstrikemap\b|` + vocabulary())
	// Attributes a reader sees or hears.
	visibleAttrs = []string{"aria-label", "title", "alt", "placeholder", "data-label"}
)

// TestConvertedPagesHaveNoEnglishOfTheirOwn renders the converted pages with
// a catalog whose every message is ⟦key⟧ and data with no letters: any word
// left in the text nodes or the attributes a reader sees or hears is a
// string hard-coded in a template, which a translation would miss.
func TestConvertedPagesHaveNoEnglishOfTheirOwn(t *testing.T) {
	c := marked(t)
	ctx := catalog.NewContext(context.Background(), c)
	p := Page{Title: "⟪title⟫", DatasetVersion: "0123", AssetVersion: "9"}
	d1, d2 := date(t, "2023-10-17"), date(t, "2023-10-18")
	inc := &geo.Incident{ID: "i1", Date: d1, DateEnd: d2, Count: geo.Known(3), Injured: geo.Known(2), Weapon: geo.WeaponDrone, Status: geo.StatusConfirmed,
		LocationPrecision: geo.PrecisionExact, Disputed: []string{"injured"}, Notes: "⟪notes⟫", Outcome: "⟪outcome⟫", ClaimedBy: []string{"⟪group⟫"}}
	// A second incident months later: the chart's bins are weeks, its
	// axis names months.
	inc2 := &geo.Incident{ID: "i2", Date: date(t, "2024-01-28"), DateEnd: date(t, "2024-01-28"), Count: geo.Known(1), Weapon: geo.WeaponRocket, Status: geo.StatusReported, LocationPrecision: geo.PrecisionExact}
	for name, page := range map[string]templ.Component{
		"incident": IncidentPage(p, IncidentReport{Incident: inc, Base: &geo.Base{ID: "b1", Name: "⟪base⟫"}, Permalink: "⟪link⟫"}),
		"error":    ErrorPage(p, 404, "⟪message⟫"),
		"base": BasePage(p, BaseReport{Base: &geo.Base{ID: "b1", Name: "⟪base⟫", Kind: geo.KindAirBase, Aliases: []string{"⟪alias⟫"}}, Incidents: []*geo.Incident{inc},
			Paging: ReportPaging{Page: 2, Pages: 3, First: 3, Last: 4, Total: 5, Prev: "/", Next: "/"}, Radii: []float64{10, 20},
			Timeline: NewTimeline([]*geo.Incident{inc, inc2})}),
		"map":   MapPage(p, dataConfig(), VersionNote{Number: 2, Date: "2026-12-01", CurrentURL: "/"}),
		"embed": EmbedPage(p, dataConfig(), EmbedOptions{Title: "⟪title⟫", Legend: true, Stale: true, PublishedAs: "0122"}),
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := page.Render(ctx, &buf); err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			check := func(where, s string) {
				s = properNames.ReplaceAllString(markedText.ReplaceAllString(s, ""), "")
				if w := english.FindString(s); w != "" {
					t.Errorf("%s: %q is not from the catalog (left: %q)", where, w, strings.TrimSpace(s))
				}
			}
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
					return
				}
				if n.Type == html.TextNode {
					check("text in <"+n.Parent.Data+">", n.Data)
				}
				if n.Type == html.ElementNode {
					for _, a := range n.Attr {
						for _, v := range visibleAttrs {
							if a.Key == v {
								check("<"+n.Data+" "+a.Key+">", a.Val)
							}
						}
						if a.Key == "value" && n.Data == "input" && attr(n, "type") == "text" {
							check("<input value>", a.Val)
						}
					}
				}
				for k := n.FirstChild; k != nil; k = k.NextSibling {
					walk(k)
				}
			}
			walk(doc.Nodes[0])
			if got := doc.Find("html").AttrOr("dir", ""); got != "rtl" {
				t.Errorf("html dir=%q, want the catalog's rtl", got)
			}
			var cfg struct {
				Messages struct {
					Messages map[string]string `json:"messages"`
				} `json:"messages"`
			}
			if name != "map" && name != "embed" {
				return
			}
			if err := json.Unmarshal([]byte(doc.Find("script#map-config").Text()), &cfg); err != nil {
				t.Fatal(err)
			}
			if got := cfg.Messages.Messages["show"]; got != "⟦show⟧" {
				t.Errorf("the page's script gets %q for show, not the catalog's", got)
			}
		})
	}
}

// vocabulary matches the labels and words of geo's vocabularies.
func vocabulary() string {
	var words []string
	for _, w := range weaponNames {
		words = append(words, regexp.QuoteMeta(w))
	}
	for _, w := range statusNames {
		words = append(words, regexp.QuoteMeta(w))
	}
	for _, p := range geo.Precisions() {
		words = append(words, regexp.QuoteMeta(p.String()))
	}
	return `\b(` + strings.Join(words, "|") + `)\b`
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestCountGroupsDigits: the report's counts take the catalog's digit
// grouping, English's by default and a translation's its own.
func TestCountGroupsDigits(t *testing.T) {
	if got := count(context.Background(), 1234567); got != "1,234,567" {
		t.Errorf("English: %q, want 1,234,567", got)
	}
	de := catalog.NewContext(context.Background(), catalog.New("de", "ltr", map[string]string{}))
	if got := count(de, 1234567); got != "1.234.567" {
		t.Errorf("German: %q, want 1.234.567", got)
	}
}
