package server

import (
	"bytes"
	"encoding/xml"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"testing"
)

// TestExportClustersApart: at 200,000 incidents an image's cluster discs
// do not overlap one another, so none hides another's count, as on the
// map page (cluster.Declutter). Before, neighbouring discs overlapped by
// up to half their width at every size.
func TestExportClustersApart(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("200,000 incidents")
	}
	s := syntheticServer(t, 200_000)
	for _, target := range []string{
		"/api/export/map.svg",
		"/api/export/map.svg?width=400&height=700",
		"/api/export/map.svg?map=7/33.8/42.5&width=1200&height=800",
		"/api/export/map.svg?map=9/33.79/42.44&width=640&height=420&layers=bases,incidents,rings",
	} {
		rec := get(t, s, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		discs, counts, squares := clusterDiscs(t, rec.Body.Bytes())
		if len(discs) < 2 {
			t.Errorf("%s: %d clusters drawn", target, len(discs))
		}
		overlaps := 0
		for i, a := range discs {
			for _, b := range discs[i+1:] {
				// The discs' outer edge (the white rim); 0.05 px for the
				// SVG's rounding.
				if d := math.Hypot(a.x-b.x, a.y-b.y); d < a.r+b.r-0.05 {
					if overlaps == 0 {
						t.Errorf("%s: discs of radius %.1f and %.1f at (%.0f, %.0f) and (%.0f, %.0f) overlap", target, a.r, b.r, a.x, a.y, b.x, b.y)
					}
					overlaps++
				}
			}
		}
		if overlaps > 0 {
			t.Errorf("%s: %d pairs of the %d discs overlap", target, overlaps, len(discs))
		}
		// No base's square, drawn over the clusters, hides a count.
		for _, c := range counts {
			for _, sq := range squares {
				if c.x0 < sq.x1 && sq.x0 < c.x1 && c.y0 < sq.y1 && sq.y0 < c.y1 {
					t.Errorf("%s: a base's square %v hides the count %q at %v", target, sq, c.text, c)
				}
			}
		}
	}
}

type disc struct{ x, y, r float64 }

// svgBox is a box read from an SVG: a count's text or a base's square.
type svgBox struct {
	x0, y0, x1, y1 float64
	text           string
}

var pathNumber = regexp.MustCompile(`-?[0-9.]+`)

// clusterDiscs reads the discs of an SVG's clusters (the first path of
// each cluster group, the white rim under the disc), the boxes of their
// counts (11 px bold: 8 px above the baseline, 3 below) and the bases'
// squares (the first path of each base group).
func clusterDiscs(t *testing.T, svg []byte) (out []disc, counts, squares []svgBox) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	inCluster, inCount, inBase := false, false, false
	attr := func(el xml.StartElement, name string) string {
		for _, a := range el.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	num := func(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok && inCount {
			counts[len(counts)-1].text = string(cd)
			inCount = false
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if c := attr(el, "class"); c != "" {
			inCluster, inBase = c == "cluster", c == "base"
		}
		if el.Name.Local == "text" && attr(el, "text-anchor") == "middle" && attr(el, "font-size") == "11" && attr(el, "fill") == "#ffffff" {
			x, y, w := num(attr(el, "x")), num(attr(el, "y")), num(attr(el, "textLength"))
			counts = append(counts, svgBox{x0: x - w/2, y0: y - 8, x1: x + w/2, y1: y + 3})
			inCount = true
		}
		if inBase && el.Name.Local == "path" {
			inBase = false
			nums := pathNumber.FindAllString(attr(el, "d"), -1)
			b := svgBox{x0: math.Inf(1), y0: math.Inf(1), x1: math.Inf(-1), y1: math.Inf(-1)}
			for i := 0; i+1 < len(nums); i += 2 {
				x, y := num(nums[i]), num(nums[i+1])
				b = svgBox{x0: math.Min(b.x0, x), y0: math.Min(b.y0, y), x1: math.Max(b.x1, x), y1: math.Max(b.y1, y)}
			}
			squares = append(squares, b)
		}
		if !inCluster || el.Name.Local != "path" {
			continue
		}
		inCluster = false // only the first path: the rim
		for _, a := range el.Attr {
			if a.Name.Local != "d" {
				continue
			}
			nums := pathNumber.FindAllString(a.Value, -1)
			var xs, ys []float64
			for i := 0; i+1 < len(nums); i += 2 {
				x, _ := strconv.ParseFloat(nums[i], 64)
				y, _ := strconv.ParseFloat(nums[i+1], 64)
				xs, ys = append(xs, x), append(ys, y)
			}
			var cx, cy float64
			for i := range xs {
				cx, cy = cx+xs[i]/float64(len(xs)), cy+ys[i]/float64(len(ys))
			}
			out = append(out, disc{cx, cy, math.Hypot(xs[0]-cx, ys[0]-cy)})
		}
	}
	return out, counts, squares
}
