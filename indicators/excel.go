package indicators

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"digiportal/accounts"

	"digiportal/database"
)

// Column headings of a value file, folded, besides one column per element
// headed by the element's code.
var (
	colUnitCode = []string{"ma don vi", "unit code", "ma px", "unit"}
	colPeriod   = []string{"ky", "ky bao cao", "period"}
)

// TemplateText is the wording of a template, in the reader's language,
// given by the server from the message files.
type TemplateText struct {
	UnitCode, UnitName, Period string
	DataSheet, NotesSheet      string
	Notes                      []string // one paragraph per row of the notes sheet
}

// Template writes an XLSX file for entering period's values of units: a data
// sheet with one row per unit, filled with codes and names, one column per
// element (headed by its code, its name in the second row), and a notes
// sheet. The same layout imports back, as XLSX or saved as CSV.
func Template(els []Element, units []Unit, period Period, english bool, txt TemplateText) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	data := txt.DataSheet
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return nil, fmt.Errorf("indicators.Template: %w", err)
	}
	head := []any{txt.UnitCode, txt.UnitName, txt.Period}
	names := []any{"", "", ""}
	for _, e := range els {
		head = append(head, e.Code)
		names = append(names, e.Name(english))
	}
	if err := f.SetSheetRow(data, "A1", &head); err != nil {
		return nil, fmt.Errorf("indicators.Template: %w", err)
	}
	if err := f.SetSheetRow(data, "A2", &names); err != nil {
		return nil, fmt.Errorf("indicators.Template: %w", err)
	}
	for i, u := range units {
		row := []any{u.Code, u.DisplayName(english), period.String()}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow(data, cell, &row); err != nil {
			return nil, fmt.Errorf("indicators.Template: %w", err)
		}
	}
	// Codes and periods are text, so Excel keeps leading zeros (01, 00001).
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, fmt.Errorf("indicators.Template: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, fmt.Errorf("indicators.Template: %w", err)
	}
	last := len(units) + 2
	_ = f.SetCellStyle(data, "A3", fmt.Sprintf("A%d", last), text)
	_ = f.SetCellStyle(data, "C3", fmt.Sprintf("C%d", last), text)
	lastCol, _ := excelize.ColumnNumberToName(len(head))
	_ = f.SetCellStyle(data, "A1", lastCol+"2", bold)
	_ = f.SetColWidth(data, "A", "A", 12)
	_ = f.SetColWidth(data, "B", "B", 28)
	_ = f.SetColWidth(data, "C", "C", 10)
	_ = f.SetColWidth(data, "D", lastCol, 18)
	_ = f.SetRowHeight(data, 2, 60)
	_ = f.SetPanes(data, &excelize.Panes{Freeze: true, XSplit: 3, YSplit: 2, TopLeftCell: "D3", ActivePane: "bottomRight"})
	if _, err := f.NewSheet(txt.NotesSheet); err != nil {
		return nil, fmt.Errorf("indicators.Template: %w", err)
	}
	_ = f.SetColWidth(txt.NotesSheet, "A", "A", 100)
	for i, n := range txt.Notes {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		_ = f.SetCellStr(txt.NotesSheet, cell, n)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("indicators.Template: %w", err)
	}
	return buf.Bytes(), nil
}

// ImportRow is one row of a value file.
type ImportRow struct {
	Row      int
	UnitCode string
	Period   string
	Values   Values
}

// ParseValueFile reads a value file in the template's layout (XLSX or CSV):
// a heading row with Mã đơn vị, Kỳ and element codes, optionally a row of
// names, then one row per unit and period. Cells that are not whole
// non-negative numbers are reported row by row; blank cells are left out.
func ParseValueFile(ctx context.Context, data []byte, els []Element) ([]ImportRow, []RowError, error) {
	type col struct {
		idx  int
		el   Element
		head string
	}
	var (
		h       header
		cols    []col
		headErr *RowError
		out     []ImportRow
		errs    []RowError
	)
	err := eachRow(ctx, data, func(n int, r []string) error {
		if n == 1 {
			h = headerOf(r)
			if !h.has(colUnitCode...) || !h.has(colPeriod...) {
				headErr = &RowError{Row: 1, Column: "A", MsgID: "indicators.import.error.header_values"}
				return errStopReading
			}
			for i, c := range r {
				code := strings.ToUpper(strings.TrimSpace(c))
				for _, e := range els {
					if e.Code == code && e.Entered() {
						cols = append(cols, col{i, e, c})
					}
				}
			}
			if len(cols) == 0 {
				headErr = &RowError{Row: 1, Column: "D", MsgID: "indicators.import.error.header_values"}
				return errStopReading
			}
			return nil
		}
		if enoughErrors(errs) {
			return errStopReading
		}
		code := h.cell(r, colUnitCode...)
		if code == "" {
			return nil // blank or the row of names
		}
		// The cells are substrings of their whole line: copies keep
		// the rest of it (names, notes) from staying in memory.
		ir := ImportRow{Row: n, UnitCode: strings.Clone(code), Period: strings.Clone(h.cell(r, colPeriod...)), Values: Values{}}
		for _, c := range cols {
			if c.idx >= len(r) {
				continue
			}
			v, blank, ok := ParseWhole(r[c.idx])
			switch {
			case blank:
			case !ok:
				msg := "indicators.entry.error.whole"
				if strings.HasPrefix(r[c.idx], "-") {
					msg = "indicators.entry.error.negative"
				}
				errs = append(errs, RowError{Row: n, Column: c.head, Value: r[c.idx], MsgID: msg})
			default:
				ir.Values[c.el.ID] = v
			}
		}
		out = append(out, ir)
		return nil
	})
	switch {
	case err != nil:
		return nil, nil, err
	case h == nil:
		return nil, nil, fmt.Errorf("%w: empty", ErrNotTable)
	case headErr != nil:
		return nil, []RowError{*headErr}, nil
	case len(out) == 0:
		return nil, []RowError{noRows}, nil
	}
	return out, sortRowErrors(errs), nil
}

