package indicators

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// TestSaveEntry: a submit whose values jumped against the previous month
// is held as a draft with the jumps until the official confirms; a draft
// with jumps is saved with them as warnings; each change is audited by the
// official; a locked report or values the rules refuse change nothing.
func TestSaveEntry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		who := accounts.Actor{UserID: 7, Email: "commune@example.test", Role: accounts.RoleCommuneOfficial, Unit: "26536", IP: "192.0.2.7"}
		// Months before the demo's figures begin, so that none is locked.
		base, month, other := Month(2023, 10), Month(2023, 11), Month(2023, 12)
		u, err := UnitByCode(ctx, db, "26536", month.Day())
		if err != nil {
			t.Fatal(err)
		}
		save := func(p Period, v Values, submit, confirmed bool) (*EntryResult, error) {
			return SaveEntry(ctx, db, who, Entry{Unit: u, Period: p, Values: v, Submit: submit, Confirmed: confirmed})
		}
		stored := func(p Period) (*Report, Values) {
			t.Helper()
			rep, v, err := ReportFor(ctx, db, u.ID, p)
			if err != nil {
				t.Fatal(err)
			}
			return rep, v
		}
		states := func(p Period) int { return len(auditsOn(t, db, "indicators.status", u.Code+"/"+p.String())) }

		// Nothing to compare with: submitted at once.
		res, err := save(base, fullValues(ids, 1), true, false)
		if err != nil || res.Held || len(res.Jumps) != 0 || res.Report.Status != StatusSubmitted {
			t.Fatalf("first month = %+v, %v; want submitted without warnings", res, err)
		}

		// Every figure doubled: the submit is held as a draft, with nine jumps.
		res, err = save(month, fullValues(ids, 2), true, false)
		if err != nil || !res.Held || len(res.Jumps) != 9 || res.Report.Status != StatusDraft {
			t.Fatalf("doubled submit = %+v, %v; want held as a draft with 9 jumps", res, err)
		}
		if rep, v := stored(month); rep.Status != StatusDraft || v[ids[ElemHouseholds]] != 2000 {
			t.Errorf("held submit stored %s %v, want a draft of the typed values", rep.Status, v)
		}
		e := wantAudit(t, db, "indicators.status", 2, who, "indicator_report", u.Code+"/"+month.String())
		if e.Old != "" || e.New != string(StatusDraft) {
			t.Errorf("held submit audited %q → %q, want a new draft", e.Old, e.New)
		}
		// Confirmed: submitted, the jumps still said.
		res, err = save(month, fullValues(ids, 2), true, true)
		if err != nil || res.Held || len(res.Jumps) != 9 || res.Report.Status != StatusSubmitted {
			t.Fatalf("confirmed submit = %+v, %v; want submitted", res, err)
		}
		if n := states(month); n != 2 {
			t.Errorf("state changes audited for %s = %d, want 2 (draft, submitted)", month, n)
		}

		// A submitted report is locked, and a refusal writes nothing.
		if _, err := save(month, fullValues(ids, 3), false, false); !errors.Is(err, ErrNotEditable) {
			t.Errorf("saving a submitted report = %v, want ErrNotEditable", err)
		}
		if _, v := stored(month); v[ids[ElemHouseholds]] != 2000 {
			t.Errorf("a refused save changed the values: %v", v)
		}
		bad := fullValues(ids, 2)
		bad[ids[ElemFibreHouseholds]] = bad[ids[ElemHouseholds]] + 1
		var pe *ProblemsError
		if _, err := save(other, bad, false, false); !errors.As(err, &pe) || len(pe.Problems) != 1 {
			t.Errorf("fibre above households = %v, want one problem", err)
		}
		if rep, v := stored(other); rep.ID != 0 || len(v) != 0 || states(other) != 0 {
			t.Errorf("refused values left report %+v, values %v", rep, v)
		}

		// A draft with jumps is saved, with them as warnings.
		res, err = save(other, fullValues(ids, 5), false, false)
		if err != nil || res.Held || len(res.Jumps) != 9 || res.Report.Status != StatusDraft {
			t.Errorf("draft with jumps = %+v, %v; want saved with 9 warnings", res, err)
		}
	})
}

// TestCompareWithPrevious: the previous month of a unit is that of the
// unit that had its code then; a code nobody had then has nothing to
// compare with, and that is no error.
func TestCompareWithPrevious(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		july := Month(2025, 7)
		us, err := UnitsOn(ctx, db, july.Day())
		if err != nil {
			t.Fatal(err)
		}
		var fresh, kept *Unit
		for i := range us {
			_, err := UnitByCode(ctx, db, us[i].Code, july.Prev().Day())
			if err != nil && fresh == nil {
				fresh = &us[i]
			}
			if err == nil && us[i].Level == 3 && kept == nil {
				kept = &us[i]
			}
		}
		if fresh == nil || kept == nil {
			t.Fatal("the demo has no unit new in July 2025, or none that kept its code")
		}
		cmp, err := CompareWithPrevious(ctx, db, fresh, july, fullValues(ids, 1))
		if err != nil || len(cmp.Prev) != 0 || len(cmp.Jumps) != 0 {
			t.Errorf("a new code %s: %+v, %v; want nothing to compare with", fresh.Code, cmp, err)
		}
		cmp, err = CompareWithPrevious(ctx, db, kept, july, Values{ids[ElemHouseholds]: 1})
		if err != nil || len(cmp.Prev) != 9 || len(cmp.Jumps) != 1 || cmp.Jumps[0].ElementID != ids[ElemHouseholds] {
			t.Errorf("code %s kept: %+v, %v; want June's nine values and one jump", kept.Code, cmp, err)
		}
	})
}

// auditsOn returns the entries with action on one object.
func auditsOn(t *testing.T, db bun.IDB, action, object string) []accounts.AuditEntry {
	t.Helper()
	got, err := accounts.ListAudit(context.Background(), db, accounts.AuditFilter{Action: action, Object: object, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return got
}
