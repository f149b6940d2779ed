package mapimage

import (
	"fmt"
	"strings"
	"testing"

	"strikemap/data"
)

// TestNamesApart: the basemap's country and town names are drawn, inside
// the image, and none covers another name, a base's label, a mark (an
// incident's symbol, a cluster's whole disc, a base, a town's dot) or the
// frame, in every layout scene (shapes from 200 px to 4000 px, the
// embedded data and 300 clusters). Where towns are named, the attribution
// credits GeoNames.
func TestNamesApart(t *testing.T) {
	r, err := New(data.Basemap)
	if err != nil {
		t.Fatal(err)
	}
	towns, countries := 0, 0
	for _, v := range layoutScenes(t) {
		name := fmt.Sprintf("%v×%v zoom %v fit %v clusters %d", v.Width, v.Height, v.Zoom, v.Fit, len(v.Clusters))
		rec := &recorder{r: r}
		r.draw(rec, &v)
		var names, others []drawn
		attribution := ""
		for _, it := range rec.items {
			switch {
			case it.in("names") && it.text != "":
				names = append(names, it)
				if it.in("town-name") {
					towns++
				} else {
					countries++
				}
			case it.in("names"):
				others = append(others, it) // a town's dot
			case it.in("attribution") && it.text != "":
				attribution += it.text + " "
			case it.in("background") || it.in("basemap") || it.in("rings") || it.in("links") || it.in("density"):
			default:
				others = append(others, it)
			}
		}
		nTowns := 0
		for i, a := range names {
			if a.box.x0 < nameMargin-0.01 || a.box.y0 < nameMargin-0.01 || a.box.x1 > v.Width-nameMargin+0.01 || a.box.y1 > v.Height-nameMargin+0.01 {
				t.Errorf("%s: %q at %v is cut by the image's edge", name, a.text, a.box)
			}
			if a.in("town-name") {
				nTowns++
			}
			for _, b := range names[i+1:] {
				if a.box.meets(b.box) {
					t.Errorf("%s: names %q %v and %q %v overlap", name, a.text, a.box, b.text, b.box)
				}
			}
			for _, o := range others {
				if a.box.meets(o.box) {
					what := strings.Join(o.groups, "/")
					if o.text != "" {
						what += " " + fmt.Sprintf("%q", o.text)
					}
					t.Errorf("%s: name %q %v covers %s %v", name, a.text, a.box, what, o.box)
				}
			}
		}
		if credits := strings.Contains(attribution, "GeoNames"); nTowns > 0 && !credits {
			t.Errorf("%s: %d towns named, and the attribution %q does not credit GeoNames", name, nTowns, attribution)
		}
	}
	if towns == 0 || countries == 0 {
		t.Errorf("%d town and %d country names drawn in all the scenes", towns, countries)
	}
}