// ImportPlan is the outcome of checking a value file against the database:
// the problems row by row, and the reports it would write.
type ImportPlan struct {
	Rows    []ImportRow
	Errors  []RowError
	Reports int
}

// ScopeFunc says whether the person importing may enter values for a unit.
type ScopeFunc func(ctx context.Context, unitCode string) (bool, error)

// PlanImport checks a parsed file without writing: each unit must exist and
// report for its period, lie in the importer's scope and not be submitted or
// approved; each row must pass the same rules as the entry form (and be
// complete when submit is set); a unit and period may appear only once.
func PlanImport(ctx context.Context, db bun.IDB, rows []ImportRow, parseErrs []RowError, inScope ScopeFunc, submit bool) (*ImportPlan, error) {
	plan := &ImportPlan{Rows: rows, Errors: append([]RowError(nil), parseErrs...)}
	els, err := EnteredElements(ctx, db)
	if err != nil {
		return nil, err
	}
	inds, err := Indicators(ctx, db)
	if err != nil {
		return nil, err
	}
	code := map[int64]string{}
	for _, e := range els {
		code[e.ID] = e.Code
	}
	// A cell already reported as unreadable is not reported again as missing.
	bad := map[string]bool{}
	for _, e := range parseErrs {
		bad[fmt.Sprint(e.Row, "/", strings.ToUpper(e.Column))] = true
	}
	seen := map[string]int{}
	for _, r := range rows {
		if enoughErrors(plan.Errors) {
			break
		}
		per, err := ParsePeriod(r.Period)
		if err != nil || per.Kind != Monthly {
			plan.Errors = append(plan.Errors, RowError{Row: r.Row, Column: "Kỳ", Value: r.Period, MsgID: "indicators.import.error.period"})
			continue
		}
		key := r.UnitCode + "/" + per.String()
		if first, dup := seen[key]; dup {
			plan.Errors = append(plan.Errors, RowError{Row: r.Row, Column: "Mã đơn vị", Value: r.UnitCode, MsgID: "indicators.import.error.duplicate", Other: first})
			continue
		}
		seen[key] = r.Row
		u, err := UnitByCode(ctx, db, r.UnitCode, per.Day())
		if errors.Is(err, database.ErrNotFound) {
			plan.Errors = append(plan.Errors, RowError{Row: r.Row, Column: "Mã đơn vị", Value: r.UnitCode, MsgID: "indicators.import.error.unknown_unit"})
			continue
		}
		if err != nil {
			return nil, err
		}
		ok, err := inScope(ctx, u.Code)
		if err != nil {
			return nil, err
		}
		if !ok {
			plan.Errors = append(plan.Errors, RowError{Row: r.Row, Column: "Mã đơn vị", Value: r.UnitCode, MsgID: "indicators.import.error.scope"})
			continue
		}
		if rep, err := IsReporting(ctx, db, u, per); err != nil {
			return nil, err
		} else if !rep {
			plan.Errors = append(plan.Errors, RowError{Row: r.Row, Column: "Mã đơn vị", Value: r.UnitCode, MsgID: "indicators.import.error.not_reporting"})
			continue
		}
		rep, _, err := ReportFor(ctx, db, u.ID, per)
		if err != nil {
			return nil, err
		}
		if !rep.Status.Editable() {
			plan.Errors = append(plan.Errors, RowError{Row: r.Row, Column: "Kỳ", Value: r.Period, MsgID: "indicators.import.error.locked"})
			continue
		}
		for _, p := range Check(els, inds, r.Values, submit) {
			if bad[fmt.Sprint(r.Row, "/", code[p.ElementID])] {
				continue
			}
			msg := p.MsgID
			if msg == "indicators.entry.error.exceeds" {
				msg = "indicators.import.error.exceeds"
			}
			plan.Errors = append(plan.Errors, RowError{Row: r.Row, Column: code[p.ElementID], Value: fmtValue(r.Values, p.ElementID), MsgID: msg, Ref: code[p.Other]})
		}
		plan.Reports++
	}
	plan.Errors = sortRowErrors(plan.Errors)
	return plan, nil
}

