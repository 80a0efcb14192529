package indicators

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

func TestParseDecimal(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"30", 30, true},
		{" 30,5 ", 30.5, true},
		{"0.25", 0.25, true},
		{"", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"1e400", 0, false},
		{"30%", 0, false},
	} {
		got, ok := ParseDecimal(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestSaveSettings: the warning share and the home unit change together
// and are audited; a share out of range or a home unit that does not exist
// today changes nothing.
func TestSaveSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seeded(t, db)
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		settings := func() (float64, string) {
			t.Helper()
			share, err := JumpShare(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			home, err := HomeUnit(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			return share, home
		}
		for _, c := range []struct {
			name string
			in   Settings
			want []any
		}{
			{"no share", Settings{JumpShare: 0, HomeUnit: "79", CompleteShare: 0.8}, []any{"jump", ErrJumpShare}},
			{"a share past 1000%", Settings{JumpShare: 10.01, HomeUnit: "79", CompleteShare: 0.8}, []any{"jump", ErrJumpShare}},
			{"an unreadable share", Settings{JumpShare: math.NaN(), HomeUnit: "79", CompleteShare: 0.8}, []any{"jump", ErrJumpShare}},
			{"a unit that ended", Settings{JumpShare: 0.5, HomeUnit: "77", CompleteShare: 0.8}, []any{"home", ErrUnknownUnit}},
			{"no complete share", Settings{JumpShare: 0.5, HomeUnit: "79"}, []any{"complete", ErrCompleteShare}},
			{"a complete share past 100%", Settings{JumpShare: 0.5, HomeUnit: "79", CompleteShare: 1.01}, []any{"complete", ErrCompleteShare}},
			{"all three", Settings{JumpShare: -1, HomeUnit: "99999", CompleteShare: math.NaN()}, []any{"jump", ErrJumpShare, "complete", ErrCompleteShare, "home", ErrUnknownUnit}},
		} {
			err := SaveSettings(ctx, db, testAdmin, c.in, now)
			wantProblems(t, err, c.want...)
			if complete, err := CompleteShare(ctx, db); err != nil || complete != DefaultCompleteShare {
				t.Errorf("%s: complete share became %v (%v)", c.name, complete, err)
			}
			if share, home := settings(); share != DefaultJumpShare || home != demoHomeUnit {
				t.Errorf("%s: settings became %v %q, want them unchanged", c.name, share, home)
			}
		}
		wantAudit(t, db, "indicators.settings", 0, testAdmin, "", "")

		if err := SaveSettings(ctx, db, testAdmin, Settings{JumpShare: 0.5, HomeUnit: " 26536 ", CompleteShare: 0.9}, now); err != nil {
			t.Fatal(err)
		}
		if share, home := settings(); share != 0.5 || home != "26536" {
			t.Errorf("settings = %v %q, want 0.5 26536", share, home)
		}
		e := wantAudit(t, db, "indicators.settings", 1, testAdmin, "indicator_settings", "entry")
		if complete, _ := CompleteShare(ctx, db); complete != 0.9 {
			t.Errorf("complete share = %v, want 0.9", complete)
		}
		if e.Old != "jump=0.3 home=79 complete=0.8" || e.New != "jump=0.5 home=26536 complete=0.9" {
			t.Errorf("audited %q → %q", e.Old, e.New)
		}
		// The bound itself is allowed, and no home unit means the country.
		if err := SaveSettings(ctx, db, testAdmin, Settings{JumpShare: MaxJumpShare, CompleteShare: 1}, now); err != nil {
			t.Errorf("a share of exactly %d: %v", MaxJumpShare, err)
		}
	})
}

// TestSaveTarget: a target is added, then replaced, each audited; refused
// input, or an indicator that does not exist, changes nothing. Deleting
// removes it, audited, and a second delete finds nothing.
func TestSaveTarget(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDefinitions(ctx, db); err != nil {
			t.Fatal(err)
		}
		before := seededTargets(t, db)
		good := TargetInput{Indicator: IndSmartphone, Year: 2027, Value: 85.5, Strict: true, Unit: "79",
			SourceVI: "Kế hoạch của tỉnh", SourceEN: "The province's plan"}
		for _, c := range []struct {
			name string
			edit func(*TargetInput)
			want []any
		}{
			{"no value", func(in *TargetInput) { in.Value = 0 }, []any{"value", ErrTargetValue}},
			{"over 100", func(in *TargetInput) { in.Value = 100.5 }, []any{"value", ErrTargetValue}},
			{"an unreadable value", func(in *TargetInput) { in.Value = math.NaN() }, []any{"value", ErrTargetValue}},
			{"a year out of range", func(in *TargetInput) { in.Year = 1999 }, []any{"year", ErrTargetYear}},
			{"an unknown indicator", func(in *TargetInput) { in.Indicator = "NOPE" }, []any{"indicator", ErrUnknownIndicator}},
			{"no source", func(in *TargetInput) { in.SourceVI, in.SourceEN = " ", "" }, []any{"source_vi", ErrRequired, "source_en", ErrRequired}},
			{"a long unit code", func(in *TargetInput) { in.Unit = "12345678901" }, []any{"unit", ErrTooLong}},
		} {
			in := good
			c.edit(&in)
			wantProblems(t, SaveTarget(ctx, db, testAdmin, in), c.want...)
			if got := seededTargets(t, db); len(got) != len(before) {
				t.Errorf("%s: targets became %v", c.name, got)
			}
		}
		wantAudit(t, db, "indicators.target_saved", 0, testAdmin, "", "")

		if err := SaveTarget(ctx, db, testAdmin, good); err != nil {
			t.Fatal(err)
		}
		if got := seededTargets(t, db)["SMARTPHONE 2027 79"]; got != "85.5 over" {
			t.Errorf("saved target = %q, want 85.5 over", got)
		}
		e := wantAudit(t, db, "indicators.target_saved", 1, testAdmin, "indicator_target", "SMARTPHONE/2027/79")
		if e.New != "85.5 strict=true" || e.Detail != good.SourceVI {
			t.Errorf("audited %q, %q", e.New, e.Detail)
		}
		good.Value, good.Strict = 90, false
		if err := SaveTarget(ctx, db, testAdmin, good); err != nil {
			t.Fatal(err)
		}
		got := seededTargets(t, db)
		if got["SMARTPHONE 2027 79"] != "90 at least" || len(got) != len(before)+1 {
			t.Errorf("after replacing: %v", got)
		}
		wantAudit(t, db, "indicators.target_saved", 2, testAdmin, "indicator_target", "SMARTPHONE/2027/79")

		ts, err := Targets(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		for _, tg := range ts {
			if tg.Year == 2027 {
				id = tg.ID
			}
		}
		if err := DeleteTarget(ctx, db, testAdmin, id); err != nil {
			t.Fatal(err)
		}
		if _, ok := seededTargets(t, db)["SMARTPHONE 2027 79"]; ok {
			t.Error("the deleted target is still there")
		}
		wantAudit(t, db, "indicators.target_deleted", 1, testAdmin, "indicator_target", idString(id))
		if err := DeleteTarget(ctx, db, testAdmin, id); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("deleting twice = %v, want ErrNotFound", err)
		}
		wantAudit(t, db, "indicators.target_deleted", 1, testAdmin, "indicator_target", idString(id))
	})
}

