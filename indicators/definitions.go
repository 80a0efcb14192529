package indicators

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// Codes of the seeded data elements.
const (
	ElemHouseholds       = "HH_TOTAL"
	ElemFibreHouseholds  = "HH_FIBRE"
	ElemPop15            = "POP_15"
	ElemSmartphone       = "ADULT_SMARTPHONE"
	ElemAccount          = "POP15_ACCOUNT"
	ElemSignature        = "ADULT_SIGNATURE"
	ElemVNeID            = "ADULT_VNEID2"
	ElemWorkingAge       = "POP_WORKING"
	ElemTrained          = "WORKING_TRAINED"
	ElemLessonsCompleted = "PORTAL_LESSONS"
	ElemAssessments      = "PORTAL_ASSESSMENTS"
	ElemPayments         = "PORTAL_PAYMENTS"
)

func intp(n int) *int { return &n }

// seedElements are the nine elements communes report, and the three the
// portal counts itself. "Adult" is not defined in Decision 411/QĐ-TTg;
// the age is a setting of the population element (15 until changed), and the
// smartphone, signature and VNeID indicators take that element as
// denominator explicitly.
var seedElements = []Element{
	{Code: ElemHouseholds, NameVI: "Tổng số hộ gia đình", NameEN: "Total households", Counts: "households", Source: SourceEntered, SortOrder: 10},
	{Code: ElemFibreHouseholds, NameVI: "Số hộ gia đình có kết nối Internet cáp quang", NameEN: "Households with fibre broadband", Counts: "households", Source: SourceEntered, SortOrder: 20},
	{Code: ElemPop15, NameVI: "Dân số từ 15 tuổi trở lên", NameEN: "Population aged 15 and over", Counts: "persons", MinAge: intp(15), Source: SourceEntered, SortOrder: 30},
	{Code: ElemSmartphone, NameVI: "Người trưởng thành có điện thoại thông minh", NameEN: "Adults with a smartphone", Counts: "persons", MinAge: intp(15), Source: SourceEntered, SortOrder: 40},
	{Code: ElemAccount, NameVI: "Người từ 15 tuổi có tài khoản giao dịch tại ngân hàng hoặc tổ chức được phép", NameEN: "People aged 15+ with a transaction account at a bank or other licensed institution", Counts: "persons", MinAge: intp(15), Source: SourceEntered, SortOrder: 50},
	{Code: ElemSignature, NameVI: "Người trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân", NameEN: "Adults with a personal digital or electronic signature", Counts: "persons", MinAge: intp(15), Source: SourceEntered, SortOrder: 60},
	{Code: ElemVNeID, NameVI: "Người trưởng thành có tài khoản định danh điện tử VNeID mức 2", NameEN: "Adults with a level-2 VNeID account", Counts: "persons", MinAge: intp(15), Source: SourceEntered, SortOrder: 70},
	{Code: ElemWorkingAge, NameVI: "Dân số trong độ tuổi lao động", NameEN: "Working-age population", Counts: "persons", MinAge: intp(15), Source: SourceEntered, SortOrder: 80},
	{Code: ElemTrained, NameVI: "Người trong độ tuổi lao động được tập huấn kỹ năng số cơ bản", NameEN: "Working-age people trained in basic digital skills", Counts: "persons", MinAge: intp(15), Source: SourceEntered, SortOrder: 90},
	{Code: ElemLessonsCompleted, NameVI: "Lượt hoàn thành bài học trên Cổng", NameEN: "Lessons completed on the portal", Counts: "events", Source: SourceLessons, SortOrder: 110},
	{Code: ElemAssessments, NameVI: "Lượt doanh nghiệp hoàn thành tự đánh giá", NameEN: "Self-assessments completed by businesses", Counts: "events", Source: SourceAssessments, SortOrder: 120},
	{Code: ElemPayments, NameVI: "Lượt tập nộp phí trực tuyến hoàn tất", NameEN: "Practice fee payments completed", Counts: "events", Source: SourcePayments, SortOrder: 130},
}

// Codes of the seeded indicators.
const (
	IndFibre      = "FIBRE_HH"
	IndSmartphone = "SMARTPHONE"
	IndAccount    = "ACCOUNT_15"
	IndSignature  = "SIGNATURE"
	IndVNeID      = "VNEID2"
	IndTrained    = "SKILLS_TRAINED"
)

