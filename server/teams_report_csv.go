package server

import (
	"net/http"

	"digiportal/server/export"
)

// teamsReportCSV downloads the report's table as on the page: one row per
// hamlet and the commune's total, through the project's CSV writer, which
// keeps a team's name from running as a formula.
func teamsReportCSV(w http.ResponseWriter, v *teamsReportView) error {
	l := v.L
	head := []string{l.T("teamviews.report.col.month"), l.T("teamviews.report.col.unit"), l.T("teamviews.report.col.hamlet"),
		l.T("teamviews.report.col.count"), l.T("teamviews.report.col.members"), l.T("teamviews.report.col.entries"),
		l.T("teamviews.report.col.reached"), l.T("teamviews.report.col.coverage_pct"),
		l.T("teamviews.report.col.young"), l.T("teamviews.report.col.old"),
		l.T("teamviews.report.col.classes"), l.T("teamviews.report.col.attended_young"), l.T("teamviews.report.col.attended_old")}
	for _, id := range v.KindMsgIDs {
		head = append(head, l.T("teamviews.report.col.kind_people", "Kind", l.T(id)))
	}
	rows := [][]export.Cell{export.Texts(head...)}
	line := func(name string, r teamsReportRow) []export.Cell {
		pct := export.Empty()
		if r.Known {
			pct = export.Int(r.Percent)
		}
		c := []export.Cell{export.Text(v.MonthValue), export.Text(v.UnitName), export.Text(name), export.Int(r.Team.Households),
			export.Int(r.Members), export.Int(r.Entries), export.Int(r.HamletMonth.Households), pct,
			export.Int(r.People1559), export.Int(r.People60),
			export.Int(r.Classes.Held), export.Int(r.Classes.Attended1559), export.Int(r.Classes.Attended60)}
		for _, k := range r.Kinds {
			c = append(c, export.Int(k.People))
		}
		return c
	}
	for _, r := range v.Rows {
		rows = append(rows, line(r.Name, r))
	}
	rows = append(rows, line(l.T("teamviews.report.total"), v.Total))
	return sendCSV(w, "teams-"+v.MonthValue, rows)
}
