package templates

import (
	"context"
	"testing"

	"strikemap/internal/geo"
)

func date(t *testing.T, s string) geo.Date {
	t.Helper()
	d, err := geo.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestChooseBin picks the finest bin that keeps each bar at least 3 px wide
// with a gap, on the desktop chart and on a phone's.
func TestChooseBin(t *testing.T) {
	for _, tc := range []struct {
		name, first, last string
		width             float64
		want              Bin
	}{
		{"10 days", "2023-10-18", "2023-10-27", wideWidth, BinDay},
		{"6 weeks", "2023-10-01", "2023-11-11", wideWidth, BinDay},
		{"1 year", "2023-01-01", "2023-12-31", wideWidth, BinWeek},
		{"11 years", "2016-01-01", "2026-12-31", wideWidth, BinMonth},
		{"40 years", "1986-01-01", "2025-12-31", wideWidth, BinQuarter},
		{"10 days, phone", "2023-10-18", "2023-10-27", narrowWidth, BinDay},
		{"1 year, phone", "2023-01-01", "2023-12-31", narrowWidth, BinWeek},
		{"11 years, phone", "2016-01-01", "2026-12-31", narrowWidth, BinQuarter},
		{"one day", "2023-10-18", "2023-10-18", narrowWidth, BinDay},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, last := date(t, tc.first), date(t, tc.last)
			plot := tc.width - chartLeft - chartRight
			got := ChooseBin(first, last, plot)
			if got != tc.want {
				t.Errorf("ChooseBin(%s, %s, %v) = %s, want %s", tc.first, tc.last, plot, got, tc.want)
			}
			c := newChart([]*geo.Incident{{Date: first, DateEnd: first}, {Date: last, DateEnd: last}}, first, last, tc.width)
			if c.Bin != got {
				t.Errorf("chart bins per %s, ChooseBin says %s", c.Bin, got)
			}
			if w := c.BarWidth(); w < 3 {
				t.Errorf("bars are %.2f px wide, want at least 3", w)
			}
			if c.PlotRight() > tc.width-chartRight+0.01 {
				t.Errorf("the plot ends at %.1f in a chart %v wide", c.PlotRight(), tc.width)
			}
			if len(c.Ticks) < 1 {
				t.Error("no labels on the time axis")
			}
			for i := 1; i < len(c.Ticks); i++ {
				if c.Ticks[i].X <= c.Ticks[i-1].X {
					t.Errorf("labels out of order: %v", c.Ticks)
				}
			}
		})
	}
}

// TestNewTimelineCounts counts an attack once per bin it touches, and puts
// every bin from the first attack's to the last's on the axis.
func TestNewTimelineCounts(t *testing.T) {
	incs := []*geo.Incident{
		{Date: date(t, "2023-01-02"), DateEnd: date(t, "2023-01-04")}, // three days of one week (Monday to Wednesday)
		{Date: date(t, "2023-01-08"), DateEnd: date(t, "2023-01-09")}, // Sunday to Monday: two weeks
		{Date: date(t, "2023-12-31"), DateEnd: date(t, "2023-12-31")},
	}
	tl := NewTimeline(incs)
	w := tl.Wide
	if w.Bin != BinWeek {
		t.Fatalf("bin %s, want week", w.Bin)
	}
	if len(w.Bins) != 52 || w.Bins[0].Start.String() != "2023-01-02" || w.Bins[51].End.String() != "2023-12-31" {
		t.Fatalf("%d bins from %s to %s", len(w.Bins), w.Bins[0].Start, w.Bins[len(w.Bins)-1].End)
	}
	if w.Bins[0].Count != 2 || w.Bins[1].Count != 1 || w.Bins[51].Count != 1 || w.Max != 2 {
		t.Errorf("counts %d %d … %d, max %d; want 2 1 … 1, max 2", w.Bins[0].Count, w.Bins[1].Count, w.Bins[51].Count, w.Max)
	}
	if got := chartLabel(context.Background(), tl, w); got != "Attacks per week from 2023-01-02 to 2023-12-31; the busiest week, week of 2023-01-02, had 2 attacks" {
		t.Errorf("label %q", got)
	}
	if n := NewTimeline(nil); len(n.Wide.Bins) != 0 {
		t.Errorf("no incidents: %d bins", len(n.Wide.Bins))
	}
}
