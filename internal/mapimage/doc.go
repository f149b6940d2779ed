// Package mapimage draws a map view (basemap, range rings, bases, incidents,
// legend, scale bar, title and attribution) as SVG, PNG or PDF, for reports.
// It uses the same Web Mercator projection and the same symbols as the map
// page, so an exported image matches what a person saw.
//
// One drawing function paints onto a small surface interface; a hand-written
// SVG surface keeps the SVG semantic (a group with an id and a title per
// incident, no embedded fonts or style elements, so it holds under a strict
// Content-Security-Policy; each text held to its length in Go, so it fits
// its box in any font). The PNG is rasterized with golang.org/x/image/vector
// (lines stroked by stroke.go, text as the Go fonts' glyphs read with
// golang.org/x/image/font/sfnt), and the PDF written with
// codeberg.org/go-pdf/fpdf with the same Go fonts embedded: the widths the
// layout measures are the advances every format draws.
//
// Everything is placed before it is drawn: the title and caption wrap, the
// legend and scale bar take a free place, and each base's label goes where
// it covers no mark, label or part of the frame, or is left out.
package mapimage
