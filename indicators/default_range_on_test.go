package indicators

import (
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestDashboardOfADayGoneByShowsItsYear: a dashboard asked for a day
// before the reorganisation, with no months, shows the twelve months up to
// that day's (where the old province's approved figures are), leading with
// June 2025; before, it showed the twelve months up to today, in which no
// unit of that day existed, all 0 of 0 expected. Today's dashboard keeps
// the twelve months up to last month.
func TestDashboardOfADayGoneByShowsItsYear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		now := time.Now()
		d, err := BuildDashboard(ctx, db, Query{Day: "2025-06-30", Unit: "77"}, now)
		if err != nil {
			t.Fatal(err)
		}
		june, _ := ParsePeriod("2025-06")
		if len(d.Months) != 12 || d.Months[11] != june || d.Latest != june {
			t.Errorf("Bà Rịa–Vũng Tàu on 30 June 2025: months %v, leading with %v, want the twelve up to June 2025, leading with it", d.Months, d.Latest)
		}
		if c := d.Completeness[11]; c.Expected == 0 || c.Approved != c.Expected {
			t.Errorf("June 2025's completeness on its own day: %+v, want every unit expected and approved", c)
		}
		d, err = BuildDashboard(ctx, db, Query{}, now)
		if err != nil {
			t.Fatal(err)
		}
		if last := MonthOf(now).Prev(); len(d.Months) != 12 || d.Months[11] != last {
			t.Errorf("today's dashboard: months %v, want the twelve up to %v", d.Months, last)
		}
		from, to := DefaultRangeOn(now, "2025-07-01")
		if from.String() != "2024-07" || to != june {
			t.Errorf("the range of 1 July 2025 = %v–%v, want 2024-07–2025-06", from, to)
		}
	})
}
