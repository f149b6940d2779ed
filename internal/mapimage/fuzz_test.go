package mapimage

import (
	"math"
	"testing"
)

// FuzzViewCheck checks the size limits: a view that passes Check has
// finite sides within MinSide..MaxSide, a scale within 1..MaxScale, at most
// MaxPixels raster pixels, and a viewport with finite numbers.
func FuzzViewCheck(f *testing.F) {
	f.Add(1200.0, 800.0, 1.0, 7.0, 41.6, 34.0, false)
	f.Add(4000.0, 4000.0, 4.0, 0.0, 0.0, 0.0, true)
	f.Add(200.0, 200.0, 1.0, 19.0, 180.0, 85.0, false)
	f.Add(math.NaN(), 800.0, 1.0, 0.0, 0.0, 0.0, true)
	f.Add(1200.0, 800.0, math.Inf(1), 0.0, 0.0, 0.0, true)
	f.Add(1200.0, 800.0, 1.0, math.NaN(), 0.0, 0.0, false)
	f.Add(1200.0, 800.0, 1.0, -1.0, 0.0, 0.0, false)
	f.Add(3162.0, 3162.0, 2.0, 3.0, -180.0, -90.0, false)
	f.Fuzz(func(t *testing.T, w, h, scale, zoom, lon, lat float64, fit bool) {
		v := View{Width: w, Height: h, Scale: scale, Zoom: zoom, Fit: fit}
		v.Center[0], v.Center[1] = lon, lat
		if err := v.Check(); err != nil {
			return
		}
		if !(w >= MinSide && w <= MaxSide && h >= MinSide && h <= MaxSide) {
			t.Fatalf("size %v × %v passed", w, h)
		}
		if !(scale >= 1 && scale <= MaxScale) {
			t.Fatalf("scale %v passed", scale)
		}
		if px := w * h * scale * scale; px > MaxPixels {
			t.Fatalf("%v pixels passed", px)
		}
		if !fit && !(zoom >= 0 && zoom <= 19) {
			t.Fatalf("zoom %v passed", zoom)
		}
		if !fit && (math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0)) {
			return // the server checks the centre; Check is about size
		}
		vp := newViewport(&v)
		if math.IsNaN(vp.worldPx) || math.IsInf(vp.worldPx, 0) {
			t.Fatalf("viewport %+v", vp)
		}
	})
}
