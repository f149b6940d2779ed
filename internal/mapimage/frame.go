package mapimage

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/paulmach/orb"

	"strikemap/internal/geo"
)

var (
	titleStyle  = textStyle{size: 18, bold: true, colour: colText}
	smallStyle  = textStyle{size: 11, colour: colMuted}
	legendStyle = textStyle{size: 11, colour: colText}
	scaleStyle  = textStyle{size: 10, colour: colText, anchor: "middle"}
)

const (
	margin       = 10.0 // between the frame's boxes and the image's edge
	titlePad     = 10.0
	titleLineH   = 22.0
	captionLineH = 15.0
	attrLineH    = 14.0
	legendRowH   = 17.0
)

// frameLayout is where the title, legend, scale bar and attribution go.
// The attribution and the title always fit: they wrap, and the title is
// cut short with an ellipsis when the image is too low for all of it. The
// legend and the scale bar take the first free place of a few, and are
// left out when none is free.
type frameLayout struct {
	title                    box
	titleLines, captionLines []string

	legend     box
	legendRows []legendRow
	legendCols int
	hasLegend  bool
	// band is a strip across the image's foot, below the map, that holds
	// the legend when no place over the map is free of marks (a phone's
	// narrow image of a busy view): the map is framed above it.
	band    box
	hasBand bool

	scale            box
	scaleKm, scalePx float64
	hasScale         bool

	attribution box
	attrLines   []string
}

// boxes returns the parts of the image the frame covers.
func (fr frameLayout) boxes() []box {
	out := []box{fr.attribution}
	if len(fr.titleLines)+len(fr.captionLines) > 0 {
		out = append(out, fr.title)
	}
	if fr.hasLegend {
		out = append(out, fr.legend)
	}
	if fr.hasBand {
		out = append(out, fr.band)
	}
	if fr.hasScale {
		out = append(out, fr.scale)
	}
	return out
}

// legendRow is one line of the legend: a symbol and what it means.
type legendRow struct {
	kind   string // base, symbol, disputed, strike, cluster, density
	weapon geo.Weapon
	status geo.Status
	max    int // the density's largest count
	text   string
}

// legendRows lists what the image shows, and only that.
func legendRows(v *View, marks []mark, density []hexBin) []legendRow {
	var rows []legendRow
	if len(v.Bases) > 0 {
		rows = append(rows, legendRow{kind: "base", text: "Base"})
	}
	weapons, statuses := map[geo.Weapon]bool{}, map[geo.Status]bool{}
	disputed, clusters := false, false
	least, most := 0, 0
	for _, m := range marks {
		if m.inc == nil {
			if !clusters || m.count < least {
				least = m.count
			}
			most = max(most, m.count)
			clusters = true
			continue
		}
		for _, inc := range append([]*geo.Incident{m.inc}, m.members...) {
			weapons[inc.Weapon] = true
			statuses[inc.Status] = true
			disputed = disputed || len(inc.Disputed) > 0
		}
	}
	if clusters {
		// The counts' range in view, and that a disc's size grows with its
		// count: at 200,000 incidents the discs are the whole map, and a
		// reader saw ~50 alike blue discs with no scale.
		text := "Cluster: number of incidents"
		if most > least {
			text = fmt.Sprintf("Cluster: %s–%s incidents, by size", GroupDigits(least), GroupDigits(most))
		}
		rows = append(rows, legendRow{kind: "cluster", text: text})
	}
	for _, w := range []geo.Weapon{geo.WeaponDrone, geo.WeaponRocket, geo.WeaponMissile, geo.WeaponUnknown} {
		if weapons[w] {
			rows = append(rows, legendRow{kind: "symbol", weapon: w, status: geo.StatusConfirmed, text: w.Label()})
		}
	}
	for _, st := range []struct {
		status geo.Status
		text   string
	}{
		{geo.StatusConfirmed, "Filled: confirmed (official)"},
		{geo.StatusReported, "Half: reported (media, monitor)"},
		{geo.StatusClaimed, "Hollow: claimed only"},
	} {
		if statuses[st.status] {
			rows = append(rows, legendRow{kind: "symbol", weapon: geo.WeaponUnknown, status: st.status, text: st.text})
		}
	}
	if disputed {
		rows = append(rows, legendRow{kind: "disputed", text: "Red ring: sources disagree"})
	}
	if len(v.Strikes) > 0 {
		rows = append(rows, legendRow{kind: "strike", text: "US strike in response"})
	}
	if v.Density != nil {
		most := 0
		for _, b := range density {
			most = max(most, b.count)
		}
		text := "Density: no incidents in view"
		if most > 0 {
			text = "Incidents per hexagon, 1 to " + GroupDigits(most)
		}
		rows = append(rows, legendRow{kind: "density", max: most, text: text})
	}
	return rows
}

