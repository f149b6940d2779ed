package templates

import (
	"context"
	"math"
	"strconv"
	"time"

	"strikemap/internal/catalog"
	"strikemap/internal/geo"
)

// Bin is the stretch of time one bar of the report's timeline counts.
type Bin int

// The bins, finest first. Weeks start on Monday (ISO 8601).
const (
	BinDay Bin = iota
	BinWeek
	BinMonth
	BinQuarter
	BinYear
)

var binNames = [...]string{"day", "week", "month", "quarter", "year"}

// String is the bin's name: "day", "week", "month", "quarter" or "year".
func (b Bin) String() string { return binNames[b] }

// MinBinStep is the fewest pixels of plot a bin may get: a bar of at least
// 3.5 px and a 1 px gap, so that every bar can be seen and hovered.
const MinBinStep = 4.5

// ChooseBin returns the finest bin with which the days from first to last
// give every bar at least MinBinStep pixels of a plot plotWidth pixels wide:
// 10 days are counted per day, a year per week, eleven years per month on a
// desktop (per quarter on a phone).
func ChooseBin(first, last geo.Date, plotWidth float64) Bin {
	for b := BinDay; b < BinYear; b++ {
		if plotWidth/float64(binIndex(last, first, b)+1) >= MinBinStep {
			return b
		}
	}
	return BinYear
}

// binStart is the first day of the bin holding d.
func binStart(d geo.Date, b Bin) geo.Date {
	t := d.Time()
	switch b {
	case BinWeek:
		return d.AddDays(-(int(t.Weekday()) + 6) % 7)
	case BinMonth:
		return geo.DateOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
	case BinQuarter:
		return geo.DateOf(time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC))
	case BinYear:
		return geo.DateOf(time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC))
	}
	return d
}

// binIndex is how many bins of kind b d lies after the bin of first.
func binIndex(d, first geo.Date, b Bin) int {
	switch b {
	case BinDay:
		return int(d - first)
	case BinWeek:
		return int(binStart(d, b)-binStart(first, b)) / 7
	}
	months := func(x geo.Date) int { t := x.Time(); return t.Year()*12 + int(t.Month()) - 1 }
	n := months(d) - months(first)
	switch b {
	case BinQuarter:
		return (months(d)/3 - months(first)/3)
	case BinYear:
		return d.Time().Year() - first.Time().Year()
	}
	return n
}

// nextBin is the first day of the bin after the one starting on start.
func nextBin(start geo.Date, b Bin) geo.Date {
	t := start.Time()
	switch b {
	case BinDay:
		return start + 1
	case BinWeek:
		return start + 7
	case BinMonth:
		return geo.DateOf(t.AddDate(0, 1, 0))
	case BinQuarter:
		return geo.DateOf(t.AddDate(0, 3, 0))
	}
	return geo.DateOf(t.AddDate(1, 0, 0))
}

// BinCount is one bar: the attacks whose days fall in [Start, End].
type BinCount struct {
	Start, End geo.Date
	Count      int
}

// Chart is a bar chart of attacks per bin, laid out in a viewBox Width
// units wide and chartHeight high.
type Chart struct {
	Bin         Bin
	Bins        []BinCount
	Max         int     // the largest count, at least 1
	Width, Step float64 // the viewBox's width; the plot's units per bin
	Ticks       []Tick
}

// Tick is a label under the plot, at X.
type Tick struct {
	X    float64
	Date geo.Date
	Unit Bin // how the date is written: a day and month, a month and year, or a year (tickText)
}

// Timeline is the report's chart of attacks over time, in two layouts:
// Wide, drawn at its size on a desktop screen, and Narrow, which scales to
// a phone's width, with coarser bins when the span needs them.
type Timeline struct {
	First, Last  geo.Date
	Wide, Narrow Chart
}

// The charts' geometry, in viewBox units (CSS pixels for the wide chart).
const (
	wideWidth    = 928 // the report's text column at 1280 px
	narrowWidth  = 300 // a 320 px screen's column, a little over
	chartLeft    = 34  // room for the count labels
	chartRight   = 10
	chartTop     = 14
	chartBottom  = 110 // the x axis
	chartHeight  = 132
	tickFontSize = 11
)

// NewTimeline counts incidents per bin for both layouts: an attack over
// several days counts once in each bin it touches. It is the zero Timeline
// when there are no incidents.
func NewTimeline(incidents []*geo.Incident) Timeline {
	if len(incidents) == 0 {
		return Timeline{}
	}
	first, last := incidents[0].Date, incidents[0].DateEnd
	for _, inc := range incidents {
		first, last = min(first, inc.Date), max(last, inc.DateEnd)
	}
	return Timeline{First: first, Last: last,
		Wide:   newChart(incidents, first, last, wideWidth),
		Narrow: newChart(incidents, first, last, narrowWidth),
	}
}

func newChart(incidents []*geo.Incident, first, last geo.Date, width float64) Chart {
	plot := width - chartLeft - chartRight
	b := ChooseBin(first, last, plot)
	n := binIndex(last, first, b) + 1
	c := Chart{Bin: b, Bins: make([]BinCount, n), Max: 1, Width: width, Step: math.Min(plot/float64(n), 60)}
	start := binStart(first, b)
	for i := range c.Bins {
		end := nextBin(start, b)
		c.Bins[i] = BinCount{Start: start, End: end - 1}
		start = end
	}
	for _, inc := range incidents {
		for i := binIndex(inc.Date, first, b); i <= binIndex(inc.DateEnd, first, b); i++ {
			c.Bins[i].Count++
		}
	}
	for _, bc := range c.Bins {
		c.Max = max(c.Max, bc.Count)
	}
	c.Ticks = ticks(c, first, last)
	return c
}

