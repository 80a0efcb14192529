package teams

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// UnitMonth is what the help-log entries of one commune's teams add up to
// in one month. It counts, it names no one.
type UnitMonth struct {
	UnitCode   string `bun:"unit_code"`
	Month      string `bun:"month"` // YYYY-MM
	Entries    int64  `bun:"entries"`
	Households int64  `bun:"households"`
	People1559 int64  `bun:"people_15_59"`
	People60   int64  `bun:"people_60"`
}

// logWrites counts the help-log entries this process has recorded or
// corrected, so that a cache of the log's sums (UnitMonths) can tell at
// once that its own instance's writes made it stale.
var logWrites atomic.Int64

// LogWrites is the number of help-log writes this process has made.
func LogWrites() int64 { return logWrites.Load() }

// UnitMonths adds up the help log by commune and month for the months
// from…to (YYYY-MM, both included), for the indicators derived from team
// records. Entries of members who have left still count: the history
// stays.
func UnitMonths(ctx context.Context, db bun.IDB, from, to string) ([]UnitMonth, error) {
	var rows []UnitMonth
	if err := unitMonthsQuery(db, from, to).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("teams.UnitMonths: %w", err)
	}
	return rows, nil
}

// unitMonthsQuery is UnitMonths' query. It reads every entry of the months
// asked, all communes together, so it reads them from the index on
// (team_id, day, households, people_15_59, people_60) alone, never the
// table behind it.
func unitMonthsQuery(db bun.IDB, from, to string) *bun.SelectQuery {
	return db.NewSelect().TableExpr("team_visits AS v").Join("JOIN teams AS t ON t.id = v.team_id").
		ColumnExpr("t.unit_code, SUBSTR(v.day, 1, 7) AS month, COUNT(*) AS entries").
		ColumnExpr("SUM(v.households) AS households, SUM(v.people_15_59) AS people_15_59, SUM(v.people_60) AS people_60").
		Where("v.day >= ?", from+"-01").Where("v.day <= ?", to+"-31").
		GroupExpr("t.unit_code, SUBSTR(v.day, 1, 7)").OrderExpr("t.unit_code, month")
}