// legendSize is the size of the legend's box with rows in cols columns.
func (r *Renderer) legendSize(rows []legendRow, cols int) (colW, w, h float64) {
	for _, row := range rows {
		colW = math.Max(colW, r.textWidth(row.text, legendStyle)+legendTextX(row))
	}
	colW += 10
	perCol := (len(rows) + cols - 1) / cols
	return colW, colW * float64(cols), legendRowH*float64(perCol) + 12
}

// legendTextX is how far right of its column a row's text starts.
func legendTextX(row legendRow) float64 {
	if row.kind == "density" {
		return 8 + 6*densitySwatch + 6
	}
	return 30
}

// layoutFrame places the attribution (bottom right), the title and caption
// (top left), the legend with rows, and, given a viewport, the scale bar,
// none over another. A map that stays where it was asked to be (not
// fitted) keeps the legend off its marks: it goes where it covers none,
// or, with band (or where no place is free of them), in a band below the
// map.
func (r *Renderer) layoutFrame(v *View, rows []legendRow, vp *viewport, marks []mark, band bool) frameLayout {
	var fr frameLayout
	W, H := v.Width, v.Height
	img := box{0, 0, W, H}

	attribution := "Data: strikemap"
	if v.Version != "" {
		attribution += " (dataset " + v.Version + ")"
	}
	credit := v.credit
	if credit == "" {
		credit = defaultCredit
	}
	fr.attrLines = r.wrapParts([]string{attribution + ", sources on each incident", credit}, " · ", smallStyle, W-2*margin)
	aw := r.maxWidth(fr.attrLines, smallStyle) + 12
	ah := attrLineH*float64(len(fr.attrLines)) + 5
	fr.attribution = box{W - aw, H - ah, W, H}

	if v.Title != "" || v.Caption != "" {
		textW := W - 2*margin - 2*titlePad
		room := fr.attribution.y0 - 2*margin // the most the title's box may take
		titleLines, captionLines := 3, 4
		for {
			fr.titleLines = r.wrap(v.Title, titleStyle, textW, titleLines)
			fr.captionLines = r.wrap(v.Caption, smallStyle, textW, captionLines)
			h := titleBoxHeight(len(fr.titleLines), len(fr.captionLines))
			if h <= room || (titleLines <= 1 && captionLines <= 1) {
				break
			}
			if captionLines > 1 {
				captionLines--
			} else {
				titleLines--
			}
		}
		w := math.Max(r.maxWidth(fr.titleLines, titleStyle), r.maxWidth(fr.captionLines, smallStyle)) + 2*titlePad
		fr.title = box{margin, margin, margin + w, margin + titleBoxHeight(len(fr.titleLines), len(fr.captionLines))}
	}
	placed := fr.boxes()
	free := func(b box) bool {
		if !b.inside(img.pad(-margin + 4)) {
			return false
		}
		for _, p := range placed {
			if b.overlaps(p.pad(4)) {
				return false
			}
		}
		return true
	}

	// The legend goes at the bottom left or the top right, in one column or
	// two: the first place free, or for a fitted map the one that leaves it
	// the most room. Where it would leave a fitted map less than a fifth of
	// the image, it is left out.
	fr.legendRows = rows
	best, bestArea := fr, W*H/5
	coversMark := func(b box) bool {
		return slices.ContainsFunc(marks, func(m mark) bool { return m.box().overlaps(b) })
	}
	for _, c := range []struct {
		cols int
		top  bool
	}{{1, false}, {2, false}, {1, true}, {2, true}} {
		if c.cols > len(rows) || band {
			continue
		}
		_, w, h := r.legendSize(rows, c.cols)
		b := box{margin, fr.attribution.y0 - 6 - h, margin + w, fr.attribution.y0 - 6}
		if c.top {
			b = box{W - margin - w, margin, W - margin, margin + h}
		}
		if !free(b) || (!v.Fit && coversMark(b)) {
			continue
		}
		try := fr
		try.legend, try.legendCols, try.hasLegend = b, c.cols, true
		if !v.Fit {
			best = try // the map stays where it was asked to be
			break
		}
		if f := try.free(v); f.w() > 0 && f.h() > 0 && f.w()*f.h() > bestArea {
			best, bestArea = try, f.w()*f.h()
		}
	}
	fr = best
	if !v.Fit && len(rows) > 0 && (band || (!fr.hasLegend && len(marks) > 0)) {
		// The band: the legend in one column (two where they fit) at its
		// left, above the attribution, the map framed above the band. It
		// is left out where it would take more than a third of the image.
		cols := 1
		if _, w, _ := r.legendSize(rows, 2); len(rows) > 1 && w <= W-2*margin {
			cols = 2
		}
		_, w, h := r.legendSize(rows, cols)
		top := fr.attribution.y0 - 6 - h - 6
		if len(fr.titleLines)+len(fr.captionLines) > 0 {
			top = math.Max(top, fr.title.y1+6)
		}
		if w <= W-2*margin && H-top <= H/3 {
			fr.band, fr.hasBand = box{0, top, W, H}, true
			fr.legend, fr.legendCols, fr.hasLegend = box{margin, top + 6, margin + w, top + 6 + h}, cols, true
		}
	}
	if fr.hasLegend {
		placed = append(placed, fr.legend)
	}

	if vp == nil {
		return fr
	}
	// The scale bar: a round number of kilometres, about 100 px, measured
	// at the image's centre.
	const half = math.Pi * orb.EarthRadius
	my := half - vp.cy/vp.worldPx*2*half
	lat := (2*math.Atan(math.Exp(my/orb.EarthRadius)) - math.Pi/2) * 180 / math.Pi
	mpp := vp.metresPerPixel(lat)
	fr.scaleKm = niceNumber(math.Min(100, W/4) * mpp / 1000)
	fr.scalePx = fr.scaleKm * 1000 / mpp
	sw, sh := fr.scalePx+16, 22.0
	for _, b := range []box{
		{W - margin - sw, fr.attribution.y0 - 6 - sh, W - margin, fr.attribution.y0 - 6},
		{margin, fr.attribution.y0 - 6 - sh, margin + sw, fr.attribution.y0 - 6},
		{W - margin - sw, margin, W - margin, margin + sh},
	} {
		if free(b) {
			fr.scale, fr.hasScale = b, true
			break
		}
	}
	return fr
}

