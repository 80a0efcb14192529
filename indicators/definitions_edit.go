package indicators

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// Refusals of the definition use cases. Each comes inside an
// *accounts.ValidationError that names the field it concerns, as the
// accounts part's use cases refuse, so that a form marks every problem at
// once; errors.Is finds each sentinel through it.
var (
	// ErrJumpShare: the share of change that warns is above 0 and at most
	// MaxJumpShare.
	ErrJumpShare = errors.New("the warning share must be above 0 and at most 10 (1000%)")
	// ErrCompleteShare: the share that makes a month complete is above 0
	// and at most 1 (100%).
	ErrCompleteShare = errors.New("the complete share must be above 0 and at most 1 (100%)")
	// ErrUnknownUnit: no unit has the code on the day that matters.
	ErrUnknownUnit = errors.New("no unit has this code")
	// ErrUnknownIndicator: no indicator has the code.
	ErrUnknownIndicator = errors.New("no indicator has this code")
	// ErrUnknownElement: no data element has the ID.
	ErrUnknownElement = errors.New("no data element has this ID")
	// ErrTeamElement: an element derived from team records cannot be a
	// reported indicator's numerator or denominator.
	ErrTeamElement = errors.New("an element from team records cannot be part of a reported indicator")
	// ErrTargetValue: a target is a percentage above 0 and at most 100.
	ErrTargetValue = errors.New("a target must be a percentage above 0 and at most 100")
	// ErrTargetYear: a target's year lies in the years the portal knows.
	ErrTargetYear = errors.New("a target's year must be from 2000 to 2100")
	// ErrAge: an age bound is a whole number of years from 0 to MaxAge.
	ErrAge = errors.New("an age must be a whole number from 0 to 120")
	// ErrAgeOrder: an age band that ends before it starts counts nobody.
	ErrAgeOrder = errors.New("the age band ends before it starts")
	// ErrRequired: a name or a source is empty.
	ErrRequired = errors.New("this text is required")
	// ErrTooLong: a name, a source or a code is longer than it can be.
	ErrTooLong = errors.New("this text is too long")
)

// Bounds of what an admin types on the definitions pages.
const (
	// MaxJumpShare bounds the warning share: a value ten times last
	// month's always warns.
	MaxJumpShare = 10
	// MaxAge bounds an element's age band.
	MaxAge = 120
	// maxName and maxSource bound names and legal sources, in characters.
	maxName   = 300
	maxSource = 500
	// maxTargetUnit bounds the unit code of a target: statistics-office
	// codes have at most five digits.
	maxTargetUnit = 10
)

// refusals collects the problems of one input, each on its field.
type refusals []accounts.Problem

func (r *refusals) add(field string, err error) {
	*r = append(*r, accounts.Problem{Field: field, Err: err})
}

// err is the *accounts.ValidationError of the problems found, or nil.
func (r refusals) err() error {
	if len(r) == 0 {
		return nil
	}
	return &accounts.ValidationError{Problems: r}
}

// text checks a required text of at most max characters.
func (r *refusals) text(field, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		r.add(field, ErrRequired)
	case utf8.RuneCountInString(s) > max:
		r.add(field, ErrTooLong)
	}
}

