package indicators

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// TestWorkspaceCounts: the workspace's figures follow the reports of a
// month the demo leaves empty as they are sent, returned and approved —
// waiting ones counted by month within a scope, unsent ones listed as late.
func TestWorkspaceCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		period := MonthOf(time.Now()).Next().Next() // no report yet
		home, err := HomeUnit(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		units, err := ReportingUnits(ctx, db, home, period, 1000)
		if err != nil || len(units) < 3 {
			t.Fatalf("ReportingUnits = %d units, %v; want at least 3", len(units), err)
		}
		province, err := UnitByCode(ctx, db, home, period.Day())
		if err != nil {
			t.Fatal(err)
		}
		waiting := func(f ReportFilter) int {
			t.Helper()
			f.Status = StatusSubmitted
			got, err := CountByPeriod(ctx, db, f, 24)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range got {
				if c.Period == period.String() {
					return c.Count
				}
			}
			return 0
		}
		late := func() ([]Unit, int) {
			t.Helper()
			got, n, err := MissingReports(ctx, db, home, period, 2)
			if err != nil {
				t.Fatal(err)
			}
			return got, n
		}
		if got, n := late(); n != len(units) || len(got) != 2 || got[0].ID != units[0].ID {
			t.Fatalf("before any report: %d late, first %v; want all %d, listing 2 from %s", n, got, len(units), units[0].Code)
		}
		who := accounts.Actor{UserID: 7, Email: "commune@example.org"}
		var reps []*Report
		for _, u := range units[:3] {
			rep, err := Submit(ctx, db, who, &u, period, fullValues(ids, 1))
			if err != nil {
				t.Fatal(err)
			}
			reps = append(reps, rep)
		}
		// A draft is not sent: the fourth unit stays late.
		if _, err := SaveDraft(ctx, db, who, &units[3], period, Values{ids[ElemHouseholds]: 10}); err != nil {
			t.Fatal(err)
		}
		if got := waiting(ReportFilter{ScopePath: province.Path}); got != 3 {
			t.Errorf("waiting in the province = %d, want 3", got)
		}
		if got := waiting(ReportFilter{ScopePath: "/no-such-unit/"}); got != 0 {
			t.Errorf("waiting under an unknown path = %d, want 0", got)
		}
		if got := waiting(ReportFilter{Units: []int64{units[0].ID, units[1].ID}}); got != 2 {
			t.Errorf("waiting of two units = %d, want 2", got)
		}
		if got := waiting(ReportFilter{Units: []int64{}}); got != 0 {
			t.Errorf("waiting of no unit = %d, want 0", got)
		}
		prov := accounts.Actor{UserID: 8, Email: "province@example.org"}
		if _, err := Approve(ctx, db, prov, reps[0].ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := Return(ctx, db, prov, reps[1].ID, "Kiểm tra lại số hộ"); err != nil {
			t.Fatal(err)
		}
		if got := waiting(ReportFilter{}); got != 1 {
			t.Errorf("waiting after one approval and one return = %d, want 1", got)
		}
		returned, err := CountByPeriod(ctx, db, ReportFilter{ScopePath: province.Path, Status: StatusReturned}, 24)
		if err != nil || len(returned) == 0 || returned[0].Period != period.String() || returned[0].Count != 1 {
			t.Errorf("returned by period = %+v, %v; want 1 in %s first", returned, err, period)
		}
		// Approved and submitted are sent; returned and draft are not.
		got, n := late()
		if n != len(units)-2 {
			t.Errorf("%d late after 2 sent, want %d", n, len(units)-2)
		}
		for _, u := range got {
			if u.ID == units[0].ID || u.ID == units[2].ID {
				t.Errorf("%s listed late though its report is sent", u.Code)
			}
		}
		if got[0].ID != units[1].ID {
			t.Errorf("first late unit %s, want the returned %s", got[0].Code, units[1].Code)
		}
	})
}

func TestDueBy(t *testing.T) {
	for _, c := range []struct{ month, want string }{
		{"2026-11", "2026-12-14"},
		{"2026-12", "2027-01-14"},
	} {
		p, err := ParsePeriod(c.month)
		if err != nil {
			t.Fatal(err)
		}
		if got := DueBy(p); got != c.want {
			t.Errorf("DueBy(%s) = %s, want %s", c.month, got, c.want)
		}
		// The day after the due day, the next month is due: the month is late.
		due, _ := time.ParseInLocation(time.DateOnly, c.want, zone())
		if got := DueMonth(due.Add(12 * time.Hour)); got != p {
			t.Errorf("on %s DueMonth = %s, want %s", c.want, got, p)
		}
		if got := DueMonth(due.AddDate(0, 0, 1).Add(12 * time.Hour)); got != p.Next() {
			t.Errorf("the day after %s DueMonth = %s, want %s", c.want, got, p.Next())
		}
	}
}