// free returns the part of the image a fitted map frames its data in: below
// the title, above the attribution, beside or above the legend, with room
// for the labels on the right.
func (fr frameLayout) free(v *View) box {
	f := box{margin, margin, v.Width - margin, fr.attribution.y0 - 6}
	if len(fr.titleLines)+len(fr.captionLines) > 0 {
		f.y0 = fr.title.y1 + 6
	}
	if fr.hasLegend {
		l := fr.legend
		switch {
		case l.y0 > v.Height/2 && f.x1-l.x1 >= v.Width/2:
			f.x0 = l.x1 + 6 // beside a legend at the bottom left
		case l.y0 > v.Height/2:
			f.y1 = math.Min(f.y1, l.y0-6)
		case l.x0-f.x0 >= v.Width/2:
			f.x1 = l.x0 - 6 // beside a legend at the top right
		default:
			f.y0 = math.Max(f.y0, l.y1+6)
		}
	}
	// Room for the marks spread round a base, and for labels on the right.
	f = box{f.x0 + 24, f.y0 + 24, f.x1 - 24 - math.Min(150, f.w()/4), f.y1 - 24}
	return f
}

// viewport returns v's viewport: with Fit, the view that frames its data in
// what the frame leaves free.
func (r *Renderer) viewport(v *View) viewport {
	if !v.Fit {
		return newViewport(v)
	}
	var rows []legendRow
	if v.Legend {
		rows = legendRows(v, markKinds(v), nil)
	}
	return newViewportIn(v, r.layoutFrame(v, rows, nil, nil, false).free(v))
}

// markKinds returns v's marks, unplaced: what the legend lists.
func markKinds(v *View) []mark {
	var out []mark
	if v.Clusters != nil {
		for _, c := range v.Clusters {
			if c.Count == 1 && c.Incident != nil {
				out = append(out, mark{inc: c.Incident, count: 1})
			} else {
				out = append(out, mark{count: c.Count})
			}
		}
		return out
	}
	for _, inc := range v.Incidents {
		out = append(out, mark{inc: inc, count: 1})
	}
	return out
}

func titleBoxHeight(titleLines, captionLines int) float64 {
	return 2*titlePad - 2 + titleLineH*float64(titleLines) + captionLineH*float64(captionLines)
}

