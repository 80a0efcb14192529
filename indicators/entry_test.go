package indicators

import (
	"context"
	"errors"
	"math"
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

// TestCompareWithPrevious: the previous month of a unit that lived
// through it unchanged is its own report; that of a unit formed in the
// reorganisation is what its predecessors reported, carried onto it (full
// merges summed, shares apportioned), not the report of an old unit that
// happened to have its code.
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
		merges := 0
		for i := range us {
			u := &us[i]
			if u.Level != 3 {
				continue
			}
			var in []Successor
			if err := db.NewSelect().Model(&in).Where("new_unit_id = ?", u.ID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			want := Values{}
			shared := true
			for _, s := range in {
				w := 1.0
				switch {
				case s.Weight != nil:
					w = *s.Weight
				case !s.Full:
					shared = false
				}
				rep, vals, err := ReportFor(ctx, db, s.OldUnitID, july.Prev())
				if err != nil {
					t.Fatal(err)
				}
				if rep.Status != StatusSubmitted && rep.Status != StatusApproved {
					continue
				}
				for e, v := range vals {
					want[e] += int64(math.Round(w * float64(v)))
				}
			}
			if len(in) < 2 || !shared {
				continue
			}
			merges++
			cmp, err := CompareWithPrevious(ctx, db, u, july, nil)
			if err != nil {
				t.Fatal(err)
			}
			for e, v := range want {
				if d := cmp.Prev[e] - v; d < -1 || d > 1 {
					t.Errorf("%s %s, merged from %d units: June %d = %d, want %d (their sum)", u.Code, u.Name, len(in), e, cmp.Prev[e], v)
				}
			}
			if len(cmp.NotComparable) > 0 {
				t.Errorf("%s: not comparable %v, want none", u.Code, cmp.NotComparable)
			}
		}
		if merges == 0 {
			t.Fatal("the demo has no unit merged from two or more in July 2025")
		}
		// A unit that lived through the month before unchanged (every
		// commune in March 2025) compares with its own report, and a jump
		// warns.
		march := Month(2025, 3)
		before, err := UnitsOn(ctx, db, march.Day())
		if err != nil {
			t.Fatal(err)
		}
		var kept *Unit
		for i := range before {
			if before[i].Level == 3 {
				kept = &before[i]
				break
			}
		}
		if kept == nil {
			t.Fatal("the demo has no commune in March 2025")
		}
		cmp, err := CompareWithPrevious(ctx, db, kept, march, Values{ids[ElemHouseholds]: 1})
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
