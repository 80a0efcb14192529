package indicators

import (
	"digiportal/i18n"

	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// MappingRow is one line of a successor mapping file: the old unit's code,
// the new unit's code, whether the old unit went wholly into the new one,
// and the share that did when it went only partly (nil when unknown).
type MappingRow struct {
	Row              int
	OldCode, NewCode string
	Full             bool
	Weight           *float64
}

var (
	colOldCode = []string{"ma cu", "ma don vi cu", "old code", "old_code"}
	colNewCode = []string{"ma moi", "ma don vi moi", "new code", "new_code"}
	colMerge   = []string{"loai", "hinh thuc", "kind", "type"}
	colWeight  = []string{"ty le", "trong so", "weight", "share"}
)

// ParseMappings reads a successor mapping (CSV or XLSX) with the columns Mã
// cũ, Mã mới, Loại ("toàn bộ"/"full" or "một phần"/"partial") and Tỷ lệ (a
// share from 0 to 1, or a percentage such as 40%).
func ParseMappings(ctx context.Context, data []byte) ([]MappingRow, []RowError, error) {
	var (
		h       header
		headErr bool
		out     []MappingRow
		errs    []RowError
		shares  = map[string]float64{}
		check   = newMappingCheck()
	)
	err := eachRow(ctx, data, func(n int, r []string) error {
		if n == 1 {
			h = headerOf(r)
			if !h.has(colOldCode...) || !h.has(colNewCode...) {
				headErr = true
				return errStopReading
			}
			return nil
		}
		if enoughErrors(errs) {
			return errStopReading
		}
		if len(r) == 0 {
			return nil
		}
		m := MappingRow{Row: n, OldCode: h.cell(r, colOldCode...), NewCode: h.cell(r, colNewCode...), Full: true}
		if !isCode(m.OldCode) {
			errs = append(errs, RowError{Row: n, Column: "Mã cũ", Value: m.OldCode, MsgID: "indicators.import.error.code"})
			return nil
		}
		if !isCode(m.NewCode) {
			errs = append(errs, RowError{Row: n, Column: "Mã mới", Value: m.NewCode, MsgID: "indicators.import.error.code"})
			return nil
		}
		switch k := i18n.Fold(h.cell(r, colMerge...)); k {
		case "", "toan bo", "full", "sap nhap toan bo", "nguyen trang":
		case "mot phan", "partial", "sap nhap mot phan":
			m.Full = false
		default:
			errs = append(errs, RowError{Row: n, Column: "Loại", Value: k, MsgID: "indicators.import.error.merge_kind"})
			return nil
		}
		if w := h.cell(r, colWeight...); w != "" {
			f, ok := parseShare(w)
			if !ok || (m.Full && f != 1) {
				errs = append(errs, RowError{Row: n, Column: "Tỷ lệ", Value: w, MsgID: "indicators.import.error.weight"})
				return nil
			}
			m.Weight = &f
		}
		if m.Full {
			one := 1.0
			m.Weight = &one
		}
		if e, bad := check.row(m); bad {
			errs = append(errs, e)
			return nil
		}
		if m.Weight != nil {
			shares[m.OldCode] += *m.Weight
			if shares[m.OldCode] > 1+shareSlack {
				check.bad[m.OldCode] = true // not short too
				errs = append(errs, RowError{Row: n, Column: "Tỷ lệ", Value: h.cell(r, colWeight...), MsgID: "indicators.import.error.weight_sum"})
				return nil
			}
		}
		check.add(m)
		out = append(out, m)
		return nil
	})
	if err == nil && !headErr && !enoughErrors(errs) {
		errs = append(errs, check.short()...)
	}
	switch {
	case err != nil:
		return nil, nil, err
	case h == nil:
		return nil, nil, fmt.Errorf("%w: empty", ErrNotTable)
	case headErr:
		return nil, []RowError{{Row: 1, Column: "Mã cũ", MsgID: "indicators.import.error.header_mapping"}}, nil
	case len(out) == 0 && len(errs) == 0:
		return nil, []RowError{noRows}, nil
	}
	return out, sortRowErrors(errs), nil
}

func isCode(s string) bool {
	return validCode(s, 2) || validCode(s, 3) || validCode(s, 5)
}

// parseShare reads 0.4, 0,4 or 40% as 0.4; the share must be in (0, 1].
func parseShare(s string) (float64, bool) {
	pct := strings.HasSuffix(s, "%")
	s = strings.ReplaceAll(strings.TrimSuffix(s, "%"), ",", ".")
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if pct {
		f /= 100
	}
	return f, f > 0 && f <= 1
}

// MappingImport is what importing a mapping changed.
type MappingImport struct {
	Replaced, Unchanged int
	Errors              []RowError // codes not valid on the days asked
}

// ImportMappings stores the successor mapping of a reorganisation that took
// effect on day: each old code is the version valid the day before, each
// new code the version valid on day. The mappings of every old unit named
// replace that unit's earlier ones; an old unit whose mappings are already
// exactly these is left alone, so a second import changes nothing. Nothing
// is written when any code cannot be found (the errors say which).
func ImportMappings(ctx context.Context, db bun.IDB, rows []MappingRow, day string) (MappingImport, error) {
	var res MappingImport
	if !ValidDay(day) {
		return res, fmt.Errorf("indicators.ImportMappings: bad day %q", day)
	}
	before := prevDay(day)
	oldUnits, err := unitsByCode(ctx, db, before)
	if err != nil {
		return res, err
	}
	newUnits, err := unitsByCode(ctx, db, day)
	if err != nil {
		return res, err
	}
	want := map[int64][]Successor{}
	var order []int64
	for _, m := range rows {
		if enoughErrors(res.Errors) {
			break
		}
		o, ok := oldUnits[m.OldCode]
		if !ok {
			res.Errors = append(res.Errors, RowError{Row: m.Row, Column: "Mã cũ", Value: m.OldCode, MsgID: "indicators.import.error.unknown_old"})
			continue
		}
		nu, ok := newUnits[m.NewCode]
		if !ok {
			res.Errors = append(res.Errors, RowError{Row: m.Row, Column: "Mã mới", Value: m.NewCode, MsgID: "indicators.import.error.unknown_new"})
			continue
		}
		if o == nu {
			// The same version on both days: the unit did not change
			// then, and is no successor of itself (see graph.follow).
			res.Unchanged++
			continue
		}
		if _, seen := want[o]; !seen {
			order = append(order, o)
		}
		want[o] = append(want[o], Successor{OldUnitID: o, NewUnitID: nu, Full: m.Full, Weight: m.Weight})
	}
	if len(res.Errors) > 0 {
		res.Errors = sortRowErrors(res.Errors)
		return res, nil
	}
	have := map[int64][]Successor{}
	for start := 0; start < len(order); start += 500 {
		var ss []Successor
		if err := db.NewSelect().Model(&ss).Where("old_unit_id IN (?)", bun.List(order[start:min(start+500, len(order))])).Scan(ctx); err != nil {
			return res, fmt.Errorf("indicators.ImportMappings: %w", err)
		}
		for _, x := range ss {
			have[x.OldUnitID] = append(have[x.OldUnitID], x)
		}
	}
	var replace []int64
	var inserts []Successor
	for _, o := range order {
		if sameSuccessors(have[o], want[o]) {
			res.Unchanged++
			continue
		}
		replace = append(replace, o)
		inserts = append(inserts, want[o]...)
		res.Replaced++
	}
	for start := 0; start < len(replace); start += 500 {
		if _, err := db.NewDelete().Model((*Successor)(nil)).Where("old_unit_id IN (?)", bun.List(replace[start:min(start+500, len(replace))])).Exec(ctx); err != nil {
			return res, fmt.Errorf("indicators.ImportMappings: %w", err)
		}
	}
	for start := 0; start < len(inserts); start += 500 {
		batch := inserts[start:min(start+500, len(inserts))]
		if _, err := db.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return res, fmt.Errorf("indicators.ImportMappings: %w", err)
		}
	}
	changed := len(replace) > 0
	if changed {
		if err := bumpUnitsVersion(ctx, db); err != nil {
			return res, err
		}
	}
	return res, nil
}

