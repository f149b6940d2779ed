package geo

import "slices"

// DayCount is the number of incidents on one day.
type DayCount struct {
	Day   Date
	Count int
}

// PerDay counts, for every day from the first to the last day covered by
// an incident matching f, how many of those incidents cover that day (a
// span counts on each of its days). It is empty when nothing matches.
func (d *Dataset) PerDay(f Filter) []DayCount {
	days, _ := d.Timeline(f)
	return days
}

// Timeline is PerDay with the number of incidents matching f, read in one
// pass over the candidates the index gives, in no particular order.
func (d *Dataset) Timeline(f Filter) (days []DayCount, total int) {
	if f.unfiltered() && d.whole != nil {
		w := d.whole()
		return slices.Clone(w.days), w.total
	}
	return d.timeline(f)
}

// timeline is Timeline, counted.
func (d *Dataset) timeline(f Filter) (days []DayCount, total int) {
	first, last, ok := d.Span()
	if !ok {
		return nil, 0
	}
	counts := make([]int, last-first+1)
	lo, hi := last, first // the first and last day covered by a match
	d.each(f, func(inc *Incident) {
		total++
		for day := inc.Date; day <= inc.DateEnd; day++ {
			counts[day-first]++
		}
		lo, hi = min(lo, inc.Date), max(hi, inc.DateEnd)
	})
	if total == 0 {
		return nil, 0
	}
	days = make([]DayCount, hi-lo+1)
	for i := range days {
		days[i] = DayCount{Day: lo + Date(i), Count: counts[lo-first+Date(i)]}
	}
	return days, total
}
