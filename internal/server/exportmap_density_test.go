package server

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestExportDensityIsThePages: the density layer of an image is the map
// page's, hexagon for hexagon: the hexagons /api/density.geojson gives the
// page at a zoom are those the image at that zoom draws, at the same
// places (they were counted twice, by two functions with two radii and
// two grids).
func TestExportDensityIsThePages(t *testing.T) {
	s := syntheticServer(t, 6000)
	const zoom, lat, lon, w, h = 7, 33.5, 42.0, 800.0, 600.0
	rec := get(t, s, fmt.Sprintf("/api/density.geojson?zoom=%d", zoom))
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var page densityFC
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	// Web Mercator pixels of the image: the centre at (w/2, h/2).
	world := 256 * math.Exp2(zoom)
	wx := func(lon float64) float64 { return (lon/360 + 0.5) * world }
	wy := func(lat float64) float64 {
		s := math.Sin(lat * math.Pi / 180)
		return (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)) * world
	}
	cx, cy := wx(lon), wy(lat)
	type pt struct{ x, y float64 }
	// Only hexagons well inside the image: those cut by its edge may be
	// left out or counted only in part, on the page as in the image.
	inner := func(x, y float64) bool { return x > 30 && y > 30 && x < w-30 && y < h-30 }
	var want []pt
	for _, f := range page.Features {
		var x, y float64
		ring := f.Geometry.Coordinates[0][:6]
		for _, p := range ring {
			x += wx(p[0]) - cx + w/2
			y += wy(p[1]) - cy + h/2
		}
		x, y = x/6, y/6
		if inner(x, y) {
			want = append(want, pt{x, y})
		}
	}
	rec = get(t, s, fmt.Sprintf("/api/export/map.svg?layers=density&map=%d/%v/%v&width=%v&height=%v&legend=0", zoom, lat, lon, w, h))
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var got []pt
	for _, d := range densityPaths(t, rec.Body.Bytes()) {
		for _, sub := range strings.Split(d, "Z") {
			nums := regexp.MustCompile(`-?[0-9.]+`).FindAllString(sub, -1)
			if len(nums) == 0 {
				continue
			}
			if len(nums) != 12 {
				t.Fatalf("a hexagon of %d numbers: %q", len(nums), sub)
			}
			var x, y float64
			for i := 0; i < 12; i += 2 {
				a, _ := strconv.ParseFloat(nums[i], 64)
				b, _ := strconv.ParseFloat(nums[i+1], 64)
				x, y = x+a/6, y+b/6
			}
			if inner(x, y) {
				got = append(got, pt{x, y})
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("the page has no hexagons in the view")
	}
	// The same place to a tenth of a pixel (the SVG rounds coordinates).
	in := func(p pt, set []pt) bool {
		for _, q := range set {
			if math.Hypot(p.x-q.x, p.y-q.y) < 0.1 {
				return true
			}
		}
		return false
	}
	missing, extra := 0, 0
	for _, p := range want {
		if !in(p, got) {
			missing++
		}
	}
	for _, p := range got {
		if !in(p, want) {
			extra++
		}
	}
	if missing+extra > 0 {
		t.Errorf("of the page's %d hexagons in the image, %d are not drawn; the image draws %d the page has not", len(want), missing, extra)
	}
}

// densityPaths returns the d of every path of an SVG's density layer.
func densityPaths(t *testing.T, svg []byte) []string {
	t.Helper()
	var doc struct {
		Groups []struct {
			Class string `xml:"class,attr"`
			Paths []struct {
				D string `xml:"d,attr"`
			} `xml:"path"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range doc.Groups {
		if g.Class == "density" {
			for _, p := range g.Paths {
				out = append(out, p.D)
			}
		}
	}
	return out
}
