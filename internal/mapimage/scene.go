package mapimage

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"strikemap/internal/cluster"
	"strikemap/internal/geo"
)

// draw paints the whole view onto s, back to front. Everything is placed
// first: the marks, then the frame (title, legend, scale bar,
// attribution) within the image, then each base's label where it covers
// no mark, no other label and no part of the frame.
func (r *Renderer) draw(s surface, v *View) {
	vp := r.viewport(v)
	var (
		marks []mark
		bins  []hexBin
		fr    frameLayout
	)
	for band := false; ; band = true {
		// What is out of the map's frame is out of the view: a cluster's
		// count would be pulled in to the frame's edge, over whatever is
		// there. Below a legend's band, so is a mark centred in it.
		marks = slices.DeleteFunc(placeMarks(vp, v), func(m mark) bool {
			return !m.box().overlaps(box{0, 0, vp.width, vp.height}) || (band && m.y > vp.height)
		})
		r.placeCounts(vp, v, marks)
		r.placeBadges(vp, v, marks)
		bins = densityBins(vp, v)
		var rows []legendRow
		if v.Legend {
			rows = legendRows(v, marks, bins) // only those in the frame: the legend explains what is shown
		}
		v.credit = r.credit(vp, v)
		fr = r.layoutFrame(v, rows, &vp, marks, band)
		if !fr.hasBand || band {
			break
		}
		// The legend goes below the map: the map is framed above it,
		// the view's centre in the middle of what is left, and placed
		// again there.
		vp.height = fr.band.y0
	}
	labels := r.placeLabels(vp, v, marks, fr)
	names := r.placeNames(vp, v, r.nameObstacles(vp, v, marks, fr, labels))

	s.group("background", "", "")
	s.path(box{0, 0, v.Width, v.Height}.rect(), style{fill: colSea})
	s.end()

	r.drawBasemap(s, vp)
	if v.Density != nil {
		drawDensity(s, bins)
	}

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

	drawNames(s, names)
	r.drawMarks(s, vp, marks)
	r.drawBadges(s, marks)

	// Bases and their labels go over the marks, as on the map page.
	s.group("leaders", "", "")
	for i := range v.Bases {
		if i < len(labels) && labels[i].ok && labels[i].route != nil {
			s.path([]subpath{{pts: labels[i].route}}, style{stroke: colBase, width: 1})
		}
	}
	s.end()
	s.group("bases", "", "")
	for i, b := range v.Bases {
		x, y := vp.px(b.Point)
		s.group("base", b.ID, b.Name)
		s.path([]subpath{{pts: place(baseSquare, x, y, 18), closed: true}}, style{fill: colBase, stroke: colWhite, width: 1})
		s.path([]subpath{{pts: place(baseStar, x, y, 18), closed: true}}, style{fill: colWhite})
		if i < len(labels) && labels[i].ok {
			l := labels[i]
			s.path(l.box.rect(), style{fill: colWhite, fillOpacity: 0.85, stroke: colBase, width: 0.75})
			for k, line := range l.lines {
				s.text(l.box.x0+labelPad, l.baseline+float64(k)*labelLineH, line, labelStyle)
			}
		}
		s.end()
	}
	s.end()

	// The strikes go over the bases, as on the page (its pane "strikes");
	// an image without them is as it was before they were drawn.
	if len(v.Strikes) > 0 {
		s.group("strikes", "", "")
		for _, st := range v.Strikes {
			x, y := vp.px(st.Point)
			s.group("strike", st.ID, fmt.Sprintf("%s US strike in response: %s, %s", st.Date, st.Target, st.Place))
			drawCrosshair(s, x, y, 20)
			s.end()
		}
		s.end()
	}

	r.drawFrame(s, v, fr)
}

