package server

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// svgGroupPath matches a group of the given class with its id (when it
// has one) and the numbers of its first path.
func svgGroupBoxes(svg, class string) map[string]svgBox {
	re := regexp.MustCompile(`<g class="` + class + `"(?: data-id="([^"]*)")?>(?:<title>[^<]*</title>)?<path d="([^"]+)"`)
	out := map[string]svgBox{}
	for _, m := range re.FindAllStringSubmatch(svg, -1) {
		b := svgBox{x0: 1e9, y0: 1e9, x1: -1e9, y1: -1e9}
		nums := pathNumber.FindAllString(m[2], -1)
		for i := 0; i+1 < len(nums); i += 2 {
			x, _ := strconv.ParseFloat(nums[i], 64)
			y, _ := strconv.ParseFloat(nums[i+1], 64)
			b.x0, b.y0, b.x1, b.y1 = min(b.x0, x), min(b.y0, y), max(b.x1, x), max(b.y1, y)
		}
		out[m[1]] = b
	}
	return out
}

// TestExportDrawsTheStrikesThePageShows: with the page's strikes layer on,
// an image draws a crosshair for exactly the strikes the page shows for the
// dates in its URL (a strike whose days meet them), inside the image and
// clear of the title, the legend and the bases' labels, names them in the legend and says how
// many in the caption. Off, as on the page by default, it draws none.
func TestExportDrawsTheStrikesThePageShows(t *testing.T) {
	s := shippedServer(t)
	var fc struct {
		Features []struct {
			ID         string
			Properties struct {
				Date    string  `json:"date"`
				DateEnd *string `json:"date_end"`
			}
		}
	}
	if err := json.Unmarshal(get(t, s, "/api/strikes.geojson").Body.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	// shown is the page's inRange (web/static/js/map/strikes.js).
	shown := func(from, to string) []string {
		var ids []string
		for _, f := range fc.Features {
			end := f.Properties.Date
			if f.Properties.DateEnd != nil {
				end = *f.Properties.DateEnd
			}
			if f.Properties.Date <= to && end >= from {
				ids = append(ids, f.ID)
			}
		}
		slices.Sort(ids)
		return ids
	}
	for _, tc := range []struct {
		query    string
		from, to string
		on       bool
	}{
		{"", "", "", false},
		{"layers=bases,incidents", "", "", false},
		{"layers=bases,incidents,strikes", "0000", "9999", true},
		{"layers=strikes", "0000", "9999", true},
		{"layers=bases,incidents,strikes&from=2024-02-01&to=2024-02-05", "2024-02-01", "2024-02-05", true},
		{"layers=bases,incidents,strikes&from=2023-11-01&to=2023-11-30&width=500&height=700", "2023-11-01", "2023-11-30", true},
		{"layers=bases,incidents,strikes&from=2023-10-18&to=2023-10-20", "2023-10-18", "2023-10-20", true},
		{"layers=bases,incidents,strikes&weapon=rocket&status=confirmed&from=2024-01-01", "2024-01-01", "9999", true},
	} {
		t.Run(tc.query, func(t *testing.T) {
			rec := get(t, s, "/api/export/map.svg?"+tc.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			svg := rec.Body.String()
			drawn := svgGroupBoxes(svg, "strike")
			var ids []string
			for id := range drawn {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			var want []string
			if tc.on {
				want = shown(tc.from, tc.to)
			}
			if !slices.Equal(ids, want) {
				t.Errorf("drew strikes %v\nthe page shows %v", ids, want)
			}
			legend := regexp.MustCompile(`<g class="legend">[\s\S]*?</g>`).FindString(svg)
			if got := strings.Contains(legend, "US strike in response"); got != (len(want) > 0) {
				t.Errorf("legend names the strikes: %v, with %d drawn", got, len(want))
			}
			caption := regexp.MustCompile(`<g class="title">[\s\S]*?</g>`).FindString(svg)
			switch {
			case !tc.on && strings.Contains(caption, "strike"):
				t.Errorf("the layer is off, but the caption speaks of strikes: %s", caption)
			case tc.on && len(want) > 1 && !strings.Contains(caption, "with "+strconv.Itoa(len(want))+" US strikes in response"):
				t.Errorf("caption does not say %d US strikes: %s", len(want), caption)
			case tc.on && len(want) == 0 && !strings.Contains(caption, "no US strikes in response"):
				t.Errorf("caption does not say there are no strikes in these dates: %s", caption)
			}
			w, h := 1200.0, 800.0
			if m := regexp.MustCompile(`<svg[^>]* width="([0-9.]+)" height="([0-9.]+)"`).FindStringSubmatch(svg); m != nil {
				w, _ = strconv.ParseFloat(m[1], 64)
				h, _ = strconv.ParseFloat(m[2], 64)
			}
			labels := regexp.MustCompile(`<g class="base" data-id="([^"]+)">(?:<title>[^<]*</title>)?(?:<path [^>]*/>){2}<path d="([^"]+)"`).FindAllStringSubmatch(svg, -1)
			frame := svgGroupBoxes(svg, "title")[""]
			legendBox, hasLegend := svgGroupBoxes(svg, "legend")[""]
			for id, b := range drawn {
				cx, cy := (b.x0+b.x1)/2, (b.y0+b.y1)/2
				if b.x0 < 0 || b.y0 < 0 || b.x1 > w || b.y1 > h {
					t.Errorf("strike %s at (%.0f, %.0f) is cut by the image's edge", id, cx, cy)
				}
				for _, l := range labels {
					nums := pathNumber.FindAllString(l[2], -1)
					var lb svgBox
					lb.x0, _ = strconv.ParseFloat(nums[0], 64)
					lb.y0, _ = strconv.ParseFloat(nums[1], 64)
					lb.x1, _ = strconv.ParseFloat(nums[4], 64)
					lb.y1, _ = strconv.ParseFloat(nums[5], 64)
					if b.x0 < lb.x1 && lb.x0 < b.x1 && b.y0 < lb.y1 && lb.y0 < b.y1 {
						t.Errorf("strike %s at (%.0f, %.0f) covers the label of base %s %v", id, cx, cy, l[1], lb)
					}
				}
				for name, f := range map[string]svgBox{"title": frame, "legend": legendBox} {
					if name == "legend" && !hasLegend {
						continue
					}
					if cx > f.x0 && cx < f.x1 && cy > f.y0 && cy < f.y1 {
						t.Errorf("strike %s at (%.0f, %.0f) is under the %s %v", id, cx, cy, name, f)
					}
				}
			}
		})
	}
	// Every format draws them: a PNG with the layer differs from one
	// without.
	on, off := get(t, s, "/api/export/map.png?layers=strikes&width=400&height=300"), get(t, s, "/api/export/map.png?layers=bases&width=400&height=300")
	if on.Code != http.StatusOK || off.Code != http.StatusOK || on.Body.Len() == off.Body.Len() && on.Body.String() == off.Body.String() {
		t.Errorf("PNG with strikes: %d, %d bytes; without: %d", on.Code, on.Body.Len(), off.Code)
	}
}
