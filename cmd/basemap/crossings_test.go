package main

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestCrossings(t *testing.T) {
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		want int
	}{
		{"square", orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}, 0},
		{"bow-tie", orb.MultiPolygon{{{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}}}, 1},
		{"touching squares", orb.MultiPolygon{
			{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
			{{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}},
		}, 0},
		{"overlapping edges", orb.MultiPolygon{
			{{{0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}}},
			{{{1, 0}, {3, 0}, {3, -1}, {1, -1}, {1, 0}}},
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := crossings(tt.mp); got != tt.want {
				t.Errorf("crossings = %d, want %d", got, tt.want)
			}
		})
	}
}