// drawCrosshair draws a strike's symbol, the page's: a ring crossed by two
// lines, in a box of size px, with no fill, so a base beneath shows.
func drawCrosshair(s surface, x, y, size float64) {
	st := style{stroke: colStrike, width: 2 * size / 20}
	s.path([]subpath{{pts: circlePoints(x, y, size*0.3, 0, 2*math.Pi, 32), closed: true}}, st)
	s.path([]subpath{
		{pts: []pt{{x, y - size*0.45}, {x, y + size*0.45}}},
		{pts: []pt{{x - size*0.45, y}, {x + size*0.45, y}}},
	}, st)
}

func toPixels(vp viewport, ls []orb.Point) []pt {
	out := make([]pt, len(ls))
	for i, p := range ls {
		out[i].x, out[i].y = vp.px(p)
	}
	return out
}

// drawBasemap paints the land, the countries, the borders, then the rivers,
// of the offline basemap. The land reaches past the countries, so a wide
// view shows the neighbours' land and not sea; the countries are filled
// only and the borders drawn as lines of their own, so the edge of the box
// the countries are clipped to is never drawn as a border.
func (r *Renderer) drawBasemap(s surface, vp viewport) {
	s.group("basemap", "", "")
	for _, layer := range []string{"land", "country", "border", "river"} {
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
			switch layer {
			case "land", "country":
				s.path(sub, style{fill: colLand})
			case "border":
				s.path(sub, style{stroke: colBorder, width: 1})
			default:
				s.path(sub, style{stroke: colRiver, width: 1.5})
			}
		}
	}
	s.end()
}

// mark is an incident's symbol or a cluster's circle, where it is drawn.
type mark struct {
	x, y   float64
	inc    *geo.Incident // a lone incident, drawn as its symbol
	count  int           // a cluster of count incidents, when inc is nil
	near   string        // the base nearest a cluster, nearKm away
	nearKm int
	// countX, countY place a cluster's count (its centre and baseline):
	// at the disc's centre, or clear of the bases drawn over it.
	countX, countY float64
	pill           bool // the count is beside the disc, on a pill
	// members are the incidents of a stack, drawn at one place with their
	// count on badge (stacks.go); inc is the first, drawn on top.
	members []*geo.Incident
	badge   box
	badged  bool // the badge has a place inside the image
}

// countBox is the box of a cluster's count as drawn, clear of the image's
// edge.
func (r *Renderer) countBox(vp viewport, m mark) box {
	text := clusterText(m.count)
	half := r.textWidth(text, clusterStyle)/2 + 1
	x := math.Max(half, math.Min(m.countX, vp.width-half))
	y := math.Max(14, math.Min(m.countY, vp.height-4))
	met := r.face(clusterStyle).Metrics()
	return box{x - half, y - met.Ascent, x + half, y + met.Descent}
}

// countArea is the part of the image a cluster's count covers: its text,
// or, for a count moved beside its disc, the pill it is written on.
func (r *Renderer) countArea(vp viewport, m mark) box {
	b := r.countBox(vp, m)
	if m.pill {
		return b.pad(pillPad)
	}
	return b
}

// pillPad is the margin of a moved count's pill round its text.
const pillPad = 2