// ParseDecimal reads a number as people type one: "30", "30,5" or
// "30.5", with spaces around. ok is false for anything else, infinities
// and NaN included.
func ParseDecimal(s string) (f float64, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// validJumpShare is the one rule of the warning share; NaN fails it.
func validJumpShare(share float64) bool { return share > 0 && share <= MaxJumpShare }

// validCompleteShare is the one rule of the complete share; NaN fails it.
func validCompleteShare(share float64) bool { return share > 0 && share <= 1 }

// Settings are the settings of data entry an admin changes.
type Settings struct {
	// JumpShare is the share of change against the previous month above
	// which the entry form warns: 0.3 for 30%.
	JumpShare float64
	// HomeUnit is the code of the unit the public dashboards start at, the
	// portal's province; "" for the whole country.
	HomeUnit string
	// CompleteShare is the share of the expected units whose figures make
	// a month complete enough to head the dashboards: 0.8 for 80%.
	CompleteShare float64
}

// SaveSettings changes the settings of data entry and audits them, old and
// new, in one transaction. A share outside (0, MaxJumpShare] is refused
// with ErrJumpShare on "jump", a home unit that names no unit today (by
// now) with ErrUnknownUnit on "home"; a refusal changes nothing.
func SaveSettings(ctx context.Context, db bun.IDB, who accounts.Actor, s Settings, now time.Time) error {
	s.HomeUnit = strings.TrimSpace(s.HomeUnit)
	var ps refusals
	if !validJumpShare(s.JumpShare) {
		ps.add("jump", ErrJumpShare)
	}
	if !validCompleteShare(s.CompleteShare) {
		ps.add("complete", ErrCompleteShare)
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if s.HomeUnit != "" {
			_, err := UnitByCode(ctx, tx, s.HomeUnit, Today(now))
			switch {
			case errors.Is(err, database.ErrNotFound):
				ps.add("home", ErrUnknownUnit)
			case err != nil:
				return err
			}
		}
		if err := ps.err(); err != nil {
			return err
		}
		oldShare, err := JumpShare(ctx, tx)
		if err != nil {
			return err
		}
		oldHome, err := HomeUnit(ctx, tx)
		if err != nil {
			return err
		}
		oldComplete, err := CompleteShare(ctx, tx)
		if err != nil {
			return err
		}
		if err := putSetting(ctx, tx, settingComplete, strconv.FormatFloat(s.CompleteShare, 'f', -1, 64)); err != nil {
			return err
		}
		if err := putSetting(ctx, tx, settingJump, strconv.FormatFloat(s.JumpShare, 'f', -1, 64)); err != nil {
			return err
		}
		if err := setHomeUnit(ctx, tx, s.HomeUnit); err != nil {
			return err
		}
		// What the public pages show changed: their kept copies must go.
		if err := touchData(ctx, tx); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.settings", ObjectType: "indicator_settings", ObjectID: "entry",
			Old: fmt.Sprintf("jump=%v home=%s complete=%v", oldShare, oldHome, oldComplete),
			New: fmt.Sprintf("jump=%v home=%s complete=%v", s.JumpShare, s.HomeUnit, s.CompleteShare)})
	})
}

// TargetInput is a target as an admin gives it.
type TargetInput struct {
	Indicator string  // the indicator's code
	Year      int     // the year the target is for
	Value     float64 // a percentage
	Strict    bool    // "over" the value rather than "at least"
	Unit      string  // the unit code the target is a province's own for; "" for the national one
	SourceVI  string  // the legal source, in Vietnamese
	SourceEN  string  // and in English
}

// Check applies the rules of a target that need no database: a year the
// portal knows, a percentage above 0 and at most 100 (NaN, which a handler
// passes for an unreadable number, is refused too), a unit code no longer
// than one can be, and a source in both languages. SaveTarget applies them;
// a form asks first, to show them beside its own checks.
func (in TargetInput) Check() error {
	var ps refusals
	in.check(&ps)
	return ps.err()
}

func (in TargetInput) check(ps *refusals) {
	if strings.TrimSpace(in.Indicator) == "" {
		ps.add("indicator", ErrUnknownIndicator)
	}
	if in.Year < minYear || in.Year > maxYear {
		ps.add("year", ErrTargetYear)
	}
	if !(in.Value > 0 && in.Value <= 100) {
		ps.add("value", ErrTargetValue)
	}
	if len(strings.TrimSpace(in.Unit)) > maxTargetUnit {
		ps.add("unit", ErrTooLong)
	}
	ps.text("source_vi", in.SourceVI, maxSource)
	ps.text("source_en", in.SourceEN, maxSource)
}

// CheckTarget applies every rule SaveTarget applies, the indicator's
// existence included, and writes nothing: a form whose own checks failed
// asks it so that all the problems show at once.
func CheckTarget(ctx context.Context, db bun.IDB, in TargetInput) error {
	_, err := in.resolve(ctx, db)
	return err
}

