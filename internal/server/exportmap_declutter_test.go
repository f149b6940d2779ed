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
		discs := clusterDiscs(t, rec.Body.Bytes())
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
	}
}

type disc struct{ x, y, r float64 }

var pathNumber = regexp.MustCompile(`-?[0-9.]+`)

// clusterDiscs reads the discs of an SVG's clusters: the first path of
// each cluster group, the white rim under the disc.
func clusterDiscs(t *testing.T, svg []byte) []disc {
	t.Helper()
	var out []disc
	dec := xml.NewDecoder(bytes.NewReader(svg))
	inCluster := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		for _, a := range el.Attr {
			if a.Name.Local == "class" {
				inCluster = a.Value == "cluster"
			}
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
	return out
}
