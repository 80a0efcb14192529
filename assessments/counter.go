package assessments

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Counter counts completed self-assessments per month for the indicators
// part (it satisfies indicators.MonthlyCounter). It counts every submitted
// response, consented or not: the count says only that the portal was used,
// nothing of any result, and holds no personal data.
type Counter struct {
	db bun.IDB
}

// NewCounter returns a counter over db.
func NewCounter(db bun.IDB) *Counter { return &Counter{db: db} }

// CountByMonth returns counts keyed "YYYY-MM" for the months from the month
// of from to the month of to, in Asia/Ho_Chi_Minh; a month without any
// completion is present with 0.
func (c *Counter) CountByMonth(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	zone := Zone()
	from, to = from.In(zone), to.In(zone)
	start := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, zone)
	end := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, zone).AddDate(0, 1, 0)
	var times []time.Time
	err := c.db.NewSelect().Model((*Response)(nil)).Column("submitted_at").
		Where("submitted_at >= ?", start.UTC()).
		Where("submitted_at < ?", end.UTC()).
		Scan(ctx, &times)
	if err != nil {
		return nil, fmt.Errorf("assessments.Counter.CountByMonth: %w", err)
	}
	return bucketMonths(times, start, to), nil
}
