// Package server is strikemap's HTTP face: routes, handlers, middleware and
// the translation of errors into responses. Handlers parse a request into a
// geo value (a Filter, a list of radii), ask geo, and write GeoJSON through
// package export or render a templ component. They never walk geometry.
package server