// BarWidth is the width of a bar: the bin's step less a gap of a fifth,
// at least 1 unit.
func (c Chart) BarWidth() float64 { return c.Step - math.Max(1, c.Step/5) }

// BarX is the left edge of the i-th bar.
func (c Chart) BarX(i int) float64 { return chartLeft + c.Step*float64(i) + (c.Step-c.BarWidth())/2 }

// BarHeight is the height of a bar of count n.
func (c Chart) BarHeight(n int) float64 {
	return float64(chartBottom-chartTop) * float64(n) / float64(c.Max)
}

// PlotRight is where the last bin ends.
func (c Chart) PlotRight() float64 { return chartLeft + c.Step*float64(len(c.Bins)) }

// ticks labels the x axis at the starts of days, months or years, as
// finely as their labels fit side by side.
func ticks(c Chart, first, last geo.Date) []Tick {
	type unit struct {
		bin   Bin // the labelled boundaries are starts of this bin...
		every int // ...every this many of them
		label Bin // ...written as a day, a month or a year (tickText)
	}
	units := []unit{
		{BinDay, 1, BinDay}, {BinDay, 2, BinDay}, {BinWeek, 1, BinDay}, {BinWeek, 2, BinDay},
		{BinMonth, 1, BinMonth}, {BinQuarter, 1, BinMonth}, {BinMonth, 6, BinMonth},
		{BinYear, 1, BinYear}, {BinYear, 2, BinYear}, {BinYear, 5, BinYear}, {BinYear, 10, BinYear},
	}
	// The letters of an English label of each kind ("2 Jan", "Jan 2006",
	// "2006"), which size it.
	letters := map[Bin]int{BinDay: 5, BinMonth: 8, BinYear: 4}
	for _, u := range units {
		if u.bin < c.Bin {
			continue // a label inside a bar would point at no boundary
		}
		label := float64(letters[u.label]) * tickFontSize * 0.62
		var out []Tick
		for d := binStart(first, u.bin); d <= last; {
			if d >= first || d == binStart(first, c.Bin) {
				x := chartLeft + c.Step*float64(binIndex(d, first, c.Bin))
				out = append(out, Tick{X: x, Date: d, Unit: u.label})
			}
			for range u.every {
				d = nextBin(d, u.bin)
			}
		}
		fits := len(out) > 0
		for i := 1; i < len(out); i++ {
			fits = fits && out[i].X-out[i-1].X >= label+8
		}
		if fits && (len(out) == 0 || out[len(out)-1].X+label <= c.Width) {
			return out
		}
		if fits && len(out) > 1 {
			return out[:len(out)-1] // the last label would leave the chart
		}
	}
	return nil
}

// tickText writes a tick's date in the catalog's words: "16 Oct",
// "Oct 2023", "2023".
func tickText(ctx context.Context, tk Tick) string {
	t := tk.Date.Time()
	switch tk.Unit {
	case BinYear:
		return strconv.Itoa(t.Year())
	case BinMonth:
		return monthYear(ctx, t)
	}
	return msg(ctx, "chart.day-month", catalog.Args{"day": strconv.Itoa(t.Day()), "month": monthName(ctx, t)})
}

// monthYear writes "Oct 2023". The year is a string: the catalog would
// group a number's digits (2,023).
func monthYear(ctx context.Context, t time.Time) string {
	return msg(ctx, "chart.month-year", catalog.Args{"month": monthName(ctx, t), "year": strconv.Itoa(t.Year())})
}

// monthName is t's month in the catalog's words: "Oct".
func monthName(ctx context.Context, t time.Time) string {
	return msg(ctx, "month."+strconv.Itoa(int(t.Month())))
}

// binText names a bin for a bar's tooltip: "2023-10-18",
// "week of 2023-10-16", "Oct 2023", "Q4 2023", "2023".
func binText(ctx context.Context, b Bin, bc BinCount) string {
	t := bc.Start.Time()
	switch b {
	case BinWeek:
		return msg(ctx, "chart.week-of", catalog.Args{"date": bc.Start.String()})
	case BinMonth:
		return monthYear(ctx, t)
	case BinQuarter:
		return msg(ctx, "chart.quarter", catalog.Args{"quarter": strconv.Itoa((int(t.Month()) + 2) / 3), "year": strconv.Itoa(t.Year())})
	case BinYear:
		return strconv.Itoa(t.Year())
	}
	return bc.Start.String()
}

// attacksCount is "1 attack", "12 attacks".
func attacksCount(ctx context.Context, n int) string {
	if n == 1 {
		return msg(ctx, "chart.attacks-one")
	}
	return msg(ctx, "chart.attacks", catalog.Args{"count": n})
}

// chartLabel is a chart's accessible name: what it shows, and its busiest bin.
func chartLabel(ctx context.Context, t Timeline, c Chart) string {
	busiest := c.Bins[0]
	for _, bc := range c.Bins {
		if bc.Count > busiest.Count {
			busiest = bc
		}
	}
	return msg(ctx, "chart.label", catalog.Args{"unit": msg(ctx, "unit."+c.Bin.String()), "first": t.First.String(), "last": t.Last.String(),
		"busiest": binText(ctx, c.Bin, busiest), "attacks": attacksCount(ctx, busiest.Count)})
}

// chartCaption says what a bar counts.
func chartCaption(ctx context.Context, t Timeline, c Chart) string {
	args := catalog.Args{"unit": msg(ctx, "unit."+c.Bin.String()), "first": t.First.String(), "last": t.Last.String()}
	switch c.Bin {
	case BinDay:
		return msg(ctx, "chart.caption-day", args)
	case BinWeek:
		return msg(ctx, "chart.caption-week", args)
	}
	return msg(ctx, "chart.caption", args)
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
