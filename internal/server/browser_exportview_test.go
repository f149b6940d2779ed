package server

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"testing"

	"github.com/paulmach/orb"
)

// checkExportDrawsView, on the map page with 200,000 synthetic
// incidents at a phone's size and a desktop's, takes its "this view as an
// image" link (the PNG export) and checks that the image's bounds are the
// view the reader sees. The page's view is measured from what is drawn:
// the bases' symbols at their places give the map's scale and offset, and
// the map's edges the bounds. (The phone export of this set in docs/ was
// drawn with no view named, which fits the whole synthetic spread, a zoom
// and more out from the page; scripts/screenshots now takes the page's
// view. This test holds the page's link to what the page shows.)
func checkExportDrawsView(t *testing.T, tb *tab, s *Server, places map[string][2]float64) {
	t.Helper()
	type seen struct {
		Name string
		X, Y float64
	}
	// Each base's place on screen: its symbol's centre less the
	// offset it was moved by to keep it apart from a neighbour.
	got := eval[[]seen](tb, `(() => {
		const m = document.getElementById('map').getBoundingClientRect();
		return Array.from(document.querySelectorAll('#map .base-icon')).map((e) => {
			const r = e.getBoundingClientRect(), off = (e.dataset.offset || '0,0').split(',').map(Number);
			return { Name: e.querySelector('.base-marker').dataset.id, X: (r.left + r.right) / 2 - off[0] - m.left, Y: (r.top + r.bottom) / 2 - off[1] - m.top };
		});
	})()`)
	size := eval[[]float64](tb, `(() => { const r = document.getElementById('map').getBoundingClientRect(); return [r.width, r.height]; })()`)
	// The bases' places on screen against their longitudes and
	// Mercator y give the page's linear maps to pixels (least
	// squares): its scale and offset.
	var lon, my, xs, ys []float64
	for _, g := range got {
		if p, ok := places[g.Name]; ok {
			lon, my, xs, ys = append(lon, p[0]), append(my, mercY(p[1])), append(xs, g.X), append(ys, g.Y)
		}
	}
	if len(lon) < 2 {
		t.Fatalf("found %d bases by id on the page: %v", len(lon), got)
	}
	kx, x0 := fitLine(lon, xs) // pixels per degree of longitude, and x at 0°
	ky, y0 := fitLine(my, ys)
	west, east := -x0/kx, (size[0]-x0)/kx
	north, south := invMercY(-y0/ky), invMercY((size[1]-y0)/ky)

	href := eval[string](tb, `document.getElementById('export-png').getAttribute('href')`)
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := s.parseMapView(u.Query(), s.store.Dataset())
	if err != nil {
		t.Fatalf("the page's image link %s: %v", href, err)
	}
	if math.Abs(v.Width-size[0]) > 1 || math.Abs(v.Height-size[1]) > 1 {
		t.Errorf("the image link is %vx%v px; the map on screen is %vx%v", v.Width, v.Height, size[0], size[1])
	}
	img := s.renderer.Bound(v, 0)
	px := 1 / kx * 2 // two pixels, in degrees of longitude
	want := orb.Bound{Min: orb.Point{west, south}, Max: orb.Point{east, north}}
	for i, d := range []float64{img.Min[0] - want.Min[0], img.Max[0] - want.Max[0], img.Min[1] - want.Min[1], img.Max[1] - want.Max[1]} {
		if math.Abs(d) > px {
			t.Errorf("the image's bounds %v differ from the page's view %v (edge %d by %.3f°, over 2 px)\nlink %s", img, want, i, d, href)
			break
		}
	}
}

// basePlaces reads the bases' places, lon/lat by id, from the API.
func basePlaces(t *testing.T, base string) map[string][2]float64 {
	t.Helper()
	resp, err := http.Get(base + "/api/bases.geojson")
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			ID       string
			Geometry struct{ Coordinates [2]float64 }
		}
	}
	err = json.NewDecoder(resp.Body).Decode(&fc)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	places := map[string][2]float64{}
	for _, f := range fc.Features {
		places[f.ID] = f.Geometry.Coordinates
	}
	return places
}

// mercY is Web Mercator's y of a latitude (radians of the unit sphere).
func mercY(lat float64) float64 {
	return math.Log(math.Tan(math.Pi/4 + lat*math.Pi/360))
}

// fitLine returns the slope and intercept of the least-squares line
// through the points (xs[i], ys[i]).
func fitLine(xs, ys []float64) (k, c float64) {
	var sx, sy, sxx, sxy float64
	n := float64(len(xs))
	for i := range xs {
		sx, sy, sxx, sxy = sx+xs[i], sy+ys[i], sxx+xs[i]*xs[i], sxy+xs[i]*ys[i]
	}
	k = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	return k, (sy - k*sx) / n
}

func invMercY(y float64) float64 { return (2*math.Atan(math.Exp(y)) - math.Pi/2) * 180 / math.Pi }