var seedIndicators = []struct {
	Code, VI, EN, Num, Den string
}{
	{IndFibre, "Tỷ lệ hộ gia đình có cáp quang", "Households with fibre broadband", ElemFibreHouseholds, ElemHouseholds},
	{IndSmartphone, "Tỷ lệ người trưởng thành có điện thoại thông minh", "Adults with a smartphone", ElemSmartphone, ElemPop15},
	{IndAccount, "Tỷ lệ người từ 15 tuổi có tài khoản giao dịch", "People aged 15+ with a transaction account", ElemAccount, ElemPop15},
	{IndSignature, "Tỷ lệ người trưởng thành có chữ ký số cá nhân", "Adults with a personal digital signature", ElemSignature, ElemPop15},
	{IndVNeID, "Tỷ lệ người trưởng thành có tài khoản VNeID mức 2", "Adults with a level-2 VNeID account", ElemVNeID, ElemPop15},
	{IndTrained, "Tỷ lệ người lao động được tập huấn kỹ năng số cơ bản", "Working-age people trained in basic digital skills", ElemTrained, ElemWorkingAge},
}

const (
	src411VI = "Quyết định 411/QĐ-TTg ngày 31/3/2022 của Thủ tướng Chính phủ (Chiến lược quốc gia phát triển kinh tế số và xã hội số)"
	src411EN = "Prime Minister's Decision 411/QĐ-TTg of 31 March 2022 (national strategy for the digital economy and digital society)"
)

// seedTargets are the national targets of Decision 411/QĐ-TTg that the
// texts seen confirm (REFERENCES-2026 §11): for 2025, adults with a
// smartphone 80%, people aged 15+ with a transaction account 80%, adults
// with a digital or electronic signature over 50%; for 2030, smartphone 95%
// and account over 95% (as quoted by thongke.cesti.gov.vn, thuvienphapluat.vn
// of 2 April 2022 and thanhnien.vn). Households with fibre, adults with a
// VNeID account and working-age people trained in basic digital skills get
// no seeded target: no text of Decision 411 seen sets one for them (a
// province adds its own, with its source, on the definitions page).
var seedTargets = []struct {
	Indicator string
	Year      int
	Value     float64
	Strict    bool
}{
	{IndSmartphone, 2025, 80, false},
	{IndAccount, 2025, 80, false},
	{IndSignature, 2025, 50, true},
	{IndSmartphone, 2030, 95, false},
	{IndAccount, 2030, 95, true},
}

// retiredTargets were seeded by earlier versions with Decision 411 as their
// source, which does not hold. SeedDefinitions removes them where they are
// still exactly as seeded (value, strictness and source); a target an admin
// has edited stays.
var retiredTargets = []struct {
	Indicator string
	Year      int
	Value     float64
	Strict    bool
}{
	{IndFibre, 2025, 80, false},
	{IndTrained, 2025, 70, true},
}

// SeedDefinitions adds the standard elements, indicators and Decision 411
// targets that are missing; it never overwrites an admin's edits, so it is
// safe to run at every start.
func SeedDefinitions(ctx context.Context, db bun.IDB) error {
	for _, e := range slices.Concat(seedElements, teamElements) {
		e.Active = true
		if _, err := db.NewInsert().Model(&e).On("CONFLICT (code) DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("indicators.SeedDefinitions: element %s: %w", e.Code, err)
		}
	}
	els, err := Elements(ctx, db)
	if err != nil {
		return err
	}
	byCode := map[string]int64{}
	for _, e := range els {
		byCode[e.Code] = e.ID
	}
	for i, s := range seedIndicators {
		ind := Indicator{Code: s.Code, NameVI: s.VI, NameEN: s.EN, NumeratorID: byCode[s.Num], DenominatorID: byCode[s.Den], Factor: 100, SortOrder: (i + 1) * 10, Active: true}
		if _, err := db.NewInsert().Model(&ind).On("CONFLICT (code) DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("indicators.SeedDefinitions: indicator %s: %w", s.Code, err)
		}
	}
	inds, err := Indicators(ctx, db)
	if err != nil {
		return err
	}
	indID := map[string]int64{}
	for _, in := range inds {
		indID[in.Code] = in.ID
	}
	for _, s := range seedTargets {
		t := Target{IndicatorID: indID[s.Indicator], Year: s.Year, Value: s.Value, Strict: s.Strict, SourceVI: src411VI, SourceEN: src411EN}
		if _, err := db.NewInsert().Model(&t).On("CONFLICT (indicator_id, year, unit_code) DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("indicators.SeedDefinitions: target: %w", err)
		}
	}
	for _, r := range retiredTargets {
		_, err := db.NewDelete().Model((*Target)(nil)).
			Where("indicator_id = ?", indID[r.Indicator]).Where("year = ?", r.Year).Where("unit_code = ?", "").
			Where("value = ?", r.Value).Where("strict = ?", r.Strict).Where("source_vi = ?", src411VI).Where("source_en = ?", src411EN).Exec(ctx)
		if err != nil {
			return fmt.Errorf("indicators.SeedDefinitions: retired target: %w", err)
		}
	}
	return nil
}

