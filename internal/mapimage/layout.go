package mapimage

import (
	"math"
	"strings"
	"unicode/utf8"
)

// box is an axis-aligned rectangle in image pixels, y down.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) w() float64 { return b.x1 - b.x0 }
func (b box) h() float64 { return b.y1 - b.y0 }

// overlaps reports whether a and b share more than an edge.
func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// inside reports whether a lies within b.
func (a box) inside(b box) bool {
	return a.x0 >= b.x0 && a.y0 >= b.y0 && a.x1 <= b.x1 && a.y1 <= b.y1
}

func (a box) pad(d float64) box { return box{a.x0 - d, a.y0 - d, a.x1 + d, a.y1 + d} }

func (a box) rect() []subpath {
	return []subpath{{pts: []pt{{a.x0, a.y0}, {a.x1, a.y0}, {a.x1, a.y1}, {a.x0, a.y1}}, closed: true}}
}

func centred(x, y, half float64) box { return box{x - half, y - half, x + half, y + half} }

// textBox returns the box a line of text set at (x, y) (its baseline,
// placed by st.anchor) covers, by the Go font's metrics: the font the PNG
// and PDF are set in, and the length every SVG <text> is held to.
func (r *Renderer) textBox(x, y float64, s string, st textStyle) box {
	w := r.textWidth(s, st)
	m := r.face(st).Metrics()
	switch st.anchor {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	return box{x, y - m.Ascent, x + w, y + m.Descent}
}

// wrap breaks s into lines no wider than width, at spaces where it can and
// inside a word that is wider than a line on its own. With maxLines > 0 it
// keeps that many lines, the last ending in an ellipsis if text was cut.
func (r *Renderer) wrap(s string, st textStyle, width float64, maxLines int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if r.textWidth(try, st) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		// A word too long for a line is cut where it must be.
		for r.textWidth(word, st) > width {
			n := r.fitRunes(word, st, width)
			lines = append(lines, word[:n])
			word = word[n:]
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	if maxLines > 0 && len(lines) > maxLines {
		last := lines[maxLines-1] + "…"
		for r.textWidth(last, st) > width && utf8.RuneCountInString(last) > 1 {
			_, size := utf8.DecodeLastRuneInString(strings.TrimSuffix(last, "…"))
			last = strings.TrimRight(last[:len(last)-len("…")-size], " ") + "…"
		}
		lines = append(lines[:maxLines-1], last)
	}
	return lines
}

// wrapParts sets parts (the data's credit, the basemap's) on lines no
// wider than width: joined by sep where they fit on one line, else each
// on lines of its own, so that a line never ends or starts with sep and
// reads as cut off.
func (r *Renderer) wrapParts(parts []string, sep string, st textStyle, width float64) []string {
	var lines []string
	for _, p := range parts {
		if n := len(lines); n > 0 && r.textWidth(lines[n-1]+sep+p, st) <= width {
			lines[n-1] += sep + p
			continue
		}
		lines = append(lines, r.wrap(p, st, width, 0)...)
	}
	return lines
}

// fitRunes returns the byte length of the longest prefix of word (at least
// one rune) no wider than width.
func (r *Renderer) fitRunes(word string, st textStyle, width float64) int {
	n := 0
	for i, c := range word {
		end := i + utf8.RuneLen(c)
		if n > 0 && r.textWidth(word[:end], st) > width {
			break
		}
		n = end
	}
	return n
}

// maxWidth returns the width of the widest of lines.
func (r *Renderer) maxWidth(lines []string, st textStyle) float64 {
	w := 0.0
	for _, l := range lines {
		w = math.Max(w, r.textWidth(l, st))
	}
	return w
}

// obstacles is a set of boxes that a label must not cover.
type obstacles struct {
	boxes []box
	// A coarse grid over the image, so that a label is checked against the
	// marks near it only.
	cell       float64
	cols, rows int
	cells      map[int][]int
}

// newObstacles makes an empty set for an image of w × h pixels.
func newObstacles(w, h float64) *obstacles {
	const cell = 64
	return &obstacles{cell: cell, cols: int(w/cell) + 3, rows: int(h/cell) + 3, cells: map[int][]int{}}
}

// cellRange returns the grid cells b touches, those outside the image
// folded into a border of cells round it.
func (o *obstacles) cellRange(b box) (int, int, int, int) {
	c := func(v float64, n int) int { return max(0, min(n-1, int(math.Floor(v/o.cell))+1)) }
	return c(b.x0, o.cols), c(b.y0, o.rows), c(b.x1, o.cols), c(b.y1, o.rows)
}

func (o *obstacles) add(b box) {
	i := len(o.boxes)
	o.boxes = append(o.boxes, b)
	cx0, cy0, cx1, cy1 := o.cellRange(b)
	for cy := cy0; cy <= cy1; cy++ {
		for cx := cx0; cx <= cx1; cx++ {
			k := cy*o.cols + cx
			o.cells[k] = append(o.cells[k], i)
		}
	}
}

func (o *obstacles) hits(b box) bool {
	cx0, cy0, cx1, cy1 := o.cellRange(b)
	for cy := cy0; cy <= cy1; cy++ {
		for cx := cx0; cx <= cx1; cx++ {
			for _, i := range o.cells[cy*o.cols+cx] {
				if o.boxes[i].overlaps(b) {
					return true
				}
			}
		}
	}
	return false
}

// disc is a cluster's circle as drawn: its centre and radius in pixels.
type disc struct{ x, y, r float64 }

// discs is a set of circles that a label must not cover, indexed by their
// boxes and checked as circles (a label may sit in the corner a disc's box
// leaves free).
type discs struct {
	index *obstacles
	all   []disc
}

func newDiscs(w, h float64) *discs { return &discs{index: newObstacles(w, h)} }

func (d *discs) add(x, y, r float64) {
	d.index.add(centred(x, y, r))
	d.all = append(d.all, disc{x, y, r})
}

// hits reports whether b covers part of a disc that skip (if any) does not
// leave out.
func (d *discs) hits(b box, skip func(disc) bool) bool {
	cx0, cy0, cx1, cy1 := d.index.cellRange(b)
	for cy := cy0; cy <= cy1; cy++ {
		for cx := cx0; cx <= cx1; cx++ {
			for _, i := range d.index.cells[cy*d.index.cols+cx] {
				c := d.all[i]
				if distance(b, c.x, c.y) < c.r && (skip == nil || !skip(c)) {
					return true
				}
			}
		}
	}
	return false
}
