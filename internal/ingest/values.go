package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"strikemap/internal/geo"
)

// parseDay reads a date as YYYY-MM-DD or as "DD Month YYYY" (e.g.
// "18 October 2023"), the two forms ACLED exports use.
func parseDay(s string) (geo.Date, error) {
	if s == "" {
		return 0, fmt.Errorf("is empty: want a date such as 2023-10-18 or 18 October 2023")
	}
	if d, err := geo.ParseDate(s); err == nil {
		return d, nil
	}
	if t, err := time.Parse("2 January 2006", s); err == nil {
		return geo.DateOf(t), nil
	}
	return 0, fmt.Errorf("%q is not a date such as 2023-10-18 or 18 October 2023", s)
}

// parseCoord reads a latitude or longitude in decimal degrees.
func parseCoord(s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("is empty: want decimal degrees such as 33.7856")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number of decimal degrees such as 33.7856", s)
	}
	return v, nil
}

// parseCount reads a whole number of at least min; "" is unknown (nil).
func parseCount(s string, min int) (geo.Number, error) {
	if s == "" {
		return geo.Number{}, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < min || v > geo.MaxNumber {
		return geo.Number{}, fmt.Errorf("%q is not a whole number from %d to %d (leave it empty when unknown)", s, min, geo.MaxNumber)
	}
	return geo.Known(v), nil
}

// splitList splits a semicolon-separated cell, dropping empty items and
// repeats.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ";") {
		item = oneLine(item)
		if item != "" && !contains(out, item) {
			out = append(out, item)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}