func fmtValue(v Values, id int64) string {
	if n, ok := v[id]; ok {
		return fmt.Sprint(n)
	}
	return ""
}

// CommitImport writes a plan that has no errors, all or nothing, in one
// transaction: each row as a draft, or submitted when submit is set.
func CommitImport(ctx context.Context, db bun.IDB, who accounts.Actor, plan *ImportPlan, submit bool) error {
	if len(plan.Errors) > 0 {
		return ErrInvalid
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockRollups(ctx, tx, true); err != nil {
			return err
		}
		ctx = withGraphs(ctx)
		for _, r := range plan.Rows {
			per, err := ParsePeriod(r.Period)
			if err != nil {
				return err
			}
			u, err := UnitByCode(ctx, tx, r.UnitCode, per.Day())
			if err != nil {
				return err
			}
			if submit {
				_, err = Submit(ctx, tx, who, u, per, r.Values)
			} else {
				_, err = SaveDraft(ctx, tx, who, u, per, r.Values)
			}
			if err != nil {
				return fmt.Errorf("indicators.CommitImport: row %d: %w", r.Row, err)
			}
		}
		return nil
	})
}

// upload is a checked value file kept between its dry run and its commit:
// the rows read from it, as JSON in data, not the file itself. A file may
// be 32 MiB of which a few rows are figures; the drivers write a blob into
// the query as text (hexadecimal, twice its size) and read it back the same
// way, so keeping the file cost hundreds of megabytes, and the commit
// needs only the rows.
type upload struct {
	bun.BaseModel `bun:"table:indicator_uploads"`
	Token         string    `bun:"token,pk"`
	UserID        int64     `bun:"user_id,notnull"`
	Name          string    `bun:"name,notnull"`
	Data          []byte    `bun:"data,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
}

// KeepUpload stores the rows of a checked file for its owner, under the
// file's name, and returns the token that names them. The owner keeps the
// newest MaxPendingUploads files, older ones are dropped, and files past
// UploadLifetime are removed on the way.
func KeepUpload(ctx context.Context, db bun.IDB, userID int64, name string, rows []ImportRow) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("indicators.KeepUpload: %w", err)
	}
	data, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("indicators.KeepUpload: %w", err)
	}
	now := time.Now().UTC()
	if _, err := SweepUploads(ctx, db, now); err != nil {
		return "", fmt.Errorf("indicators.KeepUpload: %w", err)
	}
	up := upload{Token: hex.EncodeToString(b), UserID: userID, Name: name, Data: data, CreatedAt: now}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&up).Exec(ctx); err != nil {
			return err
		}
		return keepNewestUploads(ctx, tx, userID)
	})
	if err != nil {
		return "", fmt.Errorf("indicators.KeepUpload: %w", err)
	}
	return up.Token, nil
}

// TakeUpload returns the file name and rows kept for userID under token,
// and removes them. Only the request whose delete removes the row gets
// them: two commits of one token at once (a double click, two tabs) both
// find it, and without that the second would write every report again.
// Rows that cannot be decoded, kept by an older version, are not found
// either; the person uploads the file again.
func TakeUpload(ctx context.Context, db bun.IDB, userID int64, token string) (string, []ImportRow, error) {
	var up upload
	err := db.NewSelect().Model(&up).Where("token = ?", token).Where("user_id = ?", userID).Scan(ctx)
	if database.IsNoRows(err) {
		return "", nil, fmt.Errorf("indicators.TakeUpload: %w", database.ErrNotFound)
	}
	if err != nil {
		return "", nil, fmt.Errorf("indicators.TakeUpload: %w", err)
	}
	res, err := db.NewDelete().Model(&up).WherePK().Exec(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("indicators.TakeUpload: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return "", nil, fmt.Errorf("indicators.TakeUpload: %w", err)
	}
	var rows []ImportRow
	if n != 1 || json.Unmarshal(up.Data, &rows) != nil {
		return "", nil, fmt.Errorf("indicators.TakeUpload: %w", database.ErrNotFound)
	}
	return up.Name, rows, nil
}