// TestSaveElement: an element's names, ages, order and use change,
// audited; an age out of range or a missing name changes nothing.
func TestSaveElement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDefinitions(ctx, db); err != nil {
			t.Fatal(err)
		}
		id := elementMap(t, db)[ElemPop15]
		was, err := ElementByID(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		age := func(n int) *int { return &n }
		good := ElementInput{NameVI: "Dân số từ 18 tuổi", NameEN: "Population aged 18 and over", MinAge: age(18), Active: true}
		for _, c := range []struct {
			name string
			edit func(*ElementInput)
			want []any
		}{
			{"too old", func(in *ElementInput) { in.MaxAge = age(121) }, []any{"max_age", ErrAge}},
			{"a negative age", func(in *ElementInput) { in.MinAge = age(-1) }, []any{"min_age", ErrAge}},
			{"a band that ends before it starts", func(in *ElementInput) { in.MinAge, in.MaxAge = age(60), age(15) }, []any{"max_age", ErrAgeOrder}},
			{"no names", func(in *ElementInput) { in.NameVI, in.NameEN = "", " " }, []any{"name_vi", ErrRequired, "name_en", ErrRequired}},
		} {
			in := good
			c.edit(&in)
			wantProblems(t, SaveElement(ctx, db, testAdmin, id, in), c.want...)
			if e, err := ElementByID(ctx, db, id); err != nil || ageBand(e) != ageBand(was) || e.SortOrder != was.SortOrder || e.Active != was.Active {
				t.Errorf("%s: the element became %+v, %v", c.name, e, err)
			}
		}
		wantAudit(t, db, "indicators.element_saved", 0, testAdmin, "", "")
		if err := SaveElement(ctx, db, testAdmin, 99999, good); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("saving an element that does not exist = %v, want ErrNotFound", err)
		}

		if err := SaveElement(ctx, db, testAdmin, id, good); err != nil {
			t.Fatal(err)
		}
		e, err := ElementByID(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.NameVI != good.NameVI || e.AgeFrom() != 18 || e.MaxAge != nil || e.SortOrder != was.SortOrder || !e.Active {
			t.Errorf("saved element = %+v", e)
		}
		a := wantAudit(t, db, "indicators.element_saved", 1, testAdmin, "indicator_element", ElemPop15)
		if a.Old != "Dân số từ 15 tuổi trở lên | Population aged 15 and over | 15-" || a.New != "Dân số từ 18 tuổi | Population aged 18 and over | 18-" {
			t.Errorf("audited %q → %q", a.Old, a.New)
		}
	})
}