// placeCounts writes each cluster's count at its centre, or, where a base
// is drawn over the centre, at the free place nearest the centre inside
// the disc, so that the base does not hide it. Where the bases leave no
// such place (two bases on one disc can), the count goes beside the disc
// on a pill of its own, as on the map page (web/static/js/map/counts.js):
// at the first spot clear of every base, every mark and every count
// placed before it.
func (r *Renderer) placeCounts(vp viewport, v *View, marks []mark) {
	squares := newObstacles(vp.width, vp.height)
	for _, b := range v.Bases {
		x, y := vp.px(b.Point)
		squares.add(centred(x, y, 7)) // the square drawn and its rim
	}
	free := func(b box) bool { return !squares.hits(b) }
	var moved []int
	for i := range marks {
		m := &marks[i]
		if m.inc != nil {
			continue
		}
		m.countX, m.countY = m.x, m.y+4
		if free(r.countBox(vp, *m)) {
			continue
		}
		// The place nearest the centre, inside the disc, that no base
		// covers: tried in steps of 2 px.
		rad := clusterRadius(m.count) - 1
		type try struct{ dx, dy float64 }
		var tries []try
		for dy := -rad; dy <= rad; dy += 2 {
			for dx := -rad; dx <= rad; dx += 2 {
				tries = append(tries, try{dx, dy})
			}
		}
		slices.SortStableFunc(tries, func(a, b try) int {
			return cmp.Compare(math.Hypot(a.dx, a.dy), math.Hypot(b.dx, b.dy))
		})
		found := false
		for _, t := range tries {
			c := *m
			c.countX, c.countY = m.x+t.dx, m.y+4+t.dy
			b := r.countBox(vp, c)
			// Inside the disc: its corners within the radius.
			in := math.Hypot(math.Max(math.Abs(b.x0-m.x), math.Abs(b.x1-m.x)), math.Max(math.Abs(b.y0-m.y), math.Abs(b.y1-m.y))) <= rad
			if in && free(b) {
				m.countX, m.countY = c.countX, c.countY
				found = true
				break
			}
		}
		if !found {
			moved = append(moved, i)
		}
	}
	if len(moved) == 0 {
		return
	}
	// Beside the disc, the count must also clear the other marks (a disc
	// drawn after it would cover it) and the counts placed so far.
	others := newObstacles(vp.width, vp.height)
	owner := []int{}
	for i, m := range marks {
		others.add(m.box())
		owner = append(owner, i)
	}
	for i, m := range marks {
		if m.inc == nil && !slices.Contains(moved, i) {
			others.add(r.countArea(vp, m))
			owner = append(owner, i)
		}
	}
	clear := func(i int, b box) bool {
		cx0, cy0, cx1, cy1 := others.cellRange(b)
		for cy := cy0; cy <= cy1; cy++ {
			for cx := cx0; cx <= cx1; cx++ {
				for _, k := range others.cells[cy*others.cols+cx] {
					if owner[k] != i && others.boxes[k].overlaps(b) {
						return false
					}
				}
			}
		}
		return true
	}
	img := box{0, 0, vp.width, vp.height}
	asc := r.face(clusterStyle).Metrics().Ascent
	for _, i := range moved {
		m := &marks[i]
		c := *m
		c.pill = true
		text := r.countBox(vp, *m)
		w, h := text.w()+2*pillPad, text.h()+2*pillPad
		for _, s := range besideSpots(w, h, clusterRadius(m.count)+1) {
			// s is the pill's centre from the disc's; the count's baseline
			// sits asc below the text's top.
			c.countX = m.x + s.x
			c.countY = m.y + s.y - h/2 + pillPad + asc
			b := r.countArea(vp, c)
			if b.inside(img) && free(b) && clear(i, b) {
				m.countX, m.countY, m.pill = c.countX, c.countY, true
				others.add(b)
				owner = append(owner, i)
				break
			}
		}
	}
}

// besideSpots are the centres, from a disc's centre, of a w×h pill just
// clear of a disc of radius rad: right, left, above, below, then at the
// corners; then the same 10 px farther out.
func besideSpots(w, h, rad float64) []pt {
	var out []pt
	for _, k := range []float64{2, 12} {
		dx, dy := rad+k+w/2, rad+k+h/2
		// A corner's pill clears the disc when its near corner does.
		cx, cy := (rad+k)/math.Sqrt2+w/2, (rad+k)/math.Sqrt2+h/2
		out = append(out,
			pt{dx, 0}, pt{-dx, 0}, pt{0, -dy}, pt{0, dy},
			pt{cx, -cy}, pt{-cx, -cy}, pt{cx, cy}, pt{-cx, cy})
	}
	return out
}

