package indicators

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// UnitsHaveReportsError is ImportUnits refusing a list that would end
// units before months they reported; Rows says which, as problems of the
// list. Whatever the import wrote must be rolled back.
type UnitsHaveReportsError struct{ Rows []RowError }

func (e *UnitsHaveReportsError) Error() string {
	return fmt.Sprintf("indicators.ImportUnits: %d units would end before months they reported", len(e.Rows))
}

// reportsAfterEnd finds, among the unit versions an import would end on
// asOf (ids; rows gives the list's row naming a code, 0 for a unit the
// list leaves out), those with reports of a period ending on or after
// asOf, one problem per unit naming its first such period. A report
// belongs to the unit version valid on its period's last day: ending the
// version before then leaves the report with no unit in its month, its
// figures dropped from the totals of that time (a list of July 2025
// imported with the day 2025-01-01 took March 2025's approved figures of
// 13 communes out of every total, and counted more units approved than
// expected).
func reportsAfterEnd(ctx context.Context, db bun.IDB, ids []int64, byID map[int64]*Unit, rows map[string]int, asOf string) ([]RowError, error) {
	first := map[int64]Period{}
	for start := 0; start < len(ids); start += 500 {
		var reps []struct {
			UnitID int64  `bun:"unit_id"`
			Period string `bun:"period"`
		}
		// Monthly periods from asOf's month on, and the year's own
		// periods (a year, its quarters); the days are compared below.
		err := db.NewSelect().TableExpr("indicator_reports").ColumnExpr("DISTINCT unit_id, period").
			Where("unit_id IN (?)", bun.List(ids[start:min(start+500, len(ids))])).
			Where("(period >= ? OR period = ?)", asOf[:7], asOf[:4]).Scan(ctx, &reps)
		if err != nil {
			return nil, fmt.Errorf("indicators.reportsAfterEnd: %w", err)
		}
		for _, r := range reps {
			p, err := ParsePeriod(r.Period)
			if err != nil || p.Day() < asOf {
				continue
			}
			if f, ok := first[r.UnitID]; !ok || p.Day() < f.Day() {
				first[r.UnitID] = p
			}
		}
	}
	var errs []RowError
	for _, id := range ids {
		p, ok := first[id]
		if !ok {
			continue
		}
		u := byID[id]
		col := map[int]string{2: "Mã TP", 3: "Mã QH", 5: "Mã PX"}[len(u.Code)]
		errs = append(errs, RowError{Row: rows[u.Code], Column: col, Value: u.Code, MsgID: "indicators.import.error.unit_has_reports", Ref: p.String()})
		if enoughErrors(errs) {
			break
		}
	}
	return sortRowErrors(errs), nil
}
