package indicators

import (
	"math"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestUnsharedSplitLandsWholeWhereItMeets: an old unit split without
// shares is not comparable in each successor, nor in a province holding
// only some of them; where all of them meet (the province holding them
// all, the nation) it counts once and whole. A split behind a split of
// its own keeps what the outer one says.
func TestUnsharedSplitLandsWholeWhereItMeets(t *testing.T) {
	const day = "2025-07-01"
	u := func(id int64, code, path, from, to string) *Unit {
		return &Unit{ID: id, Code: code, Path: path, ValidFrom: from, ValidTo: to}
	}
	half := 0.5
	g := &graph{day: day, all: map[int64]*Unit{}, onDay: map[string]int64{}, succ: map[int64][]Successor{},
		carries: map[int64][]carry{}, chains: map[int64][]int64{}}
	for _, x := range []*Unit{
		u(1, "01", "/01/", "2020-01-01", OpenEnd), u(2, "02", "/02/", "2020-01-01", OpenEnd),
		u(11, "10001", "/01/10001/", day, OpenEnd), u(12, "10002", "/01/10002/", day, OpenEnd),
		u(21, "20001", "/02/20001/", day, OpenEnd),
		// Old units: 100 split inside province 01; 200 split across 01 and
		// 02; 300 half into 11 and half into the old 400, itself split
		// without shares into 12 and 21.
		u(100, "90100", "/01/90100/", "2020-01-01", day), u(200, "90200", "/01/90200/", "2020-01-01", day),
		u(300, "90300", "/01/90300/", "2020-01-01", "2024-01-01"), u(400, "90400", "/01/90400/", "2024-01-01", day),
	} {
		g.all[x.ID] = x
		if x.ValidOn(day) {
			g.onDay[x.Code] = x.ID
		}
	}
	g.succ[100] = []Successor{{OldUnitID: 100, NewUnitID: 11}, {OldUnitID: 100, NewUnitID: 12}}
	g.succ[200] = []Successor{{OldUnitID: 200, NewUnitID: 11}, {OldUnitID: 200, NewUnitID: 21}}
	g.succ[300] = []Successor{{OldUnitID: 300, NewUnitID: 11, Weight: &half}, {OldUnitID: 300, NewUnitID: 400, Weight: &half}}
	g.succ[400] = []Successor{{OldUnitID: 400, NewUnitID: 12}, {OldUnitID: 400, NewUnitID: 21}}

	type want struct {
		w          float64
		comparable bool
	}
	for old, wants := range map[int64]map[int64]want{
		100: {11: {1, false}, 12: {1, false}, 1: {1, true}, NationID: {1, true}},
		200: {11: {1, false}, 21: {1, false}, 1: {1, false}, 2: {1, false}, NationID: {1, true}},
		300: {11: {0.5, true}, 12: {0.5, false}, 21: {0.5, false}, 1: {1, false}, 2: {0.5, false}, NationID: {1, true}},
	} {
		got := g.landing(old)
		if len(got) != len(wants) {
			t.Errorf("%d lands on %d units (%v), want %d", old, len(got), got, len(wants))
		}
		for a, w := range wants {
			c, ok := got[a]
			if !ok || c.comparable != w.comparable || (w.comparable && math.Abs(c.w-w.w) > 1e-9) {
				t.Errorf("%d on %d: %+v (found %v), want share %v comparable %v", old, a, c, ok, w.w, w.comparable)
			}
		}
	}
}

// TestHeadlineMonth: the month a dashboard leads with is the latest in
// which the complete share of the expected units have counted figures,
// not the latest with any; a month nobody reported in still expects its
// units.
func TestHeadlineMonth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		now := time.Now()
		last := MonthOf(now).Prev()
		// Last month: one approval, the rest only submitted.
		if _, err := db.NewRaw(`UPDATE indicator_reports SET status = 'submitted' WHERE period = ? AND id NOT IN
			(SELECT MIN(id) FROM indicator_reports WHERE period = ?)`, last.String(), last.String()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := RebuildRollups(ctx, db, now); err != nil {
			t.Fatal(err)
		}
		q := Query{From: last.add(-2), To: MonthOf(now)}
		d, err := BuildDashboard(ctx, db, q, now)
		if err != nil {
			t.Fatal(err)
		}
		if d.Latest != last.Prev() || d.Incomplete {
			t.Errorf("public dashboard leads with %v (incomplete %v), want %v: %v has one approval of %+v", d.Latest, d.Incomplete, last.Prev(), last, d.Completeness)
		}
		// The month still being reported expects every unit.
		if c := d.Completeness[len(d.Completeness)-1]; c.Expected == 0 || c.Reported != 0 {
			t.Errorf("this month's completeness = %+v, want units expected and none reported", c)
		}
		q.WithSubmitted = true
		if d, err = BuildDashboard(ctx, db, q, now); err != nil || d.Latest != last {
			t.Errorf("officials' dashboard leads with %v (%v), want %v, whose reports are all sent", d.Latest, err, last)
		}
		// A share of 1% lets last month lead the public page too.
		if err := SaveSettings(ctx, db, testAdmin, Settings{JumpShare: DefaultJumpShare, CompleteShare: 0.001, HomeUnit: demoHomeUnit}, now); err != nil {
			t.Fatal(err)
		}
		q.WithSubmitted = false
		if d, err = BuildDashboard(ctx, db, q, now); err != nil || d.Latest != last {
			t.Errorf("with a share of 0.1%% the public dashboard leads with %v (%v), want %v", d.Latest, err, last)
		}
	})
}

