package mapimage

// style is how a path is painted. Empty colours paint nothing.
type style struct {
	fill, stroke string
	width        float64
	dash         []float64
	fillOpacity  float64 // 0 means opaque
}

// subpath is one ring or line of a path.
type subpath struct {
	pts    []pt
	closed bool
}

// textStyle is how a line of text is set.
type textStyle struct {
	size   float64 // pixels
	bold   bool
	colour string
	anchor string // "start", "middle" or "end"
	halo   string // a colour round the letters, so they read over anything
}

// surface is what the drawing paints on: SVG, PNG or PDF.
type surface interface {
	// group starts a named group of marks (an SVG <g>); title, when not
	// empty, describes it for a reader.
	group(class, id, title string)
	end()
	path(sub []subpath, st style)
	text(x, y float64, s string, st textStyle)
}