// drawPill paints the pill a moved count is written on: the disc's blue
// with a white rim, its ends rounded, as on the map page.
func drawPill(s surface, b box) {
	rr := b.h() / 2
	var pts []pt
	pts = append(pts, circlePoints(b.x1-rr, b.y0+rr, rr, -math.Pi/2, math.Pi/2, 12)...)
	pts = append(pts, circlePoints(b.x0+rr, b.y0+rr, rr, math.Pi/2, 3*math.Pi/2, 12)...)
	s.path([]subpath{{pts: pts, closed: true}}, style{fill: colCluster, stroke: colWhite, width: 1.5})
}

// discGap is the least distance in pixels between two clusters' discs,
// as on the map page: their white rims just touch.
const discGap = 2

// clusterTitle names a cluster by its place and count, as the map page's
// cluster buttons do: "Near Ain al-Asad: 1,234 incidents".
func clusterTitle(m mark) string {
	n := GroupDigits(m.count)
	switch {
	case m.near == "":
		return n + " incidents"
	case m.nearKm <= 30:
		return fmt.Sprintf("Near %s: %s incidents", m.near, n)
	}
	return fmt.Sprintf("%s km from %s: %s incidents", GroupDigits(m.nearKm), m.near, n)
}

// box is the part of the image the mark covers.
func (m mark) box() box {
	if m.inc == nil {
		return centred(m.x, m.y, clusterRadius(m.count)+1)
	}
	if slices.ContainsFunc(append([]*geo.Incident{m.inc}, m.members...), func(inc *geo.Incident) bool { return len(inc.Disputed) > 0 }) {
		return centred(m.x, m.y, 20*0.62+0.75)
	}
	return centred(m.x, m.y, 10)
}

// clusterRadius is the radius of a cluster's circle, as on the map page.
func clusterRadius(count int) float64 { return cluster.DiscRadius(count) }

// clusterText is the count written in a cluster's circle, as on the map
// page (clusterCountText): 7,380, 12k for 12,345 and 1.3M for 1,250,000.
func clusterText(count int) string {
	if count >= 999500 {
		return strconv.FormatFloat(math.Round(float64(count)/100000)/10, 'f', -1, 64) + "M"
	}
	if count >= 10000 {
		return fmt.Sprintf("%dk", int(math.Round(float64(count)/1000)))
	}
	return GroupDigits(count)
}

// placeMarks places the view's incidents, each at its place, those that
// share a place stacked there, as the page does; or its clusters.
func placeMarks(vp viewport, v *View) []mark {
	var out []mark
	if v.Clusters != nil {
		// Clusters whose discs would overlap are drawn as one, as on the
		// map page (cluster.Declutter); lone incidents keep their symbol.
		var discs []cluster.Disc
		var of []Cluster
		for _, c := range v.Clusters {
			x, y := vp.px(c.Point)
			if c.Count == 1 && c.Incident != nil {
				out = append(out, mark{x: x, y: y, inc: c.Incident, count: 1})
				continue
			}
			discs = append(discs, cluster.Disc{X: x, Y: y, Count: c.Count})
			of = append(of, c)
		}
		// The largest first (Declutter's order), so that a lone incident
		// beside a cluster is drawn over it and stays readable.
		var discMarks []mark
		for _, g := range cluster.Declutter(discs, discGap) {
			named := of[g.Members[0]] // the biggest names the group, as on the page
			discMarks = append(discMarks, mark{x: g.X, y: g.Y, count: g.Count, near: named.Near, nearKm: named.NearKm})
		}
		return append(discMarks, out...)
	}
	// Incidents that share a place, or sit on a base's point (where the
	// base's symbol, drawn above them, would hide one), are a stack, as on
	// the map page.
	type key struct{ x, y float64 }
	groups := map[key][]*geo.Incident{}
	var order []key
	for _, inc := range v.Incidents {
		k := key{inc.Point[0], inc.Point[1]}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], inc)
	}
	for _, k := range order {
		group := groups[k]
		x, y := vp.px(group[0].Point)
		m := mark{x: x, y: y, inc: group[0], count: 1}
		if len(group) > 1 || slices.ContainsFunc(group, func(inc *geo.Incident) bool { return inc.LocationPrecision == geo.PrecisionBase }) {
			m.members = group
		}
		out = append(out, m)
	}
	return out
}

