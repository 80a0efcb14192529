package payments

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
)

// PaidCounter counts completed practice payments per month for the
// indicators part (it satisfies indicators.MonthlyCounter). A payment
// counts in the month it was paid, refunded or not; demo data does not
// count. No personal data is involved.
type PaidCounter struct {
	db bun.IDB
}

// NewPaidCounter returns a counter over db.
func NewPaidCounter(db bun.IDB) PaidCounter { return PaidCounter{db: db} }

// CountByMonth returns counts keyed "YYYY-MM" for every month from from's
// month to to's month inclusive, in Asia/Ho_Chi_Minh, months without
// payments included as 0.
func (c PaidCounter) CountByMonth(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	zone := i18n.Location()
	from, to = from.In(zone), to.In(zone)
	start := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, zone)
	end := time.Date(to.Year(), to.Month()+1, 1, 0, 0, 0, 0, zone)
	out := map[string]int64{}
	for m := start; m.Before(end); m = m.AddDate(0, 1, 0) {
		out[m.Format("2006-01")] = 0
	}
	if len(out) == 0 {
		return out, nil
	}
	// Months are cut in Go rather than in SQL so that the zone is applied
	// the same way on both databases.
	var paid []time.Time
	err := c.db.NewSelect().Model((*Payment)(nil)).Column("paid_at").
		Where("paid_at >= ? AND paid_at < ?", start.UTC(), end.UTC()).
		Where("demo = ?", false).
		Scan(ctx, &paid)
	if err != nil {
		return nil, fmt.Errorf("payments.CountByMonth: %w", err)
	}
	for _, t := range paid {
		out[t.In(zone).Format("2006-01")]++
	}
	return out, nil
}
