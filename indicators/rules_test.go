package indicators

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

func TestParseSide(t *testing.T) {
	codes := map[string]int64{"A": 1, "B_2": 2, "C": 3}
	for _, c := range []struct {
		in, want string
	}{
		{"A", "A"},
		{" a + b_2-C ", "A + B_2 - C"},
		{"A+A", "A + A"},
		{"", ""},
		{"A +", ""},
		{"- A", ""},
		{"A B_2", ""},
		{"A + D", ""},
		{"A * B_2", ""},
		{"A + + B_2", ""},
	} {
		ts, err := parseSide(c.in, codes)
		got := ""
		if err == nil {
			got = formatSide(ts)
		} else if !errors.Is(err, ErrRuleExpr) {
			t.Errorf("%q: %v", c.in, err)
		}
		if got != c.want {
			t.Errorf("%q read as %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		ids := elementMap(t, db)
		rules, err := Rules(ctx, db)
		if err != nil || len(rules) != 1 || !rules[0].Builtin || rules[0].Left != ElemWorkingAge || rules[0].Right != ElemPop15 {
			t.Fatalf("rules %+v, %v: want the built-in working age ≤ 15+", rules, err)
		}
		// Refused, each field named, nothing stored or audited.
		_, err = AddRule(ctx, db, testAdmin, NewRule{NameVI: " ", NameEN: strings.Repeat("x", MaxRuleName+1), MessageVI: "m", MessageEN: "m",
			Left: "HH_FIBRE + NOPE", Op: "<", Right: "PORTAL_LESSONS"})
		wantProblems(t, err, "name_vi", ErrRuleText, "name_en", ErrRuleTextLong, "left", ErrRuleExpr, "op", ErrRuleOp, "right", ErrRuleExpr)
		wantAudit(t, db, "indicators.rule.add", 0, testAdmin, "", "")

		r, err := AddRule(ctx, db, testAdmin, NewRule{NameVI: "Hộ có cáp quang cộng số người được tập huấn", NameEN: "Fibre and trained",
			MessageVI: "Tổng phải nhỏ hơn dân số từ 15 tuổi", MessageEN: "The sum must be under the population aged 15+",
			Left: "hh_fibre+working_trained", Op: "<=", Right: "POP_15"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Left != "HH_FIBRE + WORKING_TRAINED" {
			t.Errorf("left side stored as %q", r.Left)
		}
		wantAudit(t, db, "indicators.rule.add", 1, testAdmin, "indicator_rule", strconv.FormatInt(r.ID, 10))

		vals := Values{ids[ElemFibreHouseholds]: 800, ids[ElemTrained]: 1300, ids[ElemPop15]: 2000, ids[ElemWorkingAge]: 2100}
		got, err := CheckRules(ctx, db, vals)
		if err != nil || len(got) != 2 || got[0].Rule.ID != rules[0].ID || got[1].Left != 2100 || got[1].Right != 2000 {
			t.Fatalf("violations %+v, %v: want the built-in one (2,100 > 2,000) and the new one (2,100 > 2,000)", got, err)
		}
		delete(vals, ids[ElemTrained]) // a blank side is not checked
		if got, _ := CheckRules(ctx, db, vals); len(got) != 1 {
			t.Errorf("with a blank: %+v, want only the built-in rule broken", got)
		}

		if err := DeleteRule(ctx, db, testAdmin, rules[0].ID); !errors.Is(err, ErrRuleBuiltin) {
			t.Errorf("deleting a built-in rule: %v", err)
		}
		if err := DeleteRule(ctx, db, testAdmin, r.ID+100); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("deleting no rule: %v", err)
		}
		if err := DeleteRule(ctx, db, testAdmin, r.ID); err != nil {
			t.Fatal(err)
		}
		wantAudit(t, db, "indicators.rule.delete", 1, testAdmin, "indicator_rule", strconv.FormatInt(r.ID, 10))
	})
}
