package indicators

import (
	"digiportal/i18n"

	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/uptrace/bun"
)

// ListUnit is one unit read from the statistics office's list.
type ListUnit struct {
	Code, Name, NameEN, ParentCode string
	Kind                           UnitKind
	Row                            int // first row that named it
}

// Column headings of the statistics office's administrative-unit list,
// folded (see Fold).
var (
	colProvince     = []string{"tinh thanh pho", "tinh/thanh pho", "ten tinh"}
	colProvinceCode = []string{"ma tp", "ma tinh"}
	colDistrict     = []string{"quan huyen", "ten quan huyen"}
	colDistrictCode = []string{"ma qh"}
	colCommune      = []string{"phuong xa", "ten phuong xa"}
	colCommuneCode  = []string{"ma px", "ma xa"}
	colLevel        = []string{"cap"}
	colEnglish      = []string{"ten tieng anh"}
)

// ParseUnitList reads the statistics office's administrative-unit list (CSV
// or XLSX with the columns Tỉnh Thành Phố, Mã TP, Quận Huyện, Mã QH, Phường
// Xã, Mã PX, Cấp and optionally Tên Tiếng Anh; the district columns are empty
// or absent in lists after 1 July 2025). It returns each unit once, parents
// before children, and every problem found, row by row.
func ParseUnitList(ctx context.Context, data []byte) ([]ListUnit, []RowError, error) {
	var (
		h       header // of the first row that is not blank
		headRow int    // that row, when it lacks the columns a list needs
		errs    []RowError
		seen    = map[string]*ListUnit{}
		order   []string
	)
	add := func(u ListUnit, col string) {
		if prev, ok := seen[u.Code]; ok {
			if prev.Name != u.Name || prev.ParentCode != u.ParentCode {
				errs = append(errs, RowError{Row: u.Row, Column: col, Value: u.Code, MsgID: "indicators.import.error.code_conflict"})
			}
			return
		}
		seen[u.Code] = &u
		order = append(order, u.Code)
	}
	err := eachRow(ctx, data, func(n int, r []string) error {
		if h == nil {
			if len(r) == 0 {
				return nil
			}
			h = headerOf(r)
			if !h.has(colProvinceCode...) || !h.has(colProvince...) {
				headRow = n
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
		pName, pCode := h.cell(r, colProvince...), h.cell(r, colProvinceCode...)
		dName, dCode := h.cell(r, colDistrict...), h.cell(r, colDistrictCode...)
		cName, cCode := h.cell(r, colCommune...), h.cell(r, colCommuneCode...)
		level, en := h.cell(r, colLevel...), h.cell(r, colEnglish...)
		if !validCode(pCode, 2) {
			errs = append(errs, RowError{Row: n, Column: "Mã TP", Value: pCode, MsgID: "indicators.import.error.code"})
			return nil
		}
		pKind, ok := kindOf(1, "", pName)
		if !ok || pName == "" {
			errs = append(errs, RowError{Row: n, Column: "Tỉnh Thành Phố", Value: pName, MsgID: "indicators.import.error.kind"})
			return nil
		}
		add(ListUnit{Code: pCode, Name: pName, Kind: pKind, Row: n}, "Mã TP")
		parent := pCode
		if dCode != "" || dName != "" {
			if !validCode(dCode, 3) {
				errs = append(errs, RowError{Row: n, Column: "Mã QH", Value: dCode, MsgID: "indicators.import.error.code"})
				return nil
			}
			dKind, ok := kindOf(2, "", dName)
			if !ok {
				errs = append(errs, RowError{Row: n, Column: "Quận Huyện", Value: dName, MsgID: "indicators.import.error.kind"})
				return nil
			}
			u := ListUnit{Code: dCode, Name: dName, Kind: dKind, ParentCode: pCode, Row: n}
			if cCode == "" && cName == "" {
				u.NameEN = en
			}
			add(u, "Mã QH")
			parent = dCode
		}
		if cCode == "" && cName == "" {
			return nil
		}
		if !validCode(cCode, 5) {
			errs = append(errs, RowError{Row: n, Column: "Mã PX", Value: cCode, MsgID: "indicators.import.error.code"})
			return nil
		}
		cKind, ok := kindOf(3, level, cName)
		if !ok {
			errs = append(errs, RowError{Row: n, Column: "Cấp", Value: level, MsgID: "indicators.import.error.kind"})
			return nil
		}
		add(ListUnit{Code: cCode, Name: cName, NameEN: en, Kind: cKind, ParentCode: parent, Row: n}, "Mã PX")
		return nil
	})
	switch {
	case err != nil:
		return nil, nil, err
	case h == nil:
		return nil, nil, fmt.Errorf("%w: empty", ErrNotTable)
	case headRow > 0:
		return nil, []RowError{{Row: headRow, Column: "Mã TP", MsgID: "indicators.import.error.header_units"}}, nil
	case len(order) == 0 && len(errs) == 0:
		return nil, []RowError{noRows}, nil
	}
	out := make([]ListUnit, 0, len(order))
	for _, c := range order {
		out = append(out, *seen[c])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Kind.Level() < out[j].Kind.Level() })
	return out, sortRowErrors(errs), nil
}

// validCode reports whether s is a statistics-office code of n digits (the
// lists write them with leading zeros: 01, 001, 00001).
func validCode(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// UnitImport is what importing a list changed.
type UnitImport struct {
	Created, Changed, Unchanged, Closed int
	// Renamed counts the changed units whose name changed: their figures
	// carry on only once a successor mapping links them.
	Renamed int
	// Extended counts the units the list names as they already were from
	// a later day, whose version now begins on the list's day instead.
	Extended int
}

// ImportUnits makes the units valid on asOf be those of list: a unit with
// the same code, name, kind and parent stays as it is; one that differs gets
// a new version from asOf (the old version ends the day before, and a full
// successor mapping carries its figures on); a new code is created. When
// complete is set the list is the whole country, and every unit valid on
// asOf that it does not hold ends; otherwise only units under the provinces
// the list names do. Importing the same list twice changes nothing.
func ImportUnits(ctx context.Context, db bun.IDB, list []ListUnit, asOf, source string, complete bool) (UnitImport, error) {
	var res UnitImport
	if !ValidDay(asOf) {
		return res, fmt.Errorf("indicators.ImportUnits: bad day %q", asOf)
	}
	// The units valid on asOf, without their names: a country's units with
	// long names, beside the list that renames them all, would be held
	// twice. Names are read a batch at a time below.
	var current []Unit
	if err := validOn(db.NewSelect().Model(&current), asOf).
		Column("id", "code", "kind", "parent_code", "valid_from", "valid_to", "path").Scan(ctx); err != nil {
		return res, fmt.Errorf("indicators.ImportUnits: %w", err)
	}
	byCode := make(map[string]*Unit, len(current))
	for i := range current {
		byCode[current[i].Code] = &current[i]
	}
	later, err := laterStarts(ctx, db, asOf)
	if err != nil {
		return res, err
	}
	paths := map[string]string{}
	inList := map[string]bool{}
	rowOf := map[string]int{}
	provinces := map[string]bool{}
	var inserts []Unit
	var continued []string // codes whose old version ends at asOf
	var linked []string    // those of them that are the same unit, moved
	for start := 0; start < len(list); start += insertBatch {
		batch := list[start:min(start+insertBatch, len(list))]
		names, err := unitNames(ctx, db, batch, byCode)
		if err != nil {
			return res, err
		}
		next, err := laterVersions(ctx, db, batch, byCode, later, asOf)
		if err != nil {
			return res, err
		}
		for _, l := range batch {
			inList[l.Code] = true
			rowOf[l.Code] = l.Row
			if l.Kind.Level() == 1 {
				provinces[l.Code] = true
			}
			path := "/" + l.Code + "/"
			if l.ParentCode != "" {
				pp, ok := paths[l.ParentCode]
				if !ok {
					return res, fmt.Errorf("indicators.ImportUnits: %s comes before its parent %s", l.Code, l.ParentCode)
				}
				path = pp + l.Code + "/"
			}
			paths[l.Code] = path
			want := Unit{Code: l.Code, Name: l.Name, NameEN: l.NameEN, Kind: l.Kind, Level: l.Kind.Level(),
				ParentCode: l.ParentCode, ValidFrom: asOf, ValidTo: OpenEnd, Path: path,
				Search: i18n.Fold(l.Name + " " + l.NameEN), Source: source}
			if end, ok := later[l.Code]; ok {
				want.ValidTo = end
			}
			old, ok := byCode[l.Code]
			switch {
			case ok && sameUnit(old, names[old.ID], &want):
				res.Unchanged++
			case ok && old.ValidFrom == asOf:
				// The version began on this very day: correct it in place.
				want.ID, want.ValidTo = old.ID, old.ValidTo
				if _, err := db.NewUpdate().Model(&want).WherePK().Exec(ctx); err != nil {
					return res, fmt.Errorf("indicators.ImportUnits: update %s: %w", l.Code, err)
				}
				res.Changed++
			case ok:
				want.ValidTo = old.ValidTo
				continued = append(continued, l.Code)
				// A code alone does not make a successor: codes are
				// reused (Yên Bái's 15 is Lào Cai's since 2025). Only a
				// unit that kept its name, moved under another parent
				// or changed kind, carries its figures on by itself;
				// a renamed one waits for the mapping that says what
				// became of it.
				if names[old.ID].Name == want.Name {
					linked = append(linked, l.Code)
				} else {
					res.Renamed++
				}
				inserts = append(inserts, want)
				res.Changed++
			case next[l.Code] != nil && sameUnit(next[l.Code], unitName{next[l.Code].Name, next[l.Code].NameEN}, &want):
				// The same unit is already known from a later day (a
				// list imported first with its publication day): it
				// was valid from this earlier day, one version, not a
				// second one with nothing linking the two.
				if _, err := db.NewUpdate().Table("org_units").Set("valid_from = ?", asOf).
					Where("id = ?", next[l.Code].ID).Exec(ctx); err != nil {
					return res, fmt.Errorf("indicators.ImportUnits: extend %s: %w", l.Code, err)
				}
				res.Extended++
			default:
				inserts = append(inserts, want)
				res.Created++
			}
		}
		// Written batch by batch, so that a long list is never held twice
		// over, as rows to insert beside the list itself.
		if err := insertUnits(ctx, db, inserts); err != nil {
			return res, err
		}
		inserts = inserts[:0]
	}
	var ending []int64
	for code, u := range byCode {
		if inList[code] {
			continue
		}
		prov := strings.SplitN(strings.Trim(u.Path, "/"), "/", 2)[0]
		if complete || provinces[prov] {
			ending = append(ending, u.ID)
			res.Closed++
		}
	}
	for _, c := range continued {
		ending = append(ending, byCode[c].ID)
	}
	// A version an earlier list already ended later than asOf, with
	// reports in between, contradicts both that list and its reports: a
	// list given the wrong day. (A version still open may end on a day
	// gone by: a list imported late, its later reports carried on by the
	// successor links.)
	byID := make(map[int64]*Unit, len(byCode))
	for _, u := range byCode {
		byID[u.ID] = u
	}
	var shortened []int64
	for _, id := range ending {
		if byID[id].ValidTo != OpenEnd {
			shortened = append(shortened, id)
		}
	}
	if errs, err := reportsAfterEnd(ctx, db, shortened, byID, rowOf, asOf); err != nil {
		return res, err
	} else if len(errs) > 0 {
		return res, &UnitsHaveReportsError{Rows: errs}
	}
	if err := endUnits(ctx, db, ending, asOf); err != nil {
		return res, err
	}
	if err := linkContinued(ctx, db, byCode, linked, asOf); err != nil {
		return res, err
	}
	if res.Created+res.Changed+res.Closed+res.Extended > 0 {
		if err := bumpUnitsVersion(ctx, db); err != nil {
			return res, err
		}
	}
	return res, nil
}

// unitName is a unit version's names.
type unitName struct{ Name, NameEN string }

// unitNames reads the names of the versions in byCode that the list's
// units batch names, by id.
func unitNames(ctx context.Context, db bun.IDB, batch []ListUnit, byCode map[string]*Unit) (map[int64]unitName, error) {
	var ids []int64
	for _, l := range batch {
		if u, ok := byCode[l.Code]; ok {
			ids = append(ids, u.ID)
		}
	}
	out := make(map[int64]unitName, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID     int64  `bun:"id"`
		Name   string `bun:"name"`
		NameEN string `bun:"name_en"`
	}
	if err := db.NewSelect().TableExpr("org_units").Column("id", "name", "name_en").
		Where("id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("indicators.unitNames: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = unitName{Name: r.Name, NameEN: r.NameEN}
	}
	return out, nil
}

// laterVersions returns, for the units of batch with no version valid on
// asOf, the version that begins first after asOf, by code.
func laterVersions(ctx context.Context, db bun.IDB, batch []ListUnit, byCode map[string]*Unit, later map[string]string, asOf string) (map[string]*Unit, error) {
	var codes []string
	for _, l := range batch {
		if _, ok := byCode[l.Code]; !ok && later[l.Code] != "" {
			codes = append(codes, l.Code)
		}
	}
	out := map[string]*Unit{}
	if len(codes) == 0 {
		return out, nil
	}
	var us []Unit
	if err := db.NewSelect().Model(&us).Where("u.code IN (?)", bun.List(codes)).Where("u.valid_from > ?", asOf).Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.laterVersions: %w", err)
	}
	for i := range us {
		u := &us[i]
		if u.ValidFrom == later[u.Code] {
			out[u.Code] = u
		}
	}
	return out, nil
}

// sameUnit reports whether the version a, with names n, is the unit b.
func sameUnit(a *Unit, n unitName, b *Unit) bool {
	return n.Name == b.Name && n.NameEN == b.NameEN && a.Kind == b.Kind && a.ParentCode == b.ParentCode && a.Path == b.Path
}

// laterStarts maps each code to the first day a version of it begins after
// asOf, so that a list imported for an earlier day ends where history
// already continues.
func laterStarts(ctx context.Context, db bun.IDB, asOf string) (map[string]string, error) {
	var rows []struct {
		Code  string `bun:"code"`
		Start string `bun:"start"`
	}
	err := db.NewSelect().TableExpr("org_units").ColumnExpr("code, MIN(valid_from) AS start").
		Where("valid_from > ?", asOf).Group("code").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("indicators.laterStarts: %w", err)
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.Code] = r.Start
	}
	return m, nil
}

