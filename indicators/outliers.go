package indicators

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/uptrace/bun"
)

// Outlier detection compares a value with the unit's own history of the
// same element, the way DHIS2's min–max check does, but robustly: the
// expected range is the median of the last OutlierHistory months that were
// sent, plus or minus OutlierK times their spread (the median absolute
// deviation, scaled to match a standard deviation), so one wrong month in
// the history does not widen the range for the next. A value outside it is
// flagged, never refused: a real change (a new housing estate, a campaign)
// is possible, and the official is asked to check it.
const (
	OutlierHistory = 12  // months of history read
	OutlierMinimum = 6   // fewer sent months than this: no range yet
	OutlierK       = 3.5 // how many spreads from the median a value may lie
	madScale       = 1.4826
)

// OutlierRange is the expected range of an element for a unit: values from
// Low to High inclusive are usual. Months is how many months it comes from.
type OutlierRange struct {
	ElementID int64
	Median    float64
	Low, High int64
	Months    int
}

// Outside reports whether v lies outside the range.
func (r OutlierRange) Outside(v int64) bool { return v < r.Low || v > r.High }

// rangeOf computes the expected range of history (at least OutlierMinimum
// values). The spread is at least 5% of the median and at least 1, so a
// history of equal values does not make every change an outlier.
func rangeOf(history []int64) (median float64, low, high int64) {
	xs := make([]float64, len(history))
	for i, v := range history {
		xs[i] = float64(v)
	}
	median = medianOf(xs)
	dev := make([]float64, len(xs))
	for i, x := range xs {
		dev[i] = math.Abs(x - median)
	}
	spread := max(madScale*medianOf(dev), 0.05*math.Abs(median), 1)
	low = int64(math.Max(0, math.Ceil(median-OutlierK*spread)))
	high = int64(math.Floor(median + OutlierK*spread))
	return median, low, high
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// OutlierRanges reads the expected range of every element of unit version
// unitID for monthly period from its own reports of the OutlierHistory
// months before it that were sent (submitted, returned or approved).
// Elements with fewer than OutlierMinimum such months have none.
func OutlierRanges(ctx context.Context, db bun.IDB, unitID int64, period Period) (map[int64]OutlierRange, error) {
	if period.Kind != Monthly {
		return nil, nil
	}
	first := period
	for range OutlierHistory {
		first = first.Prev()
	}
	var rows []struct {
		ElementID int64 `bun:"element_id"`
		Value     int64 `bun:"value"`
	}
	err := db.NewSelect().TableExpr("indicator_values AS v").ColumnExpr("v.element_id, v.value").
		Join("JOIN indicator_reports AS r ON r.id = v.report_id").
		Where("r.unit_id = ?", unitID).Where("r.period >= ?", first.String()).Where("r.period < ?", period.String()).
		Where("r.period LIKE '____-__' AND r.period NOT LIKE '%Q%'"). // months only, not quarters or years
		Where("r.status IN (?)", bun.List([]Status{StatusSubmitted, StatusReturned, StatusApproved})).
		OrderExpr("v.element_id, r.period").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("indicators.OutlierRanges: %w", err)
	}
	history := map[int64][]int64{}
	for _, r := range rows {
		history[r.ElementID] = append(history[r.ElementID], r.Value)
	}
	out := map[int64]OutlierRange{}
	for e, h := range history {
		if len(h) < OutlierMinimum {
			continue
		}
		med, lo, hi := rangeOf(h)
		out[e] = OutlierRange{ElementID: e, Median: med, Low: lo, High: hi, Months: len(h)}
	}
	return out, nil
}