// TestSaveIndicator: an indicator's names and elements change, audited;
// the same element twice, an element that does not exist or a missing name
// changes nothing.
func TestSaveIndicator(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := SeedDefinitions(ctx, db); err != nil {
			t.Fatal(err)
		}
		ids := elementMap(t, db)
		was, err := IndicatorByCode(ctx, db, IndSmartphone)
		if err != nil {
			t.Fatal(err)
		}
		good := IndicatorInput{NameVI: was.NameVI, NameEN: was.NameEN, NumeratorID: ids[ElemSmartphone], DenominatorID: ids[ElemWorkingAge], Active: true}
		for _, c := range []struct {
			name string
			edit func(*IndicatorInput)
			want []any
		}{
			{"the same element", func(in *IndicatorInput) { in.DenominatorID = in.NumeratorID }, []any{"denominator", ErrSameElements}},
			{"an unknown element", func(in *IndicatorInput) { in.NumeratorID = 99999 }, []any{"numerator", ErrUnknownElement}},
			{"no element", func(in *IndicatorInput) { in.DenominatorID = 0 }, []any{"denominator", ErrUnknownElement}},
			{"no name", func(in *IndicatorInput) { in.NameEN = "" }, []any{"name_en", ErrRequired}},
		} {
			in := good
			c.edit(&in)
			wantProblems(t, SaveIndicator(ctx, db, testAdmin, IndSmartphone, in), c.want...)
			if got, err := IndicatorByCode(ctx, db, IndSmartphone); err != nil || got.DenominatorID != was.DenominatorID || got.NumeratorID != was.NumeratorID || got.NameEN != was.NameEN {
				t.Errorf("%s: the indicator became %+v, %v", c.name, got, err)
			}
		}
		wantAudit(t, db, "indicators.indicator_saved", 0, testAdmin, "", "")
		if err := SaveIndicator(ctx, db, testAdmin, "NOPE", good); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("saving an indicator that does not exist = %v, want ErrNotFound", err)
		}

		if err := SaveIndicator(ctx, db, testAdmin, IndSmartphone, good); err != nil {
			t.Fatal(err)
		}
		got, err := IndicatorByCode(ctx, db, IndSmartphone)
		if err != nil || got.DenominatorID != ids[ElemWorkingAge] || got.Denominator.Code != ElemWorkingAge {
			t.Errorf("saved indicator = %+v, %v", got, err)
		}
		a := wantAudit(t, db, "indicators.indicator_saved", 1, testAdmin, "indicator_definition", IndSmartphone)
		if a.Old != idString(ids[ElemSmartphone])+"/"+idString(ids[ElemPop15]) || a.New != idString(ids[ElemSmartphone])+"/"+idString(ids[ElemWorkingAge]) {
			t.Errorf("audited %q → %q", a.Old, a.New)
		}
	})
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
