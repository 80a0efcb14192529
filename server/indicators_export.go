package server

import (
	"math"
	"net/http"
	"slices"

	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/server/export"
)

// indTable is one table of a dashboard view, for export: headings in the
// reader's language and typed cells.
type indTable struct {
	Name  string // the table's key in the CSV link and the file name
	Title string // the sheet name, in the reader's language
	Head  []string
	Rows  [][]export.Cell
}

// indicatorsExport downloads the tables of a public dashboard view as CSV
// (one table) or XLSX (a sheet saying what it is, then one sheet per
// table), both through package export.
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
	if r.URL.Query().Get("view") != "indicator" {
		// Figures from team records: a table of their own, each row
		// naming its source, never a column of the reported ones.
		t, ok, err := s.teamsTable(r.Context(), l, d, official)
		if err != nil {
			return err
		}
		if ok {
			tables = append(tables, t)
		}
	}
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
		wb, err := export.NewWorkbook(l.T("stats.export.about"), s.dashboardAbout(l, d, official))
		if err != nil {
			return err
		}
		for _, t := range tables {
			if err := writeTable(wb, t); err != nil {
				wb.Close()
				return err
			}
		}
		return sendXLSX(w, name, wb)
	case "csv", "":
		// No table named: the first. A name no table has is refused,
		// not answered with another table under the name asked for.
		t, want := tables[0], r.URL.Query().Get("table")
		if want != "" {
			i := slices.IndexFunc(tables, func(x indTable) bool { return x.Name == want })
			if i < 0 {
				return errBadRequest
			}
			t = tables[i]
		}
		return sendCSV(w, name+"-"+t.Name, append([][]export.Cell{export.Texts(t.Head...)}, t.Rows...))
	}
	return errBadRequest
}

// writeTable adds t to wb as a sheet of its own.
func writeTable(wb *export.Workbook, t indTable) error {
	if err := wb.Sheet(t.Title, t.Head); err != nil {
		return err
	}
	for _, row := range t.Rows {
		if err := wb.Row(row); err != nil {
			return err
		}
	}
	return nil
}

// dashboardAbout is the first sheet of a dashboard workbook: what it holds,
// for which unit, the day of the hierarchy, which figures count and when
// it was made.
func (s *indicatorsPart) dashboardAbout(l *i18n.Localizer, d *indicators.Dashboard, official bool) [][2]string {
	en := l.Lang == i18n.EN
	what := l.T("indicators.export.summary")
	if d.Focus != nil {
		what = d.Focus.Indicator.Code + " – " + d.Focus.Indicator.Name(en)
	}
	unit := l.T("stats.export.unit.all")
	if d.Unit != nil {
		unit = d.Unit.Code + " – " + d.Unit.DisplayName(en)
	}
	day := d.Query.Day
	if day == "" {
		day = l.T("stats.export.day.today")
	}
	basis := l.T("stats.export.basis.approved")
	if official {
		basis = l.T("stats.export.basis.pending")
	}
	return [][2]string{
		{l.T("stats.export.what"), what},
		{l.T("stats.export.unit"), unit},
		{l.T("stats.export.day"), day},
		{l.T("stats.export.period"), d.Query.From.String() + " – " + d.Query.To.String()},
		{l.T("stats.export.basis"), basis},
		{l.T("stats.export.time"), l.DateTime(s.now())},
		{l.T("stats.export.missing"), ""},
	}
}

// dashboardTables are the tables a dashboard view shows, in full (the page
// itself paginates the units below). A rate that cannot be computed is an
// empty cell.
func dashboardTables(l *i18n.Localizer, d *indicators.Dashboard, indicatorView bool) []indTable {
	en := l.Lang == i18n.EN
	pct := func(f float64) export.Cell {
		if math.IsNaN(f) {
			return export.Empty()
		}
		return export.Percent(math.Round(f*10) / 10)
	}
	whole := func(f float64) export.Cell {
		if math.IsNaN(f) {
			return export.Empty()
		}
		return export.Int(int64(math.Round(f)))
	}
	count := func(n int) export.Cell { return export.Int(int64(n)) }
	var out []indTable
	latest := export.Empty()
	if !d.Latest.IsZero() {
		latest = export.Text(d.Latest.String())
	}
	if !indicatorView {
		t := indTable{Name: "summary", Title: l.T("indicators.export.summary"), Head: []string{
			l.T("indicators.col.code"), l.T("indicators.col.indicator"), l.T("indicators.col.month"), l.T("indicators.col.value_pct"),
			l.T("indicators.col.numerator"), l.T("indicators.col.denominator"), l.T("indicators.col.target_pct"), l.T("indicators.col.source")}}
		for _, r := range d.Rows {
			tv, src := export.Empty(), export.Empty()
			if r.Target != nil {
				tv, src = export.Percent(r.Target.Value), export.Text(r.Target.Source(en))
			}
			t.Rows = append(t.Rows, []export.Cell{export.Text(r.Indicator.Code), export.Text(r.Indicator.Name(en)), latest, pct(r.Latest.Percent), whole(r.Latest.Num), whole(r.Latest.Den), tv, src})
		}
		out = append(out, t)
		c := indTable{Name: "completeness", Title: l.T("indicators.completeness.heading"), Head: []string{
			l.T("indicators.col.month"), l.T("indicators.col.expected"), l.T("indicators.col.reported"), l.T("indicators.col.approved")}}
		for i, m := range d.Months {
			cp := d.Completeness[i]
			c.Rows = append(c.Rows, []export.Cell{export.Text(m.String()), count(cp.Expected), count(cp.Reported), count(cp.Approved)})
		}
		out = append(out, c)
	}
	if d.Focus != nil {
		t := indTable{Name: "trend", Title: d.Focus.Indicator.Name(en), Head: []string{
			l.T("indicators.col.month"), l.T("indicators.col.value_pct"), l.T("indicators.col.numerator"), l.T("indicators.col.denominator"), l.T("indicators.col.not_comparable"),
			l.T("indicators.col.expected"), l.T("indicators.col.reported"), l.T("indicators.col.approved")}}
		for i, m := range d.Months {
			f := d.Focus.Trend[i]
			cp := d.Completeness[i]
			t.Rows = append(t.Rows, []export.Cell{export.Text(m.String()), pct(f.Percent), whole(f.Num), whole(f.Den), export.Text(yesNo(l, f.NotComparable)),
				count(cp.Expected), count(cp.Reported), count(cp.Approved)})
		}
		out = append(out, t)
		u := indTable{Name: "units", Title: l.T("indicators.col.unit"), Head: []string{
			l.T("indicators.col.unit_code"), l.T("indicators.col.unit"), l.T("indicators.col.month"), l.T("indicators.col.value_pct"),
			l.T("indicators.col.numerator"), l.T("indicators.col.denominator"), l.T("indicators.col.expected"), l.T("indicators.col.reported"), l.T("indicators.col.approved")}}
		for _, c := range d.Children {
			u.Rows = append(u.Rows, []export.Cell{export.Text(c.Unit.Code), export.Text(c.Unit.DisplayName(en)), latest, pct(c.Figure.Percent), whole(c.Figure.Num), whole(c.Figure.Den),
				count(c.Completeness.Expected), count(c.Completeness.Reported), count(c.Completeness.Approved)})
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
