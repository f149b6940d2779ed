package mapimage

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

// draw paints the whole view onto s, back to front.
func (r *Renderer) draw(s surface, v *View) {
	vp := newViewport(v)
	rect := func(x, y, w, h float64) []subpath {
		return []subpath{{pts: []pt{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}, closed: true}}
	}
	s.group("background", "", "")
	s.path(rect(0, 0, v.Width, v.Height), style{fill: colSea})
	s.end()

	r.drawBasemap(s, vp)

	s.group("rings", "", "")
	for _, ring := range v.Rings {
		s.path([]subpath{{pts: toPixels(vp, ring.Polygon[0]), closed: true}}, style{stroke: colRing, width: 1, dash: []float64{6, 4}})
	}
	s.end()
	s.group("links", "", "")
	for _, l := range v.Links {
		s.path([]subpath{{pts: toPixels(vp, l.Line)}}, style{stroke: colText, width: 1.5, dash: []float64{4, 4}})
	}
	s.end()

	// Labels go right of the ring of incidents drawn round a base.
	around := map[orb.Point]int{}
	for _, inc := range v.Incidents {
		around[inc.Point]++
	}
	label := textStyle{size: 12, bold: true, colour: colBase}
	s.group("bases", "", "")
	for _, b := range v.Bases {
		x, y := vp.px(b.Point)
		s.group("base", b.ID, b.Name)
		s.path([]subpath{{pts: place(baseSquare, x, y, 18), closed: true}}, style{fill: colBase, stroke: colWhite, width: 1})
		s.path([]subpath{{pts: place(baseStar, x, y, 18), closed: true}}, style{fill: colWhite})
		lx := x + 12
		if n := around[b.Point]; n > 0 {
			lx = x + ringRadius(n) + 14
		}
		w := r.textWidth(b.Name, label) * 1.1 // room for a wider fallback font in SVG viewers
		s.path(rect(lx, y-8, w+8, 16), style{fill: colWhite, fillOpacity: 0.85, stroke: colBase, width: 0.75})
		s.text(lx+4, y+4.5, b.Name, label)
		s.end()
	}
	s.end()

	r.drawIncidents(s, vp, v.Incidents)
	r.drawFrame(s, vp, v)
}

func toPixels(vp viewport, ls []orb.Point) []pt {
	out := make([]pt, len(ls))
	for i, p := range ls {
		out[i].x, out[i].y = vp.px(p)
	}
	return out
}

// drawBasemap paints the countries, then the rivers, of the offline basemap.
func (r *Renderer) drawBasemap(s surface, vp viewport) {
	s.group("basemap", "", "")
	for _, layer := range []string{"country", "river"} {
		for _, f := range r.basemap {
			if f.layer != layer {
				continue
			}
			var sub []subpath
			switch g := f.geom.(type) {
			case orb.Polygon:
				for _, ring := range g {
					sub = append(sub, subpath{pts: toPixels(vp, ring), closed: true})
				}
			case orb.MultiPolygon:
				for _, poly := range g {
					for _, ring := range poly {
						sub = append(sub, subpath{pts: toPixels(vp, ring), closed: true})
					}
				}
			case orb.LineString:
				sub = append(sub, subpath{pts: toPixels(vp, g)})
			case orb.MultiLineString:
				for _, ls := range g {
					sub = append(sub, subpath{pts: toPixels(vp, ls)})
				}
			}
			if len(sub) == 0 {
				continue
			}
			if layer == "country" {
				s.path(sub, style{fill: colLand, stroke: colBorder, width: 1})
			} else {
				s.path(sub, style{stroke: colRiver, width: 1.5})
			}
		}
	}
	s.end()
}

