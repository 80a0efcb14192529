package indicators

import (
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestListGivenTheWrongDayKeepsReports: the list of 1 July 2025 imported
// again with the day 2025-01-01 would end the old communes (already ended
// on 1 July by the list before) half a year earlier, under their reports
// of January to June 2025; it is refused, in a dry run as in the import,
// naming each unit and its first report, and every figure stays. Before,
// it went in: March 2025's approved households of the country fell from
// the sum of its reports by those of 13 renamed communes, and today's
// hierarchy counted 83 units approved of 55 expected.
func TestListGivenTheWrongDayKeepsReports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		els, err := elementIDs(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		figures := func() [2]Cell {
			var out [2]Cell
			for i, day := range []string{"2025-03-31", Today(time.Now())} {
				c, err := Rollup(ctx, db, day, []int64{NationID}, []string{"2025-03"})
				if err != nil {
					t.Fatal(err)
				}
				out[i] = c.Cell(NationID, "2025-03", els[0])
				if comp := c.Completeness(NationID, "2025-03"); comp.Approved > comp.Expected || comp.Expected == 0 {
					t.Errorf("March 2025 on %s: %+v", day, comp)
				}
			}
			return out
		}
		before := figures()
		data, _ := demoFiles.ReadFile(demoAfter)
		for _, dry := range []bool{true, false} {
			res, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: "2025-01-01", Data: data, DryRun: dry}, time.Now())
			if err != nil || len(rows) == 0 || rows[0].Row != 2 || rows[0].Value != "26506" || rows[0].MsgID != "indicators.import.error.unit_has_reports" || rows[0].Ref != "2025-01" {
				t.Fatalf("the list of July 2025 for 2025-01-01 (dry run %v): %+v %v %v, want refused from row 2, 26506 reporting from 2025-01", dry, res.Units, rows, err)
			}
		}
		if after := figures(); after != before {
			t.Errorf("March 2025's households, on its day and today: %+v, want %+v as before the refused list", after, before)
		}
		checkRollupsMatch(t, db, "2025-03-31", []string{"2025-03"})
		checkRollupsMatch(t, db, Today(time.Now()), []string{"2025-03"})
		// The same list on its own day still changes nothing.
		res, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: ReorgDay, Complete: true, Data: data}, time.Now())
		if err != nil || len(rows) > 0 || res.Units.Created+res.Units.Changed+res.Units.Closed != 0 {
			t.Errorf("the list of July 2025 on its day: %+v %v %v, want nothing changed", res.Units, rows, err)
		}
	})
}
