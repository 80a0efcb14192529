package indicators

import (
	"context"
	"fmt"
	"time"
)

// MonthlyCounter is how another part of the portal reports a figure of its
// own use per month, without personal data: lessons completed, business
// self-assessments completed, practice payments completed.
type MonthlyCounter interface {
	// CountByMonth returns counts keyed "YYYY-MM" for months in [from, to] (Asia/Ho_Chi_Minh).
	CountByMonth(ctx context.Context, from, to time.Time) (map[string]int64, error)
}

// Counters maps a portal element's source (SourceLessons…) to the part that
// counts it. A missing or nil counter shows as "not available".
type Counters map[string]MonthlyCounter

// PortalRow is one portal-derived element over a run of months.
type PortalRow struct {
	Element   Element
	Available bool
	Counts    []int64 // one per month, in order
	Total     int64
}

// PortalFigures counts the portal-derived elements for months (in order).
func PortalFigures(ctx context.Context, els []Element, cs Counters, months []Period) ([]PortalRow, error) {
	if len(months) == 0 {
		return nil, nil
	}
	z := zone()
	from := time.Date(months[0].Year, months[0].firstMonth(), 1, 0, 0, 0, 0, z)
	last := months[len(months)-1]
	to := time.Date(last.Year, last.firstMonth(), 1, 0, 0, 0, 0, z).AddDate(0, 1, 0).Add(-time.Nanosecond)
	var out []PortalRow
	for _, e := range els {
		if e.Entered() || e.FromTeams() || !e.Active {
			continue
		}
		row := PortalRow{Element: e, Counts: make([]int64, len(months))}
		if c := cs[e.Source]; c != nil {
			m, err := c.CountByMonth(ctx, from, to)
			if err != nil {
				return nil, fmt.Errorf("indicators.PortalFigures %s: %w", e.Code, err)
			}
			row.Available = true
			for i, p := range months {
				row.Counts[i] = m[p.String()]
				row.Total += m[p.String()]
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// FixedCounter is a MonthlyCounter over fixed counts, for tests and for parts
// that have not landed yet.
type FixedCounter map[string]int64

// CountByMonth returns the fixed counts of the months between from and to.
func (f FixedCounter) CountByMonth(_ context.Context, from, to time.Time) (map[string]int64, error) {
	out := map[string]int64{}
	lo, hi := MonthOf(from).String(), MonthOf(to).String()
	for k, v := range f {
		if k >= lo && k <= hi {
			out[k] = v
		}
	}
	return out, nil
}
