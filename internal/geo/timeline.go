package geo

// DayCount is the number of incidents on one day.
type DayCount struct {
	Day   Date
	Count int
}

// PerDay counts, for every day from the first to the last day covered by
// an incident matching f, how many of those incidents cover that day (a
// span counts on each of its days). It is empty when nothing matches.
func (d *Dataset) PerDay(f Filter) []DayCount {
	matched := d.Select(f)
	if len(matched) == 0 {
		return nil
	}
	first, last := matched[0].Date, matched[0].DateEnd
	for _, inc := range matched {
		first = min(first, inc.Date)
		last = max(last, inc.DateEnd)
	}
	days := make([]DayCount, last-first+1)
	for i := range days {
		days[i].Day = first + Date(i)
	}
	for _, inc := range matched {
		for day := inc.Date; day <= inc.DateEnd; day++ {
			days[day-first].Count++
		}
	}
	return days
}
