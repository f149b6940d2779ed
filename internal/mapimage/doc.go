// Package mapimage draws a map view (basemap, range rings, bases, incidents,
// legend, scale bar, title and attribution) as SVG, PNG or PDF, for reports.
// It uses the same Web Mercator projection and the same symbols as the map
// page, so an exported image matches what a person saw.
//
// One drawing function paints onto a small surface interface; a hand-written
// SVG surface keeps the SVG semantic (a group with an id and a title per
// incident, no embedded fonts or style elements, so it holds under a strict
// Content-Security-Policy), and a github.com/tdewolff/canvas surface renders
// PNG and PDF with the Go fonts embedded in the binary.
package mapimage