// drawIncidents paints each incident's symbol, spread around shared points.
func (r *Renderer) drawIncidents(s surface, vp viewport, incidents []*geo.Incident) {
	type key struct{ x, y float64 }
	groups := map[key][]*geo.Incident{}
	var order []key
	for _, inc := range incidents {
		k := key{inc.Point[0], inc.Point[1]}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], inc)
	}
	s.group("incidents", "", "")
	for _, k := range order {
		group := groups[k]
		aroundBase := false
		for _, inc := range group {
			aroundBase = aroundBase || inc.LocationPrecision == geo.PrecisionBase
		}
		offs := offsets(len(group), aroundBase)
		for i, inc := range group {
			x, y := vp.px(inc.Point)
			x, y = x+offs[i].x, y+offs[i].y
			title := fmt.Sprintf("%s %s attack (%s), %s", inc.Date, strings.ToLower(inc.Weapon.Label()), inc.Status, inc.ID)
			s.group("incident", inc.ID, title)
			drawSymbol(s, x, y, 20, inc.Weapon, inc.Status, len(inc.Disputed) > 0)
			s.end()
		}
	}
	s.end()
}

// drawSymbol paints the page's symbol: filled for confirmed, lower half
// filled for reported, hollow and dashed for claimed; a red ring when
// sources disagree.
func drawSymbol(s surface, x, y, size float64, w geo.Weapon, st geo.Status, disputed bool) {
	c := weaponColour[w]
	if disputed {
		s.path([]subpath{{pts: circlePoints(x, y, size*0.62, 0, 2*math.Pi, 32), closed: true}}, style{stroke: colDisputed, width: 1.5})
	}
	outline := []subpath{{pts: place(weaponShape[w], x, y, size), closed: true}}
	switch st {
	case geo.StatusConfirmed:
		s.path(outline, style{fill: c, stroke: colWhite, width: 1.2})
	case geo.StatusReported:
		s.path(outline, style{fill: colWhite, stroke: c, width: 1.6})
		s.path([]subpath{{pts: place(weaponHalf[w], x, y, size), closed: true}}, style{fill: c})
		s.path(outline, style{stroke: c, width: 1.6})
	default:
		s.path(outline, style{fill: colWhite, stroke: c, width: 1.6, dash: []float64{2.5, 1.5}})
	}
}

// drawFrame paints the title, caption, legend, scale bar and attribution.
func (r *Renderer) drawFrame(s surface, vp viewport, v *View) {
	title := textStyle{size: 18, bold: true, colour: colText}
	small := textStyle{size: 11, colour: colMuted}
	s.group("title", "", "")
	if v.Title != "" || v.Caption != "" {
		w := math.Max(r.textWidth(v.Title, title), r.textWidth(v.Caption, small)) + 20
		h := 14.0
		if v.Title != "" {
			h += 22
		}
		if v.Caption != "" {
			h += 16
		}
		s.path([]subpath{{pts: []pt{{10, 10}, {10 + w, 10}, {10 + w, 10 + h}, {10, 10 + h}}, closed: true}}, style{fill: colWhite, fillOpacity: 0.92, stroke: colBorder, width: 0.75})
		y := 10.0 + 8
		if v.Title != "" {
			y += 17
			s.text(20, y, v.Title, title)
		}
		if v.Caption != "" {
			y += 17
			s.text(20, y, v.Caption, small)
		}
	}
	s.end()

	if v.Legend {
		r.drawLegend(s, v)
	}
	r.drawScaleBar(s, vp, v)

	attribution := "Data: strikemap"
	if v.Version != "" {
		attribution += " (dataset " + v.Version + ")"
	}
	attribution += ", sources on each incident · Basemap: Natural Earth"
	s.group("attribution", "", "")
	w := r.textWidth(attribution, small)
	s.path([]subpath{{pts: []pt{{v.Width - w - 12, v.Height - 18}, {v.Width, v.Height - 18}, {v.Width, v.Height}, {v.Width - w - 12, v.Height}}, closed: true}}, style{fill: colWhite, fillOpacity: 0.85})
	s.text(v.Width-6, v.Height-5, attribution, textStyle{size: 11, colour: colMuted, anchor: "end"})
	s.end()
}