// DeadlinePassed reports whether the deadline of the targets for year has
// passed at now: targets run to the end of 31 December of their year,
// Vietnam time.
func DeadlinePassed(year int, now time.Time) bool { return now.In(zone()).Year() > year }

// Elements returns every data element, in display order.
func Elements(ctx context.Context, db bun.IDB) ([]Element, error) {
	var es []Element
	if err := db.NewSelect().Model(&es).Order("sort_order", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.Elements: %w", err)
	}
	return es, nil
}

// EnteredElements returns the active elements communes report.
func EnteredElements(ctx context.Context, db bun.IDB) ([]Element, error) {
	var es []Element
	if err := db.NewSelect().Model(&es).Where("source = ?", SourceEntered).Where("active = ?", true).Order("sort_order", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.EnteredElements: %w", err)
	}
	return es, nil
}

// ElementByID returns one element.
func ElementByID(ctx context.Context, db bun.IDB, id int64) (*Element, error) {
	e := new(Element)
	err := db.NewSelect().Model(e).Where("id = ?", id).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("indicators.ElementByID %d: %w", id, database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("indicators.ElementByID: %w", err)
	}
	return e, nil
}

// Indicators returns every indicator with its numerator and denominator, in
// display order.
func Indicators(ctx context.Context, db bun.IDB) ([]Indicator, error) {
	var is []Indicator
	if err := db.NewSelect().Model(&is).Relation("Numerator").Relation("Denominator").Order("indicator.sort_order", "indicator.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.Indicators: %w", err)
	}
	return is, nil
}

// IndicatorByCode returns one indicator with its elements.
func IndicatorByCode(ctx context.Context, db bun.IDB, code string) (*Indicator, error) {
	in := new(Indicator)
	err := db.NewSelect().Model(in).Relation("Numerator").Relation("Denominator").Where("indicator.code = ?", code).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("indicators.IndicatorByCode %q: %w", code, database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("indicators.IndicatorByCode: %w", err)
	}
	return in, nil
}

// ErrSameElements: an indicator's numerator and denominator must differ.
var ErrSameElements = fmt.Errorf("numerator and denominator are the same element")

// Targets returns every target, by indicator and year.
func Targets(ctx context.Context, db bun.IDB) ([]Target, error) {
	var ts []Target
	if err := db.NewSelect().Model(&ts).Order("indicator_id", "year", "unit_code").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.Targets: %w", err)
	}
	return ts, nil
}

// saveTarget adds a target or replaces the one for the same indicator, year
// and unit.
func saveTarget(ctx context.Context, db bun.IDB, t *Target) error {
	_, err := db.NewInsert().Model(t).On("CONFLICT (indicator_id, year, unit_code) DO UPDATE").
		Set("value = EXCLUDED.value").Set("strict = EXCLUDED.strict").
		Set("source_vi = EXCLUDED.source_vi").Set("source_en = EXCLUDED.source_en").Exec(ctx)
	if err != nil {
		return fmt.Errorf("indicators.saveTarget: %w", err)
	}
	return nil
}

// TargetFor picks the target of an indicator for a year that applies to a
// unit: the unit's own (or its province's, given as codes from the top)
// before the national one.
func TargetFor(ts []Target, indicatorID int64, year int, unitCodes []string) *Target {
	var best *Target
	rank := -1
	for i := range ts {
		t := &ts[i]
		if t.IndicatorID != indicatorID || t.Year != year {
			continue
		}
		r := -1
		if t.UnitCode == "" {
			r = 0
		}
		for j, c := range unitCodes {
			if t.UnitCode == c {
				r = j + 1
			}
		}
		if r > rank {
			best, rank = t, r
		}
	}
	return best
}