// drawMarks paints the incidents' symbols and the clusters' circles.
func (r *Renderer) drawMarks(s surface, vp viewport, marks []mark) {
	s.group("incidents", "", "")
	for _, m := range marks {
		if m.inc == nil {
			rad := clusterRadius(m.count)
			s.group("cluster", "", clusterTitle(m))
			// A white disc under a blue one, as the page's white rim: two
			// fills rasterize several times faster than a stroke.
			s.path([]subpath{{pts: circlePoints(m.x, m.y, rad+1, 0, 2*math.Pi, 40), closed: true}}, style{fill: colWhite})
			s.path([]subpath{{pts: circlePoints(m.x, m.y, rad-1, 0, 2*math.Pi, 40), closed: true}}, style{fill: colCluster, fillOpacity: 0.85})
			// A cluster at the image's edge keeps its count inside.
			b := r.countBox(vp, m)
			if m.pill {
				drawPill(s, b.pad(pillPad))
			}
			s.text((b.x0+b.x1)/2, math.Max(14, math.Min(m.countY, vp.height-4)), clusterText(m.count), clusterStyle)
			s.end()
			continue
		}
		members := m.members
		if len(members) == 0 {
			members = []*geo.Incident{m.inc}
		}
		// A stack's first incident is drawn last, on top.
		for i := len(members) - 1; i >= 0; i-- {
			inc := members[i]
			title := fmt.Sprintf("%s %s attack (%s), %s", inc.Date, strings.ToLower(inc.Weapon.Label()), inc.Status, inc.ID)
			disputed := len(inc.Disputed) > 0
			symbol := func(s surface, x, y float64) { drawSymbol(s, x, y, 20, inc.Weapon, inc.Status, disputed) }
			s.group("incident", inc.ID, title)
			if st, ok := s.(stamper); !ok || !st.stamp(m.x, m.y, symbolKey{inc.Weapon, inc.Status, disputed}, symbol) {
				symbol(s, m.x, m.y)
			}
			s.end()
		}
	}
	s.end()
}

var (
	labelStyle   = textStyle{size: 12, bold: true, colour: colBase}
	clusterStyle = textStyle{size: 11, bold: true, colour: colWhite, anchor: "middle"}
)

const (
	labelPad    = 4.0  // between a label's box and its text
	labelHeight = 16.0 // of a label's box
	labelLineH  = 14.0 // from a two-line label's first line to its second
)

// splitLines splits a name in two lines at the space nearest its middle,
// or returns nil for a name of one word.
func splitLines(s string) []string {
	at := -1
	for i, c := range s {
		if c == ' ' && (at < 0 || math.Abs(float64(i)-float64(len(s))/2) < math.Abs(float64(at)-float64(len(s))/2)) {
			at = i
		}
	}
	if at < 0 {
		return nil
	}
	return []string{s[:at], s[at+1:]}
}

// label is where a base's name goes, and which name: the full one or the
// short one (geo.Base.Short); ok is false when no place was free.
type label struct {
	box      box
	baseline float64  // of the first line
	lines    []string // the name, on one line or two
	ok       bool
	route    []pt // the leader line from its base, nil when it is beside it
}

// labelGaps are the distances from a base's point to its label tried in
// turn, nearest first, and labelNear the farthest drawn with no leader
// line to its base: the map page's (web/static/js/map/maplabels.js).
var labelGaps = []float64{12, 32, 52, 76, 100}

