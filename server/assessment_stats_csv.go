package server

import (
	"net/http"

	"digiportal/assessments"
	"digiportal/server/export"
)

// assessmentStatsExport writes one table of the officials' view as CSV or
// as a workbook (a sheet saying what it is and the filter, then the
// table), with headings in the page's language. A hidden count is written
// as the word for "hidden", never as a number, so no one mistakes it for
// zero; counts are numbers, shares and pillar averages percentages.
func (s *assessmentsPart) assessmentStatsExport(w http.ResponseWriter, v *assessmentStatsView, table, format string) error {
	l := v.L
	withheld := export.Text(l.T("assessment.stats.withheld"))
	count := func(n int64, hidden bool) export.Cell {
		if hidden {
			return withheld
		}
		return export.Int(n)
	}
	percent := func(x float64, hidden bool) export.Cell {
		if hidden {
			return withheld
		}
		return export.Percent(x)
	}
	var title string
	var rows [][]export.Cell
	levelTable := func(head string, body []assessmentStatsRow, total []assessments.Cell) {
		h := []string{head}
		for i, name := range v.Levels {
			h = append(h, l.T("assessment.result.level", "N", i, "Name", name))
		}
		rows = append(rows, export.Texts(append(h, l.T("assessment.stats.total"))...))
		for _, r := range append(body, assessmentStatsRow{Label: l.T("assessment.stats.total"), Cells: total}) {
			line := []export.Cell{export.Text(r.Label)}
			for _, c := range r.Cells {
				line = append(line, count(c.N, c.Hidden))
			}
			rows = append(rows, line)
		}
	}
	switch table {
	case "area":
		title = l.T("assessment.stats.byarea")
		levelTable(l.T("assessment.profile.area"), v.ByArea, v.Stats.ByArea.Total)
	case "sector":
		title = l.T("assessment.stats.bysector")
		levelTable(l.T("assessment.profile.sector"), v.BySector, v.Stats.BySector.Total)
	case "pillars":
		title = l.T("assessment.stats.pillars.title")
		rows = append(rows, export.Texts(l.T("assessment.result.col.pillar"), l.T("assessment.stats.count"), l.T("assessment.stats.mean"), l.T("assessment.stats.median")))
		for _, p := range v.Pillars {
			rows = append(rows, []export.Cell{export.Text(p.Name), count(int64(p.N), p.Hidden), percent(p.Mean, p.Hidden), percent(p.Median, p.Hidden)})
		}
	case "barriers", "needs":
		title = l.T("assessment.stats." + table + ".title")
		opts := v.Barriers
		if table == "needs" {
			opts = v.Needs
		}
		rows = append(rows, export.Texts(l.T("assessment.stats."+table), l.T("assessment.stats.count"), l.T("assessment.stats.share")))
		for _, o := range opts {
			rows = append(rows, []export.Cell{export.Text(o.Label), count(o.N, o.Hidden), percent(o.Share, o.Hidden)})
		}
	case "months":
		title = l.T("assessment.stats.months.title")
		rows = append(rows, export.Texts(l.T("assessment.stats.monthcol"), l.T("assessment.stats.count")))
		for _, m := range v.Months {
			rows = append(rows, []export.Cell{export.Text(m.Month), count(m.N, m.Hidden)})
		}
	default:
		return errBadRequest
	}
	name := "assessments-" + table + "-" + v.Filter.Model
	if format == "csv" {
		return sendCSV(w, name, rows)
	}
	wb, err := export.NewWorkbook(l.T("stats.export.about"), [][2]string{
		{l.T("stats.export.what"), v.Title + ": " + title},
		{l.T("stats.export.filter"), v.filterText()},
		{l.T("assessment.stats.model"), v.Filter.Model},
		{l.T("stats.export.time"), l.DateTime(s.now())},
		{l.T("stats.export.hidden"), ""},
	})
	if err != nil {
		return err
	}
	var head []string
	for _, c := range rows[0] {
		head = append(head, c.Text)
	}
	if err := wb.Sheet(title, head); err != nil {
		wb.Close()
		return err
	}
	for _, r := range rows[1:] {
		if err := wb.Row(r); err != nil {
			wb.Close()
			return err
		}
	}
	return sendXLSX(w, name, wb)
}

// filterText says the view's filter in words: each condition, or "All".
func (v *assessmentStatsView) filterText() string {
	var parts []string
	for _, a := range v.Areas {
		if a.Code == v.Filter.Area {
			parts = append(parts, v.L.T("assessment.profile.area")+": "+a.Name.In(v.Lang))
		}
	}
	for _, sec := range v.Sectors {
		if sec.Code == v.Filter.Sector {
			parts = append(parts, v.L.T("assessment.profile.sector")+": "+sec.Code+" – "+sec.Name.In(v.Lang))
		}
	}
	for _, sz := range v.Sizes {
		if sz.ID == v.Filter.Size {
			parts = append(parts, v.L.T("assessment.profile.size")+": "+sz.Name.In(v.Lang))
		}
	}
	if len(parts) == 0 {
		return v.L.T("assessment.stats.all")
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += "; " + p
	}
	return out
}