func endUnits(ctx context.Context, db bun.IDB, ids []int64, asOf string) error {
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		if _, err := db.NewUpdate().Table("org_units").Set("valid_to = ?", asOf).
			Where("id IN (?)", bun.List(ids[start:end])).Exec(ctx); err != nil {
			return fmt.Errorf("indicators.endUnits: %w", err)
		}
	}
	return nil
}

// insertBatch is how many units one INSERT writes.
const insertBatch = 500

func insertUnits(ctx context.Context, db bun.IDB, us []Unit) error {
	for start := 0; start < len(us); start += insertBatch {
		batch := us[start:min(start+insertBatch, len(us))]
		if _, err := db.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return fmt.Errorf("indicators.insertUnits: %w", err)
		}
	}
	return nil
}

// linkContinued adds a full successor mapping from each ended version to the
// new version of the same code, so figures reported under the old name or
// parent count for the unit as it is now.
func linkContinued(ctx context.Context, db bun.IDB, old map[string]*Unit, codes []string, asOf string) error {
	if len(codes) == 0 {
		return nil
	}
	ids, err := unitsByCode(ctx, db, asOf)
	if err != nil {
		return err
	}
	one := 1.0
	ss := make([]Successor, 0, len(codes))
	for _, c := range codes {
		nu, ok := ids[c]
		if !ok {
			return fmt.Errorf("indicators.linkContinued: %s not valid on %s", c, asOf)
		}
		ss = append(ss, Successor{OldUnitID: old[c].ID, NewUnitID: nu, Full: true, Weight: &one, Note: "continues"})
	}
	for start := 0; start < len(ss); start += 500 {
		batch := ss[start:min(start+500, len(ss))]
		if _, err := db.NewInsert().Model(&batch).On("CONFLICT (old_unit_id, new_unit_id) DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("indicators.linkContinued: %w", err)
		}
	}
	return nil
}
