package indicators

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

func elementMap(t *testing.T, db bun.IDB) map[string]int64 {
	t.Helper()
	els, err := Elements(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int64{}
	for _, e := range els {
		m[e.Code] = e.ID
	}
	return m
}

// fullValues returns a complete, valid report scaled by k.
func fullValues(ids map[string]int64, k int64) Values {
	return Values{
		ids[ElemHouseholds]: 1000 * k, ids[ElemFibreHouseholds]: 800 * k, ids[ElemPop15]: 2700 * k,
		ids[ElemSmartphone]: 2200 * k, ids[ElemAccount]: 2000 * k, ids[ElemSignature]: 900 * k,
		ids[ElemVNeID]: 1800 * k, ids[ElemWorkingAge]: 2100 * k, ids[ElemTrained]: 1300 * k,
	}
}

// checkRollupsMatch compares the stored roll-ups of every unit valid on day
// with roll-ups computed afresh from the reports.
func checkRollupsMatch(t *testing.T, db bun.IDB, day string, periods []string) {
	t.Helper()
	ctx := context.Background()
	us, err := UnitsOn(ctx, db, day)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{NationID}
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	stored, err := Rollup(ctx, db, day, ids, periods)
	if err != nil {
		t.Fatal(err)
	}
	g, err := loadGraph(ctx, db, day)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := compute(ctx, db, g, ids, periods)
	if err != nil {
		t.Fatal(err)
	}
	els, _ := elementIDs(ctx, db)
	for _, u := range ids {
		for _, p := range periods {
			if a, b := stored.Completeness(u, p), fresh.Completeness(u, p); a != b {
				t.Errorf("unit %d %s completeness stored %+v, fresh %+v", u, p, a, b)
			}
			for _, e := range els {
				a, b := stored.Cell(u, p, e), fresh.Cell(u, p, e)
				if math.Abs(a.Approved-b.Approved) > 1e-6 || math.Abs(a.Counted-b.Counted) > 1e-6 || a.ApprovedNC != b.ApprovedNC || a.CountedNC != b.CountedNC {
					t.Errorf("unit %d %s element %d: stored %+v, fresh %+v", u, p, e, a, b)
				}
			}
		}
	}
}

func TestWorkflowAuditAndRollups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		today := Today(time.Now())
		commune, err := UnitByCode(ctx, db, "26536", today) // Xã Long Sơn
		if err != nil {
			t.Fatal(err)
		}
		period := MonthOf(time.Now()) // the demo leaves this month empty
		who := accounts.Actor{UserID: 7, Email: "commune@example.org", IP: "192.0.2.1"}

		// A numerator above its denominator is refused.
		bad := fullValues(ids, 1)
		bad[ids[ElemFibreHouseholds]] = 1001
		_, err = SaveDraft(ctx, db, who, commune, period, bad)
		var pe *ProblemsError
		if !errors.As(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0].ElementID != ids[ElemFibreHouseholds] {
			t.Fatalf("SaveDraft with fibre > households = %v, want one problem on fibre", err)
		}
		// Submitting a partial report is refused; a draft may be partial.
		partial := Values{ids[ElemHouseholds]: 1000}
		if _, err := Submit(ctx, db, who, commune, period, partial); !errors.Is(err, ErrInvalid) {
			t.Fatalf("Submit partial = %v, want ErrInvalid", err)
		}
		rep, err := SaveDraft(ctx, db, who, commune, period, partial)
		if err != nil || rep.Status != StatusDraft {
			t.Fatalf("SaveDraft = %+v, %v", rep, err)
		}
		rep, err = Submit(ctx, db, who, commune, period, fullValues(ids, 1))
		if err != nil || rep.Status != StatusSubmitted {
			t.Fatalf("Submit = %+v, %v", rep, err)
		}
		if _, err := SaveDraft(ctx, db, who, commune, period, fullValues(ids, 2)); !errors.Is(err, ErrNotEditable) {
			t.Errorf("SaveDraft on a submitted report = %v, want ErrNotEditable", err)
		}
		checkRollupsMatch(t, db, today, []string{period.String()})

		prov := accounts.Actor{UserID: 8, Email: "province@example.org"}
		if _, err := Return(ctx, db, prov, rep.ID, " "); !errors.Is(err, ErrReasonRequired) {
			t.Errorf("Return without comment = %v, want ErrReasonRequired", err)
		}
		if _, err := Return(ctx, db, prov, rep.ID, strings.Repeat("ô", MaxComment+1)); !errors.Is(err, ErrCommentTooLong) {
			t.Errorf("Return with a comment of %d characters = %v, want ErrCommentTooLong", MaxComment+1, err)
		}
		if _, err := Return(ctx, db, prov, rep.ID, "Số hộ có cáp quang cần kiểm tra lại"); err != nil {
			t.Fatal(err)
		}
		checkRollupsMatch(t, db, today, []string{period.String()})
		if _, err := Submit(ctx, db, who, commune, period, fullValues(ids, 2)); err != nil {
			t.Fatal(err)
		}
		rep, err = Approve(ctx, db, prov, rep.ID, "")
		if err != nil || rep.Status != StatusApproved {
			t.Fatalf("Approve = %+v, %v", rep, err)
		}
		checkRollupsMatch(t, db, today, []string{period.String()})
		if _, err := SaveDraft(ctx, db, who, commune, period, fullValues(ids, 3)); !errors.Is(err, ErrNotEditable) {
			t.Errorf("SaveDraft on an approved report = %v, want ErrNotEditable", err)
		}
		if _, err := Approve(ctx, db, prov, rep.ID, ""); !errors.Is(err, ErrWrongState) {
			t.Errorf("Approve twice = %v, want ErrWrongState", err)
		}
		admin := accounts.Actor{UserID: 1, Email: "admin@example.org"}
		if _, err := Unlock(ctx, db, admin, rep.ID, ""); !errors.Is(err, ErrReasonRequired) {
			t.Errorf("Unlock without reason = %v", err)
		}
		if rep, err = Unlock(ctx, db, admin, rep.ID, "Xã báo sai số dân"); err != nil || rep.Status != StatusDraft {
			t.Fatalf("Unlock = %+v, %v", rep, err)
		}
		checkRollupsMatch(t, db, today, []string{period.String()})

		// Every value change and state change is in the audit log.
		var audits []struct {
			Action string `bun:"action"`
			Old    string `bun:"old_value"`
			New    string `bun:"new_value"`
		}
		if err := db.NewSelect().TableExpr("audit_log").Column("action", "old_value", "new_value").Where("object_id LIKE ?", "26536/"+period.String()+"%").Order("id").Scan(ctx, &audits); err != nil {
			t.Fatal(err)
		}
		var states []string
		values := 0
		for _, a := range audits {
			if a.Action == "indicators.status" {
				states = append(states, a.Old+">"+a.New)
			} else {
				values++
			}
		}
		want := []string{">draft", "draft>submitted", "submitted>returned", "returned>submitted", "submitted>approved", "approved>draft"}
		if len(states) != len(want) {
			t.Fatalf("state audit = %v, want %v", states, want)
		}
		for i := range want {
			if states[i] != want[i] {
				t.Errorf("state audit[%d] = %s, want %s", i, states[i], want[i])
			}
		}
		if values != 1+8+9 { // households alone; the other eight added; all nine doubled
			t.Errorf("value audit lines = %d, want 18", values)
		}
	})
}

func TestRollupAcrossReorganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		today := Today(time.Now())
		hcm, _ := UnitByCode(ctx, db, "79", today)
		phuMy, _ := UnitByCode(ctx, db, "26710", today) // Tân Hải: gets 60% of Tân Hoà
		c, err := Rollup(ctx, db, today, []int64{NationID, hcm.ID, phuMy.ID}, []string{"2025-03"})
		if err != nil {
			t.Fatal(err)
		}
		var want float64
		for _, code := range []string{"26506", "26536", "26707", "26734"} {
			_ = code
		}
		// The province's households in March 2025 are the sum of the 83
		// reporting units of Bà Rịa – Vũng Tàu then.
		var sum int64
		if err := db.NewSelect().TableExpr("indicator_values AS v").ColumnExpr("SUM(v.value)").
			Join("JOIN indicator_reports AS r ON r.id = v.report_id").
			Where("r.period = '2025-03' AND r.status = 'approved' AND v.element_id = ?", ids[ElemHouseholds]).Scan(ctx, &sum); err != nil {
			t.Fatal(err)
		}
		want = float64(sum)
		got := c.Cell(hcm.ID, "2025-03", ids[ElemHouseholds]).Approved
		if math.Abs(got-want) > 1e-6 || want == 0 {
			t.Errorf("Hồ Chí Minh households 2025-03 = %v, want %v", got, want)
		}
		if n := c.Cell(NationID, "2025-03", ids[ElemHouseholds]).Approved; math.Abs(n-want) > 1e-6 {
			t.Errorf("nation = %v, want %v", n, want)
		}
		comp := c.Completeness(hcm.ID, "2025-03")
		if comp != (Completeness{Expected: 83, Reported: 83, Approved: 83}) {
			t.Errorf("completeness = %+v, want 83 expected, reported and approved", comp)
		}
		tanHoa, _ := UnitByCode(ctx, db, "26707", "2025-03-31")
		tanHai, _ := UnitByCode(ctx, db, "26710", "2025-03-31")
		_, v1, _ := ReportFor(ctx, db, tanHoa.ID, Month(2025, 3))
		_, v2, _ := ReportFor(ctx, db, tanHai.ID, Month(2025, 3))
		wantTH := 0.6*float64(v1[ids[ElemHouseholds]]) + float64(v2[ids[ElemHouseholds]])
		if got := c.Cell(phuMy.ID, "2025-03", ids[ElemHouseholds]).Approved; math.Abs(got-wantTH) > 1e-6 {
			t.Errorf("Tân Hải households 2025-03 = %v, want %v (own plus 60%% of Tân Hoà)", got, wantTH)
		}
		checkRollupsMatch(t, db, today, []string{"2025-03", "2025-06", "2025-07", MonthOf(time.Now()).Prev().String()})

		// A split without a stated share makes the figures not comparable.
		if _, err := db.NewUpdate().Model((*Successor)(nil)).Set("weight = NULL").Where("old_unit_id = ?", tanHoa.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := bumpUnitsVersion(ctx, db); err != nil {
			t.Fatal(err)
		}
		c, err = Rollup(ctx, db, today, []int64{NationID, hcm.ID, phuMy.ID}, []string{"2025-03"})
		if err != nil {
			t.Fatal(err)
		}
		if cell := c.Cell(phuMy.ID, "2025-03", ids[ElemHouseholds]); cell.ApprovedNC != 1 || cell.Approved != float64(v2[ids[ElemHouseholds]]) {
			t.Errorf("Tân Hải without a share = %+v, want one value not comparable", cell)
		}
		// Both of Tân Hoà's successors lie in Hồ Chí Minh City: there, and
		// in the nation, it counts whole, and the sum is comparable.
		for _, unit := range []int64{hcm.ID, NationID} {
			if cell := c.Cell(unit, "2025-03", ids[ElemHouseholds]); cell.ApprovedNC != 0 || math.Abs(cell.Approved-want) > 1e-6 {
				t.Errorf("unit %d with an unshared split inside it = %+v, want %v comparable", unit, cell, want)
			}
		}
		if err := RebuildRollups(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		checkRollupsMatch(t, db, today, []string{"2025-03", "2025-06"})
	})
}
