package indicators

import "time"

// DefaultRangeOn is the twelve months a dashboard or the API shows of the
// hierarchy of day when none are asked for: those up to last month, or,
// for a day gone by, those up to the last month complete on that day, as
// the page of a unit since abolished links to them. The twelve months up to
// today on the units of 30 June 2025 were months in which none of those
// units existed: every figure 0 of 0 expected, and the page said nothing
// of the year asked about. An empty or unreadable day is today.
func DefaultRangeOn(now time.Time, day string) (Period, Period) {
	if day == "" || !ValidDay(day) || day >= Today(now) {
		return DefaultRange(now)
	}
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return DefaultRange(now)
	}
	return DefaultRange(d.AddDate(0, 0, 1))
}
