package indicators

import (
	"math"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestUnitIsNotItsOwnSuccessor: a mapping of a day on which a unit did not
// change ("26506 → 26506" for 2 July 2025) stores no link, and a link of a
// unit to itself, stored, does not multiply its value: followed, it came
// back to the unit twelve times, and a merge after it counted the value
// twelve times over.
func TestUnitIsNotItsOwnSuccessor(t *testing.T) {
	const day = "2026-01-01"
	g := &graph{day: "2026-06-30", all: map[int64]*Unit{}, onDay: map[string]int64{}, succ: map[int64][]Successor{},
		carries: map[int64][]carry{}, chains: map[int64][]int64{}}
	for _, x := range []*Unit{
		{ID: 1, Code: "79", Path: "/79/", ValidFrom: "2025-07-01", ValidTo: OpenEnd},
		{ID: 11, Code: "26999", Path: "/79/26999/", ValidFrom: day, ValidTo: OpenEnd},
		{ID: 100, Code: "26506", Path: "/79/26506/", ValidFrom: "2025-07-01", ValidTo: day},
	} {
		g.all[x.ID] = x
		if x.ValidOn(g.day) {
			g.onDay[x.Code] = x.ID
		}
	}
	g.succ[100] = []Successor{{OldUnitID: 100, NewUnitID: 100, Full: true}, {OldUnitID: 100, NewUnitID: 11, Full: true}}
	got := g.landing(100)
	for _, a := range []int64{11, 1, NationID} {
		if c := got[a]; math.Abs(c.w-1) > 1e-9 || !c.comparable {
			t.Errorf("26506 merged into 26999, beside a link to itself, lands on %d as %+v, want once, comparable", a, c)
		}
	}

	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		f := &UnitFile{Kind: SuccessorMapping, Day: "2025-07-02", Data: []byte("Mã cũ,Mã mới,Loại,Tỷ lệ\n26506,26506,toàn bộ,\n")}
		res, rows, err := ImportUnitFile(ctx, db, testAdmin, f, time.Now())
		if err != nil || len(rows) > 0 || res.Mappings.Replaced != 0 || res.Mappings.Unchanged != 1 {
			t.Errorf("26506 onto itself on 2 July 2025: %+v %v %v, want one row unchanged", res.Mappings, rows, err)
		}
		var n int64
		if n, err = db.NewSelect().Model((*Successor)(nil)).Where("old_unit_id = new_unit_id").Count(ctx); err != nil || n != 0 {
			t.Errorf("%d links of a unit to itself (%v)", n, err)
		}
	})
}