func (r *Renderer) drawLegend(s surface, v *View) {
	entries := []struct {
		weapon geo.Weapon
		status geo.Status
		text   string
	}{
		{geo.WeaponDrone, geo.StatusConfirmed, "Drone"},
		{geo.WeaponRocket, geo.StatusConfirmed, "Rocket"},
		{geo.WeaponMissile, geo.StatusConfirmed, "Missile"},
		{geo.WeaponUnknown, geo.StatusConfirmed, "Unknown weapon"},
		{geo.WeaponUnknown, geo.StatusConfirmed, "Filled: confirmed (official)"},
		{geo.WeaponUnknown, geo.StatusReported, "Half: reported (media, monitor)"},
		{geo.WeaponUnknown, geo.StatusClaimed, "Hollow: claimed only"},
	}
	st := textStyle{size: 11, colour: colText}
	width := 0.0
	for _, e := range entries {
		width = math.Max(width, r.textWidth(e.text, st))
	}
	width = math.Max(width, r.textWidth("Red ring: sources disagree", st)) + 44
	rowH := 17.0
	h := rowH*float64(len(entries)+2) + 12
	x0, y0 := 10.0, v.Height-h-26
	s.group("legend", "", "Legend")
	s.path([]subpath{{pts: []pt{{x0, y0}, {x0 + width, y0}, {x0 + width, y0 + h}, {x0, y0 + h}}, closed: true}}, style{fill: colWhite, fillOpacity: 0.92, stroke: colBorder, width: 0.75})
	y := y0 + 6 + rowH/2
	cx := x0 + 16
	s.path([]subpath{{pts: place(baseSquare, cx, y, 14), closed: true}}, style{fill: colBase, stroke: colWhite, width: 1})
	s.path([]subpath{{pts: place(baseStar, cx, y, 14), closed: true}}, style{fill: colWhite})
	s.text(cx+14, y+4, "Base", st)
	for _, e := range entries {
		y += rowH
		drawSymbol(s, cx, y, 14, e.weapon, e.status, false)
		s.text(cx+14, y+4, e.text, st)
	}
	y += rowH
	s.path([]subpath{{pts: circlePoints(cx, y, 7, 0, 2*math.Pi, 24), closed: true}}, style{stroke: colDisputed, width: 1.5})
	s.text(cx+14, y+4, "Red ring: sources disagree", st)
	s.end()
}

// drawScaleBar paints a bar of a round number of kilometres, about 100 px.
func (r *Renderer) drawScaleBar(s surface, vp viewport, v *View) {
	lat := 0.0
	// The latitude at the image's centre: invert y through Mercator.
	const half = math.Pi * orb.EarthRadius
	my := half - vp.cy/vp.worldPx*2*half
	lat = (2*math.Atan(math.Exp(my/orb.EarthRadius)) - math.Pi/2) * 180 / math.Pi
	mpp := vp.metresPerPixel(lat)
	km := niceNumber(100 * mpp / 1000)
	px := km * 1000 / mpp
	x0, y0 := v.Width-px-16, v.Height-34.0
	s.group("scale", "", fmt.Sprintf("Scale bar: %s km", formatKm(km)))
	s.path([]subpath{{pts: []pt{{x0 - 4, y0 - 14}, {x0 + px + 8, y0 - 14}, {x0 + px + 8, y0 + 6}, {x0 - 4, y0 + 6}}, closed: true}}, style{fill: colWhite, fillOpacity: 0.85})
	s.path([]subpath{{pts: []pt{{x0, y0 - 5}, {x0, y0}, {x0 + px, y0}, {x0 + px, y0 - 5}}}}, style{stroke: colText, width: 1.5})
	s.text(x0+px/2, y0-3, formatKm(km)+" km", textStyle{size: 10, colour: colText, anchor: "middle"})
	s.end()
}

// niceNumber rounds x down to 1, 2 or 5 times a power of ten.
func niceNumber(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{5, 2, 1} {
		if m*p <= x {
			return m * p
		}
	}
	return p
}

func formatKm(km float64) string {
	if km >= 1 {
		return fmt.Sprintf("%.0f", km)
	}
	return fmt.Sprintf("%g", km)
}
