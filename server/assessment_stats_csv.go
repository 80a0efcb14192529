package server

import (
	"net/http"
	"strconv"

	"digiportal/assessments"
)

// assessmentStatsCSV writes one table of the officials' view as CSV,
// UTF-8 with a byte-order mark so that Excel reads Vietnamese right. The
// headings are in the page's language; a withheld count is written as the
// word for "withheld", never as a number, so no one mistakes it for zero.
func (s *assessmentsPart) assessmentStatsCSV(w http.ResponseWriter, v *assessmentStatsView, table string) error {
	l := v.L
	withheld := l.T("assessment.stats.withheld")
	count := func(n int64, hidden bool) string {
		if hidden {
			return withheld
		}
		return strconv.FormatInt(n, 10)
	}
	decimal := func(x float64, hidden bool) string {
		if hidden {
			return withheld
		}
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	var rows [][]string
	levelTable := func(head string, body []assessmentStatsRow, total []assessments.Cell) {
		h := []string{head}
		for i, name := range v.Levels {
			h = append(h, l.T("assessment.result.level", "N", i, "Name", name))
		}
		rows = append(rows, append(h, l.T("assessment.stats.total")))
		for _, r := range append(body, assessmentStatsRow{Label: l.T("assessment.stats.total"), Cells: total}) {
			line := []string{r.Label}
			for _, c := range r.Cells {
				line = append(line, count(c.N, c.Hidden))
			}
			rows = append(rows, line)
		}
	}
	switch table {
	case "area":
		levelTable(l.T("assessment.profile.area"), v.ByArea, v.Stats.ByArea.Total)
	case "sector":
		levelTable(l.T("assessment.profile.sector"), v.BySector, v.Stats.BySector.Total)
	case "pillars":
		rows = append(rows, []string{l.T("assessment.result.col.pillar"), l.T("assessment.stats.count"), l.T("assessment.stats.mean"), l.T("assessment.stats.median")})
		for _, p := range v.Pillars {
			rows = append(rows, []string{p.Name, count(int64(p.N), p.Hidden), decimal(p.Mean, p.Hidden), decimal(p.Median, p.Hidden)})
		}
	case "barriers", "needs":
		opts := v.Barriers
		if table == "needs" {
			opts = v.Needs
		}
		rows = append(rows, []string{l.T("assessment.stats." + table), l.T("assessment.stats.count"), l.T("assessment.stats.share")})
		for _, o := range opts {
			rows = append(rows, []string{o.Label, count(o.N, o.Hidden), decimal(o.Share, o.Hidden)})
		}
	case "months":
		rows = append(rows, []string{l.T("assessment.stats.monthcol"), l.T("assessment.stats.count")})
		for _, m := range v.Months {
			rows = append(rows, []string{m.Month, count(m.N, m.Hidden)})
		}
	default:
		return errBadRequest
	}
	return sendCSV(w, "assessments-"+table+"-"+v.Filter.Model, rows)
}
