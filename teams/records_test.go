package teams

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// TestUnitMonths: the help log adds up by commune and month, within the
// months asked only; a correction changes the sums; the entries of a
// member who has left still count.
func TestUnitMonths(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		east := mustTeam(t, db, "26734", "Đông", "100")
		west := mustTeam(t, db, "26734", "Tây", "80")
		far := mustTeam(t, db, "26737", "Xa", "10")
		a, b, c := mustHelper(t, db, east, "a@example.test"), mustHelper(t, db, west, "b@example.test"), mustHelper(t, db, far, "c@example.test")
		now := time.Date(2026, 12, 20, 3, 0, 0, 0, time.UTC)
		record := func(who accounts.Actor, day, hh, young, old string) *Visit {
			v, err := RecordVisit(ctx, db, who, VisitInput{Day: day, Kind: KindVisit, Households: hh, People1559: young, People60: old}, now)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		x := record(a, "2026-12-19", "8", "5", "6")
		record(a, "2026-12-01", "4", "0", "1")
		record(b, "2026-12-02", "10", "7", "0")
		record(a, "2026-11-30", "3", "3", "3")
		record(c, "2026-12-05", "2", "1", "1")

		type key struct{ unit, month string }
		sums := func(from, to string) map[key]UnitMonth {
			t.Helper()
			rows, err := UnitMonths(ctx, db, from, to)
			if err != nil {
				t.Fatal(err)
			}
			out := map[key]UnitMonth{}
			for _, r := range rows {
				out[key{r.UnitCode, r.Month}] = r
			}
			return out
		}
		got := sums("2026-12", "2026-12")
		want := map[key]UnitMonth{
			{"26734", "2026-12"}: {UnitCode: "26734", Month: "2026-12", Entries: 3, Households: 22, People1559: 12, People60: 7},
			{"26737", "2026-12"}: {UnitCode: "26737", Month: "2026-12", Entries: 1, Households: 2, People1559: 1, People60: 1},
		}
		if len(got) != len(want) {
			t.Fatalf("December = %+v, want %+v", got, want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%v = %+v, want %+v", k, got[k], w)
			}
		}
		if got := sums("2026-11", "2026-12"); len(got) != 3 || got[key{"26734", "2026-11"}].Households != 3 {
			t.Errorf("November to December = %+v, want November's 3 households too", got)
		}

		if err := CorrectVisit(ctx, db, a, x.ID, VisitInput{Day: "2026-12-19", Kind: KindVisit, Households: "18", People1559: "5", People60: "6"}, now); err != nil {
			t.Fatal(err)
		}
		if got := sums("2026-12", "2026-12")[key{"26734", "2026-12"}]; got.Households != 32 {
			t.Errorf("after the correction, households = %d, want 32", got.Households)
		}
		if err := Leave(ctx, db, b); err != nil {
			t.Fatal(err)
		}
		if got := sums("2026-12", "2026-12")[key{"26734", "2026-12"}]; got.Households != 32 || got.Entries != 3 {
			t.Errorf("after a member left = %+v, want the entries kept", got)
		}
	})
}

// TestUnitMonthsReadsTheIndex: the sums behind the figures from team
// records read a year of every commune's help log; on SQLite they come
// from an index that holds the counts, not from the table row by row
// (with 200,000 entries that lookup was a third of the dashboard's work).
func TestUnitMonthsReadsTheIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		if db.Dialect().Name().String() != "sqlite" {
			t.Skip("the plan is SQLite's; PostgreSQL chooses by its statistics")
		}
		q := unitMonthsQuery(db, "2026-01", "2026-12").String()
		var plan []struct {
			ID      int64  `bun:"id"`
			Parent  int64  `bun:"parent"`
			NotUsed int64  `bun:"notused"`
			Detail  string `bun:"detail"`
		}
		if err := db.NewRaw("EXPLAIN QUERY PLAN "+q).Scan(context.Background(), &plan); err != nil {
			t.Fatal(err)
		}
		var steps []string
		covered := false
		for _, p := range plan {
			steps = append(steps, p.Detail)
			covered = covered || strings.Contains(p.Detail, "COVERING INDEX team_visits_sums_idx")
		}
		if !covered {
			t.Errorf("the help log's sums are not read from the index alone: %q", steps)
		}
	})
}