// TestWorkingAgeWithinAdults: the working-age population is never more
// than the population aged 15 and over, whatever the indicators pair.
func TestWorkingAgeWithinAdults(t *testing.T) {
	els := []Element{{ID: 1, Code: ElemPop15, Source: SourceEntered, Active: true}, {ID: 2, Code: ElemWorkingAge, Source: SourceEntered, Active: true}}
	probs := Check(els, nil, Values{1: 100, 2: 101}, false)
	if len(probs) != 1 || probs[0].ElementID != 2 || probs[0].Other != 1 || probs[0].MsgID != "indicators.entry.error.exceeds" {
		t.Errorf("working age 101 over 100 adults: %+v, want one problem on the working age", probs)
	}
	if probs := Check(els, nil, Values{1: 100, 2: 100}, false); len(probs) != 0 {
		t.Errorf("working age equal to adults: %+v, want none", probs)
	}
}

// TestRollupsStoredForEveryHierarchy: the roll-ups of a day before the
// reorganisation are stored like today's (read, not summed from the
// reports), equal a fresh computation, and stay equal when a report of
// that time changes state.
func TestRollupsStoredForEveryHierarchy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		before, after := "2025-06-30", Today(time.Now())
		for day, want := range map[string]string{before: "2020-01-01", after: ReorgDay} {
			if h, err := rollupsFresh(ctx, db, day); err != nil || h != want {
				t.Errorf("stored hierarchy of %s = %q (%v), want %q", day, h, err, want)
			}
		}
		months := []string{"2025-04", "2025-05", "2025-06"}
		checkRollupsMatch(t, db, before, months)
		checkRollupsMatch(t, db, after, months)
		// An approved report of May 2025, of a commune merged away since,
		// unlocked: both hierarchies lose it.
		var id int64
		if err := db.NewRaw(`SELECT r.id FROM indicator_reports AS r JOIN org_units AS u ON u.id = r.unit_id
			WHERE r.period = '2025-05' AND r.status = 'approved' AND u.valid_to = ? ORDER BY r.id LIMIT 1`, ReorgDay).Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		if _, err := Unlock(ctx, db, testAdmin, id, "kiểm tra lại"); err != nil {
			t.Fatal(err)
		}
		checkRollupsMatch(t, db, before, months)
		checkRollupsMatch(t, db, after, months)
		if h, _ := rollupsFresh(ctx, db, before); h == "" {
			t.Error("a report's change made the stored roll-ups of the day before stale")
		}
	})
}

// TestImportRebuildsFromItsDay: an import for a day rebuilds the stored
// roll-ups of the hierarchies from that day on and leaves earlier ones as
// they were (a marker written into an earlier hierarchy's row survives);
// the rebuilt ones equal a fresh computation.
func TestImportRebuildsFromItsDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := t.Context()
		seeded(t, db)
		mark := func(h string) int64 {
			var n int64
			if err := db.NewRaw("SELECT count(*) FROM indicator_rollups WHERE hierarchy = ? AND approved_nc = 777", h).Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, h := range []string{"2020-01-01", ReorgDay} {
			if _, err := db.NewRaw("UPDATE indicator_rollups SET approved_nc = 777 WHERE hierarchy = ? AND unit_id = 0", h).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		// A commune renamed from 2026-01-01.
		list := "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\nThành phố Hồ Chí Minh,79,,,Phường Đổi Tên,26506,Phường\n"
		res, rows, err := ImportUnitFile(ctx, db, testAdmin, &UnitFile{Kind: UnitList, Day: "2026-01-01", Data: []byte(list)}, time.Now())
		if err != nil || len(rows) > 0 || res.Units.Changed != 1 {
			t.Fatalf("import: %+v %v %v", res, rows, err)
		}
		if mark("2020-01-01") == 0 || mark(ReorgDay) == 0 {
			t.Errorf("hierarchies before 2026-01-01 were rebuilt: markers %d, %d left", mark("2020-01-01"), mark(ReorgDay))
		}
		if h, _ := rollupsFresh(ctx, db, "2026-06-30"); h != "2026-01-01" {
			t.Fatalf("the new hierarchy is %q, want 2026-01-01", h)
		}
		checkRollupsMatch(t, db, "2026-06-30", []string{"2025-12", "2026-01", "2026-02"})
		// The markers go; a full rebuild agrees with the kept rows.
		for _, h := range []string{"2020-01-01", ReorgDay} {
			db.NewRaw("UPDATE indicator_rollups SET approved_nc = 0 WHERE hierarchy = ? AND unit_id = 0 AND approved_nc = 777", h).Exec(ctx)
		}
		checkRollupsMatch(t, db, "2025-06-30", []string{"2025-05", "2025-06"})
		checkRollupsMatch(t, db, "2025-12-31", []string{"2025-11", "2025-12"})
	})
}
