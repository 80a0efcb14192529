package indicators

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

func TestDeadlinePassed(t *testing.T) {
	tests := []struct {
		now  string // RFC 3339
		year int
		want bool
	}{
		{"2025-06-15T12:00:00+07:00", 2025, false},
		{"2025-12-31T23:59:59+07:00", 2025, false},
		{"2026-01-01T00:00:00+07:00", 2025, true},
		// Midnight in Vietnam is still 31 December in UTC.
		{"2025-12-31T17:00:00Z", 2025, true},
		{"2025-12-31T16:59:59Z", 2025, false},
		{"2026-12-07T09:00:00+07:00", 2025, true},
		{"2026-12-07T09:00:00+07:00", 2030, false},
		{"2031-01-01T00:00:00+07:00", 2030, true},
	}
	for _, tt := range tests {
		now, err := time.Parse(time.RFC3339, tt.now)
		if err != nil {
			t.Fatal(err)
		}
		if got := DeadlinePassed(tt.year, now); got != tt.want {
			t.Errorf("DeadlinePassed(%d, %s) = %v, want %v", tt.year, tt.now, got, tt.want)
		}
	}
}

// TestSeededTargets: the seeded national targets are those Decision 411
// sets, and a fibre or skills-training target seeded by an earlier version
// goes unless an admin has changed it.
func TestSeededTargets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDefinitions(ctx, db); err != nil {
			t.Fatal(err)
		}
		got := seededTargets(t, db)
		want := map[string]string{
			"SMARTPHONE 2025": "80 at least", "ACCOUNT_15 2025": "80 at least", "SIGNATURE 2025": "50 over",
			"SMARTPHONE 2030": "95 at least", "ACCOUNT_15 2030": "95 over",
		}
		if len(got) != len(want) {
			t.Errorf("seeded targets %v, want %v", got, want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("target %s = %q, want %q", k, got[k], w)
			}
		}

		// What an earlier version seeded goes at the next start; an admin's
		// own target for a province stays, and so does a national one whose
		// figure or strictness an admin changed.
		id := func(code string) int64 {
			in, err := IndicatorByCode(ctx, db, code)
			if err != nil {
				t.Fatal(err)
			}
			return in.ID
		}
		fibre, trained := id(IndFibre), id(IndTrained)
		for _, tg := range []Target{
			{IndicatorID: fibre, Year: 2025, Value: 80, SourceVI: src411VI, SourceEN: src411EN},
			{IndicatorID: fibre, Year: 2025, Value: 80, UnitCode: "79", SourceVI: "Kế hoạch của tỉnh", SourceEN: "Provincial plan"},
			{IndicatorID: trained, Year: 2025, Value: 70, Strict: true, SourceVI: src411VI, SourceEN: src411EN},
			{IndicatorID: trained, Year: 2025, Value: 70, Strict: true, UnitCode: "79", SourceVI: src411VI, SourceEN: src411EN},
		} {
			if err := saveTarget(ctx, db, &tg); err != nil {
				t.Fatal(err)
			}
		}
		if err := SeedDefinitions(ctx, db); err != nil {
			t.Fatal(err)
		}
		got = seededTargets(t, db)
		for _, gone := range []string{"FIBRE_HH 2025", "SKILLS_TRAINED 2025"} {
			if _, ok := got[gone]; ok {
				t.Errorf("the target %s seeded from Decision 411 is still there", gone)
			}
		}
		if got["FIBRE_HH 2025 79"] != "80 at least" || got["SKILLS_TRAINED 2025 79"] != "70 over" {
			t.Errorf("the province's own targets are gone or changed: %v", got)
		}

		// An admin who kept the national figure but named its real source,
		// or changed the figure, keeps it too.
		for _, tg := range []Target{
			{IndicatorID: fibre, Year: 2025, Value: 80, SourceVI: "Nguồn khác", SourceEN: "Another source"},
			{IndicatorID: trained, Year: 2025, Value: 75, Strict: true, SourceVI: src411VI, SourceEN: src411EN},
		} {
			if err := saveTarget(ctx, db, &tg); err != nil {
				t.Fatal(err)
			}
		}
		if err := SeedDefinitions(ctx, db); err != nil {
			t.Fatal(err)
		}
		got = seededTargets(t, db)
		if got["FIBRE_HH 2025"] != "80 at least" {
			t.Errorf("a fibre target with an admin's own source was removed: %v", got)
		}
		if got["SKILLS_TRAINED 2025"] != "75 over" {
			t.Errorf("a skills target an admin changed was removed: %v", got)
		}
	})
}

// seededTargets returns the targets as "CODE YEAR[ UNIT]" → "VALUE at least|over".
func seededTargets(t *testing.T, db bun.IDB) map[string]string {
	t.Helper()
	ctx := context.Background()
	ts, err := Targets(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	inds, err := Indicators(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	code := map[int64]string{}
	for _, in := range inds {
		code[in.ID] = in.Code
	}
	out := map[string]string{}
	for _, tg := range ts {
		k := fmt.Sprintf("%s %d", code[tg.IndicatorID], tg.Year)
		if tg.UnitCode != "" {
			k += " " + tg.UnitCode
		}
		op := "at least"
		if tg.Strict {
			op = "over"
		}
		out[k] = fmt.Sprintf("%g %s", tg.Value, op)
	}
	return out
}