// labelGapsFar are the distances tried when the page's leave a base
// unnamed: farther, rather than a label or a leader line across a disc or
// a count; out to the page's FAR (maplabels.js).
var labelGapsFar = []float64{12, 32, 52, 76, 100, 124, 150, 180, 220, 260}

const labelNear = 12 + 2 + 2

// labelSides are the positions tried round a base, in order of
// preference, as the page's SIDES (labels.js).
var labelSides = []string{"right", "left", "above", "below", "above-right", "below-right", "above-left", "below-left"}

// labelAt is the box of a w×h label gap pixels from (x, y) at side, as the
// page's labelBox.
func labelAt(x, y, w, h, gap float64, side string) box {
	var x0, y0 float64
	switch side {
	case "right":
		x0, y0 = x+gap, y-h/2
	case "left":
		x0, y0 = x-gap-w, y-h/2
	case "above":
		x0, y0 = x-w/2, y-gap-h
	case "below":
		x0, y0 = x-w/2, y+gap
	case "above-right":
		x0, y0 = x+gap*0.7, y-gap*0.7-h
	case "below-right":
		x0, y0 = x+gap*0.7, y+gap*0.7
	case "above-left":
		x0, y0 = x-gap*0.7-w, y-gap*0.7-h
	default: // below-left
		x0, y0 = x-gap*0.7-w, y+gap*0.7
	}
	return box{x0, y0, x0 + w, y0 + h}
}