func sameSuccessors(have, want []Successor) bool {
	if len(have) != len(want) {
		return false
	}
	key := func(s Successor) string {
		w := "-"
		if s.Weight != nil {
			w = strconv.FormatFloat(*s.Weight, 'g', 8, 64)
		}
		return fmt.Sprintf("%d/%t/%s", s.NewUnitID, s.Full, w)
	}
	set := map[string]int{}
	for _, s := range have {
		set[key(s)]++
	}
	for _, s := range want {
		set[key(s)]--
		if set[key(s)] < 0 {
			return false
		}
	}
	return true
}

// unitsByCode maps the codes of the units valid on day to their ids.
func unitsByCode(ctx context.Context, db bun.IDB, day string) (map[string]int64, error) {
	var rows []struct {
		ID   int64  `bun:"id"`
		Code string `bun:"code"`
	}
	err := db.NewSelect().TableExpr("org_units AS u").ColumnExpr("u.id, u.code").
		Where("u.valid_from <= ?", day).Where("u.valid_to > ?", day).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("indicators.unitsByCode: %w", err)
	}
	m := make(map[string]int64, len(rows))
	for _, r := range rows {
		m[r.Code] = r.ID
	}
	return m, nil
}

// SuccessorsOf returns the mappings from the unit version with id old.
func SuccessorsOf(ctx context.Context, db bun.IDB, old int64) ([]Successor, error) {
	var ss []Successor
	if err := db.NewSelect().Model(&ss).Where("old_unit_id = ?", old).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.SuccessorsOf: %w", err)
	}
	return ss, nil
}

// PredecessorsOf returns the mappings onto the unit version with id nu.
func PredecessorsOf(ctx context.Context, db bun.IDB, nu int64) ([]Successor, error) {
	var ss []Successor
	if err := db.NewSelect().Model(&ss).Where("new_unit_id = ?", nu).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.PredecessorsOf: %w", err)
	}
	return ss, nil
}