// resolve checks in and finds its indicator: the problems are one
// *accounts.ValidationError; a database error is returned as it is.
func (in TargetInput) resolve(ctx context.Context, db bun.IDB) (*Indicator, error) {
	var ps refusals
	in.check(&ps)
	var ind *Indicator
	if code := strings.TrimSpace(in.Indicator); code != "" {
		var err error
		ind, err = IndicatorByCode(ctx, db, code)
		switch {
		case errors.Is(err, database.ErrNotFound), errors.Is(err, ErrBadQuery):
			ps.add("indicator", ErrUnknownIndicator)
		case err != nil:
			return nil, err
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return ind, nil
}

// SaveTarget adds a target, or replaces the one of the same indicator,
// year and unit, and audits it, in one transaction: targets are data, so a
// province adds its own. Input the rules refuse (see Check), or an
// indicator code that names none (ErrUnknownIndicator on "indicator"),
// changes nothing.
func SaveTarget(ctx context.Context, db bun.IDB, who accounts.Actor, in TargetInput) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		ind, err := in.resolve(ctx, tx)
		if err != nil {
			return err
		}
		t := Target{IndicatorID: ind.ID, Year: in.Year, Value: in.Value, Strict: in.Strict, UnitCode: strings.TrimSpace(in.Unit),
			SourceVI: strings.TrimSpace(in.SourceVI), SourceEN: strings.TrimSpace(in.SourceEN)}
		if err := saveTarget(ctx, tx, &t); err != nil {
			return err
		}
		// What the public pages show changed: their kept copies must go.
		if err := touchData(ctx, tx); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.target_saved", ObjectType: "indicator_target",
			ObjectID: fmt.Sprintf("%s/%d/%s", ind.Code, t.Year, t.UnitCode), New: fmt.Sprintf("%v strict=%v", t.Value, t.Strict), Detail: t.SourceVI})
	})
}

// DeleteTarget removes a target and audits what it was, in one
// transaction. A target that does not exist is database.ErrNotFound.
func DeleteTarget(ctx context.Context, db bun.IDB, who accounts.Actor, id int64) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var t Target
		err := tx.NewSelect().Model(&t).Where("id = ?", id).Scan(ctx)
		if database.IsNoRows(err) {
			return fmt.Errorf("indicators.DeleteTarget %d: %w", id, database.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("indicators.DeleteTarget: %w", err)
		}
		if _, err := tx.NewDelete().Model((*Target)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("indicators.DeleteTarget: %w", err)
		}
		// What the public pages show changed: their kept copies must go.
		if err := touchData(ctx, tx); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.target_deleted", ObjectType: "indicator_target",
			ObjectID: strconv.FormatInt(id, 10), Old: fmt.Sprintf("%d/%d/%s %v strict=%v", t.IndicatorID, t.Year, t.UnitCode, t.Value, t.Strict)})
	})
}

// ElementInput is a data element's edit: its code and source do not change.
type ElementInput struct {
	NameVI, NameEN string
	MinAge, MaxAge *int // the age band, nil for no bound: the age that makes an "adult" is set here
	SortOrder      *int // nil keeps the element's place
	Active         bool
}

// Check applies the rules of an element's edit: both names, and ages from
// 0 to MaxAge, the upper no lower than the lower. SaveElement applies them; a form asks first.
func (in ElementInput) Check() error {
	var ps refusals
	ps.text("name_vi", in.NameVI, maxName)
	ps.text("name_en", in.NameEN, maxName)
	for _, a := range []struct {
		field string
		age   *int
	}{{"min_age", in.MinAge}, {"max_age", in.MaxAge}} {
		if a.age != nil && (*a.age < 0 || *a.age > MaxAge) {
			ps.add(a.field, ErrAge)
		}
	}
	if in.MinAge != nil && in.MaxAge != nil && *in.MaxAge < *in.MinAge {
		ps.add("max_age", ErrAgeOrder)
	}
	return ps.err()
}

