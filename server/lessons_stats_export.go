package server

import (
	"net/http"
	"net/url"
	"time"

	"digiportal/server/export"
)

// lessonsStatsDownloads are the addresses of the usage tables' downloads,
// built from url.Values so that the month chosen is kept.
type lessonsStatsDownloads struct {
	MonthsCSV, LessonsCSV, XLSX string
}

func lessonsStatsLinks(v *lessonsStatsView) lessonsStatsDownloads {
	link := func(format, table string) string {
		q := url.Values{"month": {v.Month}, "format": {format}}
		if table != "" {
			q.Set("table", table)
		}
		return "/" + string(v.Lang) + "/reports/lessons?" + q.Encode()
	}
	return lessonsStatsDownloads{MonthsCSV: link("csv", "months"), LessonsCSV: link("csv", "lessons"), XLSX: link("xlsx", "")}
}

// lessonsStatsExport writes the usage tables as on the page: one of them
// as CSV (table months or lessons), or both as a workbook after a sheet
// saying what it is.
func lessonsStatsExport(w http.ResponseWriter, v *lessonsStatsView, table, format string, now time.Time) error {
	l := v.L
	monthsHead := []string{l.T("lessons.stats.month"), l.T("lessons.stats.views"), l.T("lessons.stats.completions"), l.T("lessons.stats.certificates")}
	var months [][]export.Cell
	for _, m := range v.Months {
		months = append(months, []export.Cell{export.Text(m.Key), export.Int(m.Views), export.Int(m.Completions), export.Int(m.Certificates)})
	}
	lessonsHead := []string{l.T("lessons.stats.lesson"), l.T("lessons.stats.views"), l.T("lessons.stats.completions")}
	var lessons [][]export.Cell
	for _, u := range v.Lessons {
		lessons = append(lessons, []export.Cell{export.Text(u.Title), export.Int(u.Views), export.Int(u.Completions)})
	}
	if len(v.Lessons) > 0 {
		lessons = append(lessons, []export.Cell{export.Text(l.T("lessons.stats.total")), export.Int(v.Total.Views), export.Int(v.Total.Completions)})
	}
	name := "lessons-" + v.Month
	if format == "csv" {
		switch table {
		case "months":
			return sendCSV(w, name+"-months", append([][]export.Cell{export.Texts(monthsHead...)}, months...))
		case "lessons":
			return sendCSV(w, name+"-lessons", append([][]export.Cell{export.Texts(lessonsHead...)}, lessons...))
		}
		return errBadRequest
	}
	wb, err := export.NewWorkbook(l.T("stats.export.about"), [][2]string{
		{l.T("stats.export.what"), v.Title},
		{l.T("stats.export.period"), v.Month},
		{l.T("stats.export.time"), l.DateTime(now)},
		{l.T("lessons.stats.privacy"), ""},
	})
	if err != nil {
		return err
	}
	for _, t := range []struct {
		title string
		head  []string
		rows  [][]export.Cell
	}{{l.T("lessons.stats.by_month"), monthsHead, months}, {l.T("lessons.stats.by_lesson", "Month", v.Month), lessonsHead, lessons}} {
		if err := wb.Sheet(t.title, t.head); err != nil {
			wb.Close()
			return err
		}
		for _, r := range t.rows {
			if err := wb.Row(r); err != nil {
				wb.Close()
				return err
			}
		}
	}
	return sendXLSX(w, name, wb)
}
