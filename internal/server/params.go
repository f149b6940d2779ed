package server

import (
	"net/url"
	"slices"
	"strconv"

	"strikemap/internal/geo"
	"strikemap/internal/request"
)

// parseRadii reads a list of ring radii in km.
func parseRadii(q url.Values, name string) ([]float64, error) {
	items, err := request.List(q, name)
	if err != nil || items == nil {
		// A copy: the caller may change what it is given.
		return geo.DefaultRingRadii(), err
	}
	if len(items) > 10 {
		return nil, request.BadParam(name, "%s has %d values; at most 10 rings per base are allowed", name, len(items))
	}
	out := make([]float64, 0, len(items))
	for _, it := range items {
		r, err := strconv.ParseFloat(it, 64)
		if err != nil || !(r > 0 && r <= geo.MaxRingRadius) {
			return nil, request.BadParam(name, "%s %s is not a radius in km; give numbers greater than 0 and at most %v, e.g. 10,20,40", name, strconv.Quote(request.Truncate(it)), geo.MaxRingRadius)
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out, nil
}

// parseBool reads a flag parameter such as download=1.
func parseBool(q url.Values, name string) (bool, error) {
	if !q.Has(name) {
		return false, nil
	}
	switch q.Get(name) {
	case "1", "true", "":
		return true, nil
	case "0", "false":
		return false, nil
	}
	return false, request.BadParam(name, "%s %s is not a flag; use 1 or 0 (true or false)", name, strconv.Quote(request.Truncate(q.Get(name))))
}
