package indicators

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

func TestRangeOf(t *testing.T) {
	for _, c := range []struct {
		name      string
		history   []int64
		low, high int64
	}{
		// Median 995, MAD 15: the spread is 5% of the median (49.75, more
		// than 1.4826·15 = 22.2), so 995 ± 174.1.
		{"steady", []int64{1000, 990, 1010, 980, 1020, 970}, 821, 1169},
		// One wrong month (10,000) moves the median to 1005, no more.
		{"one wrong month", []int64{1000, 990, 1010, 980, 1020, 10000}, 830, 1180},
		// All equal: the spread is 5% of the median.
		{"equal", []int64{200, 200, 200, 200, 200, 200}, 165, 235},
		// Zeros: the spread is at least 1.
		{"zeros", []int64{0, 0, 0, 0, 0, 0}, 0, 3},
	} {
		_, lo, hi := rangeOf(c.history)
		if lo != c.low || hi != c.high {
			t.Errorf("%s: %d–%d, want %d–%d", c.name, lo, hi, c.low, c.high)
		}
	}
}

func TestOutlierRanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		m := MonthOf(time.Now()).Prev() // the demo's last month, after a year of others
		u, err := UnitByCode(ctx, db, "26536", m.Day())
		if err != nil {
			t.Fatal(err)
		}
		rs, err := OutlierRanges(ctx, db, u.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := rs[ids[ElemHouseholds]]
		if !ok || r.Months != OutlierHistory {
			t.Fatalf("households: %+v, want a range from %d months", r, OutlierHistory)
		}
		if r.Outside(int64(r.Median)) || !r.Outside(3*int64(r.Median)+10) || !r.Outside(r.Low-1) {
			t.Errorf("range %+v: the median must be inside, three times it and below Low outside", r)
		}
		// Drafts do not count: with its history made drafts, a unit has no
		// range.
		if _, err := db.NewUpdate().Table("indicator_reports").Set("status = ?", StatusDraft).Where("unit_id = ? AND period < ?", u.ID, m.String()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if rs, err = OutlierRanges(ctx, db, u.ID, m); err != nil || len(rs) != 0 {
			t.Errorf("ranges from drafts: %v, %v", rs, err)
		}
	})
}
