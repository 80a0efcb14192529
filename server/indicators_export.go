package server

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"digiportal/i18n"
	"digiportal/indicators"
)

// indTable is one table of a dashboard view, for export: headings in the
// reader's language and cells that are text or numbers.
type indTable struct {
	Name  string // file and sheet name
	Title string
	Head  []string
	Rows  [][]any
}

// indicatorsExport downloads the tables of a public dashboard view as CSV
// (UTF-8 with a byte-order mark, so Excel reads Vietnamese right; numbers
// with a dot for decimals) or XLSX (one sheet per table, real numbers).
func (s *indicatorsPart) indicatorsExport(w http.ResponseWriter, r *http.Request) error {
	return s.exportDashboard(w, r, false)
}

func (s *indicatorsPart) exportDashboard(w http.ResponseWriter, r *http.Request, official bool) error {
	q, err := s.indicatorsQuery(r)
	if err != nil {
		return err
	}
	lang, _ := i18n.Parse(r.PathValue("lang"))
	l := s.bundle.Localizer(lang)
	q.WithSubmitted = official
	if official {
		if err := s.officialUnit(r, &q); err != nil {
			return err
		}
	}
	d, err := indicators.BuildDashboard(r.Context(), s.db, q, s.now())
	if err != nil {
		return dashboardErr(err)
	}
	tables := dashboardTables(l, d, r.URL.Query().Get("view") == "indicator")
	name := "chi-so"
	if lang == i18n.EN {
		name = "indicators"
	}
	if d.Unit != nil {
		name += "-" + d.Unit.Code
	}
	name += "-" + d.Query.From.String() + "-" + d.Query.To.String()
	switch r.URL.Query().Get("format") {
	case "xlsx":
		return writeXLSX(w, name, tables)
	case "csv", "":
		t := tables[0]
		for _, x := range tables {
			if x.Name == r.URL.Query().Get("table") {
				t = x
			}
		}
		return writeCSV(w, name+"-"+t.Name, t)
	}
	return errBadRequest
}

// dashboardTables are the tables a dashboard view shows, in full (the page
// itself paginates the units below).
func dashboardTables(l *i18n.Localizer, d *indicators.Dashboard, indicatorView bool) []indTable {
	en := l.Lang == i18n.EN
	num := func(f float64) any {
		if math.IsNaN(f) {
			return ""
		}
		return math.Round(f*10) / 10
	}
	whole := func(f float64) any { return math.Round(f) }
	var out []indTable
	latest := ""
	if !d.Latest.IsZero() {
		latest = d.Latest.String()
	}
	if !indicatorView {
		t := indTable{Name: "summary", Title: l.T("indicators.export.summary"), Head: []string{
			l.T("indicators.col.code"), l.T("indicators.col.indicator"), l.T("indicators.col.month"), l.T("indicators.col.value_pct"),
			l.T("indicators.col.numerator"), l.T("indicators.col.denominator"), l.T("indicators.col.target_pct"), l.T("indicators.col.source")}}
		for _, r := range d.Rows {
			tv, src := any(""), ""
			if r.Target != nil {
				tv, src = r.Target.Value, r.Target.Source(en)
			}
			t.Rows = append(t.Rows, []any{r.Indicator.Code, r.Indicator.Name(en), latest, num(r.Latest.Percent), whole(r.Latest.Num), whole(r.Latest.Den), tv, src})
		}
		out = append(out, t)
		c := indTable{Name: "completeness", Title: l.T("indicators.completeness.heading"), Head: []string{
			l.T("indicators.col.month"), l.T("indicators.col.expected"), l.T("indicators.col.reported"), l.T("indicators.col.approved")}}
		for i, m := range d.Months {
			cp := d.Completeness[i]
			c.Rows = append(c.Rows, []any{m.String(), cp.Expected, cp.Reported, cp.Approved})
		}
		out = append(out, c)
	}
	if d.Focus != nil {
		t := indTable{Name: "trend", Title: d.Focus.Indicator.Name(en), Head: []string{
			l.T("indicators.col.month"), l.T("indicators.col.value_pct"), l.T("indicators.col.numerator"), l.T("indicators.col.denominator"), l.T("indicators.col.not_comparable")}}
		for i, m := range d.Months {
			f := d.Focus.Trend[i]
			t.Rows = append(t.Rows, []any{m.String(), num(f.Percent), whole(f.Num), whole(f.Den), yesNo(l, f.NotComparable)})
		}
		out = append(out, t)
		u := indTable{Name: "units", Title: d.Focus.Indicator.Name(en) + " " + latest, Head: []string{
			l.T("indicators.col.unit_code"), l.T("indicators.col.unit"), l.T("indicators.col.month"), l.T("indicators.col.value_pct"),
			l.T("indicators.col.numerator"), l.T("indicators.col.denominator"), l.T("indicators.col.expected"), l.T("indicators.col.reported"), l.T("indicators.col.approved")}}
		for _, c := range d.Children {
			u.Rows = append(u.Rows, []any{c.Unit.Code, c.Unit.DisplayName(en), latest, num(c.Figure.Percent), whole(c.Figure.Num), whole(c.Figure.Den),
				c.Completeness.Expected, c.Completeness.Reported, c.Completeness.Approved})
		}
		out = append(out, u)
	}
	return out
}

func yesNo(l *i18n.Localizer, b bool) string {
	if b {
		return l.T("indicators.yes")
	}
	return ""
}

func cellText(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func writeCSV(w http.ResponseWriter, name string, t indTable) error {
	rows := [][]string{t.Head}
	for _, r := range t.Rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = cellText(c)
		}
		rows = append(rows, rec)
	}
	return sendCSV(w, name, rows)
}

func writeXLSX(w http.ResponseWriter, name string, tables []indTable) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, t := range tables {
		sheet := t.Name
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, "A1", t.Title); err != nil {
			return err
		}
		head := make([]any, len(t.Head))
		for j, h := range t.Head {
			head[j] = h
		}
		if err := f.SetSheetRow(sheet, "A2", &head); err != nil {
			return err
		}
		if err := f.SetRowStyle(sheet, 1, 2, bold); err != nil {
			return err
		}
		for j, r := range t.Rows {
			cell, err := excelize.CoordinatesToCellName(1, j+3)
			if err != nil {
				return err
			}
			row := r
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				return err
			}
		}
		if err := f.SetColWidth(sheet, "A", "B", 24); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	_, err = w.Write(buf.Bytes())
	return err
}
