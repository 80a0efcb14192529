package indicators

import (
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestMappingRowsThatCannotBeTogether: a mapping naming the same old and
// new code twice, an old unit going wholly into one unit and somewhere else
// too, or shares that all stated fall short of 100%, is refused row by row,
// in a dry run as in the import, and leaves the links as they were. Before,
// a repeated pair broke the one-link-per-pair constraint (a 500, even for a
// dry run), and the other two were stored: a whole merge beside an unshared
// split counted the old unit twice above both, and shares of 30% and 30%
// dropped 40% of its figures from every total.
func TestMappingRowsThatCannotBeTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		old, err := UnitByCode(ctx, db, "26508", "2025-06-30")
		if err != nil {
			t.Fatal(err)
		}
		before, err := SuccessorsOf(ctx, db, old.ID)
		if err != nil || len(before) != 1 {
			t.Fatalf("26508 has %d links (%v), want its demo one", len(before), err)
		}
		const head = "Mã cũ,Mã mới,Loại,Tỷ lệ\n"
		for _, c := range []struct {
			name, rows string
			want       RowError
		}{
			{"the same pair twice, no share", "26508,26506,một phần,\n26508,26506,một phần,\n",
				RowError{Row: 3, Value: "26506", MsgID: "indicators.import.error.mapping_duplicate", Other: 2}},
			{"the same pair twice, shares", "26508,26506,một phần,30%\n26508,26506,một phần,30%\n",
				RowError{Row: 3, Value: "26506", MsgID: "indicators.import.error.mapping_duplicate", Other: 2}},
			{"whole, then split without a share", "26508,26506,toàn bộ,\n26508,26521,một phần,\n",
				RowError{Row: 3, Value: "26508", MsgID: "indicators.import.error.mapping_full_more", Other: 2}},
			{"split, then whole", "26508,26521,một phần,\n26508,26506,toàn bộ,\n",
				RowError{Row: 3, Value: "26508", MsgID: "indicators.import.error.mapping_full_more", Other: 2}},
			{"shares adding up to 60%", "26508,26506,một phần,30%\n26508,26521,một phần,0.3\n",
				RowError{Row: 3, Value: "60%", MsgID: "indicators.import.error.weight_short"}},
			{"shares adding up to 120%", "26508,26506,một phần,60%\n26508,26521,một phần,60%\n",
				RowError{Row: 3, Value: "60%", MsgID: "indicators.import.error.weight_sum"}},
			{"one share of 40%", "26508,26506,một phần,40%\n",
				RowError{Row: 2, Value: "40%", MsgID: "indicators.import.error.weight_short"}},
		} {
			for _, dry := range []bool{true, false} {
				f := &UnitFile{Kind: SuccessorMapping, Day: ReorgDay, Data: []byte(head + c.rows), DryRun: dry}
				_, rows, err := ImportUnitFile(ctx, db, testAdmin, f, time.Now())
				if err != nil || len(rows) != 1 || rows[0].Row != c.want.Row || rows[0].Value != c.want.Value ||
					rows[0].MsgID != c.want.MsgID || rows[0].Other != c.want.Other {
					t.Errorf("%s (dry run %v): %+v %v, want %+v", c.name, dry, rows, err, c.want)
				}
			}
		}
		after, err := SuccessorsOf(ctx, db, old.ID)
		if err != nil || len(after) != 1 || after[0].NewUnitID != before[0].NewUnitID || !after[0].Full {
			t.Errorf("links of 26508 after refused files: %+v (%v), want %+v", after, err, before)
		}
		// Shares adding up to the whole, or none stated, still go in.
		for _, rows := range []string{"26508,26506,một phần,70%\n26508,26521,một phần,30%\n", "26508,26506,một phần,\n26508,26521,một phần,\n",
			// Shares rounded to two decimals of a percentage.
			"26508,26506,một phần,33.33%\n26508,26521,một phần,33.33%\n26508,26530,một phần,33.33%\n",
			"26508,26506,một phần,16.67%\n26508,26521,một phần,16.67%\n26508,26530,một phần,16.67%\n26508,26533,một phần,16.67%\n26508,26536,một phần,16.67%\n26508,26539,một phần,16.67%\n"} {
			res, probs, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: SuccessorMapping, Day: ReorgDay, Data: []byte(head + rows)}, time.Now())
			if err != nil || len(probs) > 0 || res.Mappings.Replaced != 1 {
				t.Errorf("%q: %+v %v %v, want one old unit's links replaced", rows, res.Mappings, probs, err)
			}
			checkRollupsMatch(t, db, Today(time.Now()), []string{"2025-05", "2025-06"})
		}
	})
}
