package indicators

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// PeriodCount is how many reports of one period are in some state.
type PeriodCount struct {
	Period string `bun:"period"`
	Count  int    `bun:"n"`
}

// CountByPeriod counts the reports that match f (its scope and status;
// its period, limit and offset are not used), by period, newest first, at
// most limit periods: the officials' workspace shows what waits for
// approval month by month, each month a link to the list f gives.
func CountByPeriod(ctx context.Context, db bun.IDB, f ReportFilter, limit int) ([]PeriodCount, error) {
	var out []PeriodCount
	q := db.NewSelect().TableExpr("indicator_reports AS r").
		ColumnExpr("r.period AS period, COUNT(*) AS n").
		Join("JOIN org_units AS u ON u.id = r.unit_id")
	if f.ScopePath != "" {
		lo, hi := pathRange(f.ScopePath)
		q = q.Where("u.path >= ?", lo).Where("u.path < ?", hi)
	}
	if f.Units != nil {
		if len(f.Units) == 0 {
			return nil, nil
		}
		q = q.Where("r.unit_id IN (?)", bun.List(f.Units))
	}
	if f.Status != "" {
		q = q.Where("r.status = ?", f.Status)
	}
	if err := q.Group("r.period").Order("r.period DESC").Limit(int64(limit)).Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("indicators.CountByPeriod: %w", err)
	}
	return out, nil
}

// maxLateUnits bounds the reporting units MissingReports looks at: a
// province has a few hundred communes at most, the country 3,321.
const maxLateUnits = 5000

// MissingReports lists the units reporting for period at or below the unit
// code names (see ReportingUnits) that have sent no report for it, neither
// submitted nor approved, by path: at most limit of them, with how many
// there are in all. A report due and not sent is late.
func MissingReports(ctx context.Context, db bun.IDB, code string, period Period, limit int) ([]Unit, int, error) {
	units, err := ReportingUnits(ctx, db, code, period, maxLateUnits)
	if err != nil || len(units) == 0 {
		return nil, 0, err
	}
	sent := make(map[int64]bool, len(units))
	for start := 0; start < len(units); start += 500 {
		ids := make([]int64, 0, 500)
		for _, u := range units[start:min(start+500, len(units))] {
			ids = append(ids, u.ID)
		}
		var got []int64
		err := db.NewSelect().TableExpr("indicator_reports").Column("unit_id").
			Where("period = ?", period.String()).
			Where("status IN (?)", bun.List([]Status{StatusSubmitted, StatusApproved})).
			Where("unit_id IN (?)", bun.List(ids)).Scan(ctx, &got)
		if err != nil {
			return nil, 0, fmt.Errorf("indicators.MissingReports: %w", err)
		}
		for _, id := range got {
			sent[id] = true
		}
	}
	var out []Unit
	n := 0
	for _, u := range units {
		if sent[u.ID] {
			continue
		}
		n++
		if len(out) < limit {
			out = append(out, u)
		}
	}
	return out, n, nil
}

// DueBy is the last day (YYYY-MM-DD) to send the report of month p: the
// portal holds a month due (DueMonth) from the day after its reporting
// window of Decree 09/2019/NĐ-CP closes until the next month's window
// closes, so a report not sent by then is late.
func DueBy(p Period) string {
	_, to := p.Next().ReportingWindow()
	return to.Format(dayLayout)
}
