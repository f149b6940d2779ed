package mapimage

import (
	"fmt"
	"strings"
	"testing"

	"strikemap/data"
	"strikemap/internal/geo"
)

// phoneView is the shipped data as exported at a phone's size (the page's
// "this view as an image" at 375 × 740), fitted to the data.
func phoneView(t *testing.T, w, h float64) View {
	t.Helper()
	d, err := geo.Load(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	var bases []*geo.Base
	for i := range d.Bases {
		bases = append(bases, &d.Bases[i])
	}
	return View{Width: w, Height: h, Scale: 1, Fit: true, Legend: true, Version: d.Version,
		Title: d.Tagline(nil), Caption: "18 Oct 2023 to 5 Feb 2024 · 90 incidents",
		Bases: bases, Incidents: d.Select(geo.Filter{})}
}

func drawRecorded(t *testing.T, v View) (*Renderer, []drawn) {
	t.Helper()
	r, err := New(data.Basemap)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{r: r}
	r.draw(rec, &v)
	return r, rec.items
}

// TestAttributionWhole: at any width from a phone's up, the attribution's
// lines lie inside the image and none ends or starts with the " · " that
// joins the data's credit to the basemap's, which reads as a line cut off
// at the image's edge (seen at 375 px: "…sources on each incident ·").
func TestAttributionWhole(t *testing.T) {
	for _, w := range []float64{320, 340, 375, 414, 480, 640, 800, 1200} {
		v := phoneView(t, w, 740)
		_, items := drawRecorded(t, v)
		n := 0
		for _, it := range items {
			if !it.in("attribution") || it.text == "" {
				continue
			}
			n++
			name := fmt.Sprintf("%v px: attribution line %q", w, it.text)
			if b := it.box; b.x0 < 0 || b.x1 > w-4 || b.y1 > v.Height {
				t.Errorf("%s at %v is cut by the image's edge", name, b)
			}
			if s := strings.TrimSpace(it.text); strings.HasSuffix(s, "·") || strings.HasPrefix(s, "·") {
				t.Errorf("%s ends or starts with its separator", name)
			}
		}
		if n == 0 {
			t.Errorf("%v px: no attribution", w)
		}
	}
}
