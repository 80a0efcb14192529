package indicators

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// A rule the portal has already, typed again or read from the other side
// (B >= A for A <= B), is refused at its left side: it would only say the
// same warning twice on every report. Nothing is stored or audited.
func TestRuleAddedTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		in := NewRule{NameVI: "Chữ ký số", NameEN: "Signature", MessageVI: "Số người có chữ ký số không vượt số người có điện thoại thông minh", MessageEN: "Signatures within smartphones",
			Left: "ADULT_SIGNATURE", Op: "<=", Right: "ADULT_SMARTPHONE"}
		first, err := AddRule(ctx, db, testAdmin, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := AddRule(ctx, db, testAdmin, NewRule{NameVI: "n", NameEN: "n", MessageVI: "m", MessageEN: "m", Left: "HH_FIBRE + ADULT_SIGNATURE", Op: "=", Right: "POP_15"}); err != nil {
			t.Fatal(err)
		}
		for _, again := range []NewRule{
			{Left: " adult_signature ", Op: "<=", Right: "adult_smartphone"},
			{Left: "ADULT_SMARTPHONE", Op: ">=", Right: "ADULT_SIGNATURE"},
			{Left: "ADULT_SIGNATURE + HH_FIBRE", Op: "=", Right: "POP_15"}, // the same sum in another order
			{Left: "POP_15", Op: "=", Right: "HH_FIBRE+ADULT_SIGNATURE"},
			{Left: "HH_FIBRE", Op: "<=", Right: "HH_TOTAL"},  // an indicator's numerator within its denominator, checked always
			{Left: "POP_15", Op: ">=", Right: "POP_WORKING"}, // the built-in one, read from the other side
		} {
			again.NameVI, again.NameEN, again.MessageVI, again.MessageEN = "Lại", "Again", "Lại", "Again"
			_, err := AddRule(ctx, db, testAdmin, again)
			wantProblems(t, err, "left", ErrRuleDuplicate)
		}
		wantAudit(t, db, "indicators.rule.add", 2, testAdmin, "indicator_rule", strconv.FormatInt(first.ID+1, 10))
		if _, err := AddRule(ctx, db, testAdmin, NewRule{NameVI: "n", NameEN: "n", MessageVI: "m", MessageEN: "m", Left: "ADULT_SIGNATURE", Op: "=", Right: "ADULT_SMARTPHONE"}); err != nil {
			t.Errorf("another comparison of the same sides refused: %v", err)
		}
	})
}

// Admins adding rules at once never take the portal past MaxRules.
func TestRulesAddedAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		codes := []string{ElemHouseholds, ElemFibreHouseholds, ElemPop15, ElemSmartphone, ElemAccount, ElemSignature, ElemVNeID, ElemWorkingAge, ElemTrained}
		var all []NewRule // a code against a sum of two others: none is checked already
		for _, l := range codes {
			for i, a := range codes {
				for _, b := range codes[i+1:] {
					if l != a && l != b {
						all = append(all, NewRule{NameVI: "n", NameEN: "n", MessageVI: "m", MessageEN: "m", Left: l, Op: "<=", Right: a + " + " + b})
					}
				}
			}
		}
		have, err := db.NewSelect().Model((*Rule)(nil)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		for ; have < MaxRules-1; have++ {
			if _, err := AddRule(ctx, db, testAdmin, all[i]); err != nil {
				t.Fatal(err)
			}
			i++
		}
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for k := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[k] = AddRule(ctx, db, testAdmin, all[i+k])
			}()
		}
		close(start)
		wg.Wait()
		added := 0
		for _, err := range errs {
			switch {
			case err == nil:
				added++
			case !errors.Is(err, ErrTooManyRules):
				t.Errorf("adding at once: %v", err)
			}
		}
		got, err := db.NewSelect().Model((*Rule)(nil)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if added != 1 || got != MaxRules {
			t.Errorf("%d of %d added at once, %d rules now; want 1 and %d", added, n, got, MaxRules)
		}
	})
}