// placeLabels names every base inside the image by the map page's rules:
// each label beside its base, or up to 100 px away with a leader line,
// inside the image and clear of the marks (an incident, a stack's badge,
// a cluster's count), the bases, the frame and the labels placed before
// it; when a full name finds no room (twelve sites on a phone), every base
// takes its short name. A label that still finds no room is left out; the
// base keeps its name as its title.
func (r *Renderer) placeLabels(vp viewport, v *View, marks []mark, fr frameLayout) []label {
	if len(v.Bases) == 0 {
		return nil
	}
	img := box{0, 0, v.Width, v.Height}.pad(-2)
	obs := newObstacles(v.Width, v.Height)
	badges := newObstacles(v.Width, v.Height) // the stacks' counts
	// The clusters' discs, as drawn (round, their white rim included): no
	// label lies on one, and no leader line crosses one but the disc its
	// own base sits on, which it must leave. Before, a label could cover
	// all of a disc but its count, and a leader line cross any disc.
	discs := newDiscs(v.Width, v.Height)
	for _, m := range marks {
		b := m.box()
		if m.inc == nil {
			discs.add(m.x, m.y, clusterRadius(m.count)+1)
			b = r.countArea(vp, m).pad(1)
		}
		if b.overlaps(img) {
			obs.add(b)
		}
		if m.badged {
			badges.add(m.badge.pad(1))
		}
	}
	for _, b := range v.Bases {
		x, y := vp.px(b.Point)
		obs.add(centred(x, y, 9.5))
	}
	// A strike's crosshair, drawn over the labels, would cover a name.
	for _, st := range v.Strikes {
		x, y := vp.px(st.Point)
		obs.add(centred(x, y, 10))
	}
	for _, b := range fr.boxes() {
		obs.add(b.pad(2))
	}
	met := r.face(labelStyle).Metrics()
	// place names the bases in the data's order, as on the page, base i
	// trying its places from the from[i]th; far lets a label go farther
	// from its base than the page's labels do, the last resort: a leader
	// line never crosses a stack's count, which would read as the number
	// struck through. It returns the labels, the bases left unnamed and
	// the place each named base took.
	place := func(short, far bool, from []int) ([]label, []int, []int) {
		gaps := labelGaps
		if far {
			gaps = labelGapsFar
		}
		out := make([]label, len(v.Bases))
		took := make([]int, len(v.Bases))
		placed := newObstacles(v.Width, v.Height)
		var missed []int
		for i, b := range v.Bases {
			x, y := vp.px(b.Point)
			if !centred(x, y, 9).inside(img) {
				continue // a base outside the image is not named in it
			}
			// The discs under the base's square, which its leader leaves.
			own := func(d disc) bool { return math.Hypot(d.x-x, d.y-y) < d.r+9.5 }
			text := b.Name
			if short {
				text = b.Short()
			}
			// The name on one line, then, as the page does for a long
			// name with no room, on two.
			sizes := [][]string{{text}}
			if two := splitLines(text); two != nil {
				sizes = append(sizes, two)
			}
			per := len(gaps) * len(labelSides)
			found := false
			for k := from[i]; k < len(sizes)*per && !found; k++ {
				lines := sizes[k/per]
				w := r.maxWidth(lines, labelStyle) + 2*labelPad
				h := labelHeight + float64(len(lines)-1)*labelLineH
				c := labelAt(x, y, w, h, gaps[k%per/len(labelSides)], labelSides[k%len(labelSides)])
				if !c.inside(img) || obs.hits(c.pad(1)) || badges.hits(c.pad(1)) || placed.hits(c.pad(1)) || discs.hits(c.pad(1), nil) {
					continue
				}
				l := label{box: c, baseline: c.y0 + (labelHeight+met.Ascent-met.Descent)/2, lines: lines, ok: true}
				// A leader line crosses no mark, no other label and no
				// count, not even the badge of the stack on its own base;
				// it bends round one when the straight line would not.
				var line []box
				routed := false
				for _, route := range leaderRoutes(x, y, l) {
					line = routeBoxes(x, y, route, 3, true)
					if !slices.ContainsFunc(line, func(b box) bool { return obs.hits(b) || placed.hits(b) || discs.hits(b, own) }) &&
						!slices.ContainsFunc(routeBoxes(x, y, route, 1, false), badges.hits) {
						l.route, routed = route, true
						break
					}
				}
				if !routed {
					continue
				}
				out[i], took[i], found = l, k, true
				placed.add(c)
				for _, b := range line {
					placed.add(b)
				}
			}
			if !found {
				missed = append(missed, i)
			}
		}
		return out, missed, took
	}
	// best places the labels, then, while a base is left unnamed (MSS
	// Euphrates between Green Village and Shaddadi on a phone), moves a
	// named base's label to its next place when that names more.
	best := func(short, far bool) ([]label, []int) {
		from := make([]int, len(v.Bases))
		out, missed, took := place(short, far, from)
		for round := 0; round < 8 && len(missed) > 0; round++ {
			better := false
			for j := range v.Bases {
				if !out[j].ok {
					continue
				}
				f := slices.Clone(from)
				f[j] = took[j] + 1
				if o, m, t := place(short, far, f); len(m) < len(missed) {
					out, missed, took, from, better = o, m, t, f, true
					break
				}
			}
			if !better {
				break
			}
		}
		return out, missed
	}
	out, missed := best(false, false)
	short := slices.ContainsFunc(v.Bases, func(b *geo.Base) bool { return b.Short() != b.Name })
	if len(missed) > 0 && short {
		out, missed = best(true, false)
	}
	if len(missed) > 0 {
		if o, m := best(short, true); len(m) < len(missed) {
			out = o
		}
	}
	return out
}

// routeBoxes are small boxes along a leader line's route from a base at
// (x, y), every step pixels: what the line covers. With skipNear, those
// over the base's own square or the stack under it are left out (a leader
// starts there); a stack's count beside the base is not.
func routeBoxes(x, y float64, route []pt, step float64, skipNear bool) []box {
	var out []box
	for i := 1; i < len(route); i++ {
		a, b := route[i-1], route[i]
		d := math.Hypot(b.x-a.x, b.y-a.y)
		for k := 0.0; k <= d; k += step {
			px, py := a.x+(b.x-a.x)*k/d, a.y+(b.y-a.y)*k/d
			if skipNear && math.Hypot(px-x, py-y) <= 15 {
				continue
			}
			out = append(out, centred(px, py, 0.75))
		}
	}
	return out
}

