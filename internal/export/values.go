package export

import (
	"math"
	"strconv"
)

func ptr[T any](v T) *T { return &v }

// optional returns nil for "" so that JSON says null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nonNil returns s, or an empty slice for nil, so that JSON says [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func roundTo(v, factor float64) float64 { return math.Round(v*factor) / factor }

// formatKm formats a radius without trailing zeros: 10, 2.5.
func formatKm(km float64) string { return strconv.FormatFloat(km, 'f', -1, 64) }