// SaveElement changes a data element's names, age band, order and whether
// it is in use, and audits it, in one transaction. Input Check refuses
// changes nothing; an element that does not exist is database.ErrNotFound.
func SaveElement(ctx context.Context, db bun.IDB, who accounts.Actor, id int64, in ElementInput) error {
	if err := in.Check(); err != nil {
		return err
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		e, err := ElementByID(ctx, tx, id)
		if err != nil {
			return err
		}
		old := ageBand(e)
		e.NameVI, e.NameEN = strings.TrimSpace(in.NameVI), strings.TrimSpace(in.NameEN)
		e.MinAge, e.MaxAge, e.Active = in.MinAge, in.MaxAge, in.Active
		if in.SortOrder != nil {
			e.SortOrder = *in.SortOrder
		}
		if _, err := tx.NewUpdate().Model(e).Column("name_vi", "name_en", "min_age", "max_age", "sort_order", "active").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("indicators.SaveElement: %w", err)
		}
		// What the public pages show changed: their kept copies must go.
		if err := touchData(ctx, tx); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.element_saved", ObjectType: "indicator_element", ObjectID: e.Code,
			Old: old, New: ageBand(e)})
	})
}

// ageBand words an element's names and ages for the audit log.
func ageBand(e *Element) string {
	age := func(a *int) string {
		if a == nil {
			return ""
		}
		return strconv.Itoa(*a)
	}
	return fmt.Sprintf("%s | %s | %s-%s", e.NameVI, e.NameEN, age(e.MinAge), age(e.MaxAge))
}

// IndicatorInput is an indicator's edit: its names and, chosen explicitly,
// its numerator and denominator.
type IndicatorInput struct {
	NameVI, NameEN             string
	NumeratorID, DenominatorID int64
	Active                     bool
}

// Check applies the rules of an indicator's edit that need no database:
// both names, and a numerator and a denominator that differ.
func (in IndicatorInput) Check() error {
	var ps refusals
	in.check(&ps)
	return ps.err()
}

func (in IndicatorInput) check(ps *refusals) {
	ps.text("name_vi", in.NameVI, maxName)
	ps.text("name_en", in.NameEN, maxName)
	if in.NumeratorID <= 0 {
		ps.add("numerator", ErrUnknownElement)
	}
	switch {
	case in.DenominatorID <= 0:
		ps.add("denominator", ErrUnknownElement)
	case in.DenominatorID == in.NumeratorID:
		ps.add("denominator", ErrSameElements)
	}
}

// SaveIndicator changes an indicator's names, numerator, denominator and
// whether it is in use, and audits it, in one transaction. The stored
// roll-ups hold elements, not indicators, so nothing needs recomputing.
// Input Check refuses, or an element ID that names none
// (ErrUnknownElement), changes nothing; an indicator that does not exist
// is database.ErrNotFound.
func SaveIndicator(ctx context.Context, db bun.IDB, who accounts.Actor, code string, in IndicatorInput) error {
	var ps refusals
	in.check(&ps)
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		ind, err := IndicatorByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		for _, el := range []struct {
			field string
			id    int64
		}{{"numerator", in.NumeratorID}, {"denominator", in.DenominatorID}} {
			if el.id <= 0 {
				continue
			}
			e, err := ElementByID(ctx, tx, el.id)
			switch {
			case errors.Is(err, database.ErrNotFound):
				ps.add(el.field, ErrUnknownElement)
			case err == nil && e.FromTeams():
				// Figures from team records are never a reported
				// indicator's numerator or denominator.
				ps.add(el.field, ErrTeamElement)
			case err != nil:
				return err
			}
		}
		if err := ps.err(); err != nil {
			return err
		}
		old := fmt.Sprintf("%d/%d", ind.NumeratorID, ind.DenominatorID)
		ind.NameVI, ind.NameEN = strings.TrimSpace(in.NameVI), strings.TrimSpace(in.NameEN)
		ind.NumeratorID, ind.DenominatorID, ind.Active = in.NumeratorID, in.DenominatorID, in.Active
		if _, err := tx.NewUpdate().Model(ind).Column("name_vi", "name_en", "numerator_id", "denominator_id", "factor", "sort_order", "active").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("indicators.SaveIndicator: %w", err)
		}
		// What the public pages show changed: their kept copies must go.
		if err := touchData(ctx, tx); err != nil {
			return err
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.indicator_saved", ObjectType: "indicator_definition", ObjectID: ind.Code,
			Old: old, New: fmt.Sprintf("%d/%d", in.NumeratorID, in.DenominatorID), Detail: ind.NameVI})
	})
}