// drawFrame paints the title, the legend, the scale bar and the
// attribution where layoutFrame put them.
func (r *Renderer) drawFrame(s surface, v *View, fr frameLayout) {
	s.group("title", "", "")
	if len(fr.titleLines)+len(fr.captionLines) > 0 {
		s.path(fr.title.rect(), style{fill: colWhite, fillOpacity: 0.92, stroke: colBorder, width: 0.75})
		y := fr.title.y0 + titlePad - 1
		for _, l := range fr.titleLines {
			r.textLine(s, fr.title.x0+titlePad, y, titleLineH, l, titleStyle)
			y += titleLineH
		}
		for _, l := range fr.captionLines {
			r.textLine(s, fr.title.x0+titlePad, y, captionLineH, l, smallStyle)
			y += captionLineH
		}
	}
	s.end()
	if fr.hasBand {
		// Over the map's foot: the map's frame ends at its top edge.
		s.group("legend-band", "", "")
		s.path(fr.band.rect(), style{fill: colWhite})
		s.path([]subpath{{pts: []pt{{fr.band.x0, fr.band.y0}, {fr.band.x1, fr.band.y0}}}}, style{stroke: colBorder, width: 0.75})
		s.end()
	}
	if fr.hasLegend {
		r.drawLegend(s, fr)
	}
	if fr.hasScale {
		b := fr.scale
		x0, x1, y := b.x0+8, b.x0+8+fr.scalePx, b.y1-6
		s.group("scale", "", fmt.Sprintf("Scale bar: %s km", formatKm(fr.scaleKm)))
		s.path(b.rect(), style{fill: colWhite, fillOpacity: 0.85})
		s.path([]subpath{{pts: []pt{{x0, y - 5}, {x0, y}, {x1, y}, {x1, y - 5}}}}, style{stroke: colText, width: 1.5})
		s.text((x0+x1)/2, y-4, formatKm(fr.scaleKm)+" km", scaleStyle)
		s.end()
	}
	s.group("attribution", "", "")
	s.path(fr.attribution.rect(), style{fill: colWhite, fillOpacity: 0.85})
	st := smallStyle
	st.anchor = "end"
	y := fr.attribution.y0 + 2
	for _, l := range fr.attrLines {
		r.textLine(s, v.Width-6, y, attrLineH, l, st)
		y += attrLineH
	}
	s.end()
}

// textLine sets one line of text in a line box of height lineH whose top
// is at top, centred in it by the font's metrics.
func (r *Renderer) textLine(s surface, x, top, lineH float64, str string, st textStyle) {
	m := r.face(st).Metrics()
	s.text(x, top+(lineH+m.Ascent-m.Descent)/2, str, st)
}

func (r *Renderer) drawLegend(s surface, fr frameLayout) {
	colW, _, _ := r.legendSize(fr.legendRows, fr.legendCols)
	perCol := (len(fr.legendRows) + fr.legendCols - 1) / fr.legendCols
	s.group("legend", "", "Legend")
	s.path(fr.legend.rect(), style{fill: colWhite, fillOpacity: 0.92, stroke: colBorder, width: 0.75})
	for i, row := range fr.legendRows {
		x0 := fr.legend.x0 + colW*float64(i/perCol)
		top := fr.legend.y0 + 6 + legendRowH*float64(i%perCol)
		cx, cy := x0+16, top+legendRowH/2
		switch row.kind {
		case "base":
			s.path([]subpath{{pts: place(baseSquare, cx, cy, 14), closed: true}}, style{fill: colBase, stroke: colWhite, width: 1})
			s.path([]subpath{{pts: place(baseStar, cx, cy, 14), closed: true}}, style{fill: colWhite})
		case "symbol":
			drawSymbol(s, cx, cy, 14, row.weapon, row.status, false)
		case "disputed":
			s.path([]subpath{{pts: circlePoints(cx, cy, 7, 0, 2*math.Pi, 24), closed: true}}, style{stroke: colDisputed, width: 1.5})
		case "strike":
			drawCrosshair(s, cx, cy, 16)
		case "cluster":
			s.path([]subpath{{pts: circlePoints(cx, cy, 7, 0, 2*math.Pi, 24), closed: true}}, style{fill: colCluster, fillOpacity: 0.85, stroke: colWhite, width: 1})
		case "density":
			for k := range densityColours {
				x := x0 + 8 + densitySwatch*(float64(k)+0.5)
				s.path([]subpath{{pts: hexagon(x, cy, densitySwatch/math.Sqrt(3)), closed: true}}, style{fill: densityColours[k], fillOpacity: densityOpacity})
			}
		}
		r.textLine(s, x0+legendTextX(row), top, legendRowH, row.text, legendStyle)
	}
	s.end()
}

// GroupDigits writes n with a comma between groups of three digits, as the
// images' English captions do: 27,161. (The pages write counts with their
// catalog's digit grouping, catalog.Number.)
func GroupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