// leaderRoutes are the lines a base at (x, y) may be joined to its label
// l by, in order of preference: none for a label beside its base; else
// straight from the symbol's edge to the nearest point of the label, as on
// the page; then bent once, leaving the symbol in one of eight directions
// to a knee clear of the stack round the base (and its count) and going
// on to the label's nearest point, for when the straight line would cross
// a count.
func leaderRoutes(x, y float64, l label) [][]pt {
	straight, ok := leader(x, y, pt{x, y}, l)
	if !ok {
		return [][]pt{nil}
	}
	routes := [][]pt{straight}
	for k := range 8 {
		a := float64(k) * math.Pi / 4
		cx, cy := math.Cos(a), math.Sin(a)
		knee := pt{x + kneeDistance*cx, y + kneeDistance*cy}
		if rest, ok := leader(knee.x, knee.y, knee, l); ok && !knee.inBox(l.box) {
			routes = append(routes, []pt{{x + 9*cx, y + 9*cy}, knee, rest[1]})
		}
	}
	return routes
}

// kneeDistance is how far from its base a bent leader line turns: past a
// stack's count badge (its far edge is some 22 px from the stack's centre).
const kneeDistance = 26

// leader is the straight line from start (a base's symbol's edge, 9 px
// from its centre (x, y), or a knee) to the nearest point of its label,
// when the label had to go past the marks round it, as on the page; ok is
// false for a label beside its base.
func leader(x, y float64, start pt, l label) ([]pt, bool) {
	tx := math.Min(math.Max(x, l.box.x0), l.box.x1)
	ty := math.Min(math.Max(y, l.box.y0), l.box.y1)
	d := math.Hypot(tx-x, ty-y)
	if start.x == x && start.y == y {
		if d <= labelNear || d <= 9 {
			return nil, false
		}
		start = pt{x + (tx-x)/d*9, y + (ty-y)/d*9}
	} else if d < 2 {
		return nil, false
	}
	return []pt{start, {tx, ty}}, true
}

func (p pt) inBox(b box) bool { return p.x >= b.x0 && p.x <= b.x1 && p.y >= b.y0 && p.y <= b.y1 }

// nameObstacles are what the basemap's names must not cover: every mark
// whole (a cluster's disc, not only its count), the bases, their labels,
// the strikes and the frame.
func (r *Renderer) nameObstacles(vp viewport, v *View, marks []mark, fr frameLayout, labels []label) *obstacles {
	obs := newObstacles(v.Width, v.Height)
	for _, m := range marks {
		obs.add(m.box())
		if m.badged {
			obs.add(m.badge)
		}
	}
	for i, b := range v.Bases {
		x, y := vp.px(b.Point)
		obs.add(centred(x, y, 9.5))
		if i < len(labels) && labels[i].ok {
			obs.add(labels[i].box)
			for j := 1; j < len(labels[i].route); j++ {
				from, to := labels[i].route[j-1], labels[i].route[j]
				obs.add(box{math.Min(from.x, to.x), math.Min(from.y, to.y), math.Max(from.x, to.x), math.Max(from.y, to.y)})
			}
		}
	}
	for _, st := range v.Strikes {
		x, y := vp.px(st.Point)
		obs.add(centred(x, y, 10))
	}
	for _, b := range fr.boxes() {
		obs.add(b.pad(2))
	}
	return obs
}

// distance returns how far (x, y) is from the nearest point of b.
func distance(b box, x, y float64) float64 {
	dx := math.Max(0, math.Max(b.x0-x, x-b.x1))
	dy := math.Max(0, math.Max(b.y0-y, y-b.y1))
	return math.Hypot(dx, dy)
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
