package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/indicators"
)

// timelinessPerPage is how many units' rows the timeliness page shows at once.
const timelinessPerPage = 25

// timelinessMonthsOffered is how many months back the range filter offers.
const timelinessMonthsOffered = 36

type timelinessView struct {
	Page
	UnitName string
	Unit     string // the unit asked for, kept in the filter and pager
	From, To string
	Months   []indOption
	Heads    []string // the months of the units' table
	Rows     []timelinessRow
	History  []timelinessMonth
	Total    int
	Pager    indPager
}

type timelinessRow struct {
	Name  string
	Cells []timelinessCell
}

// timelinessCell is a unit's month: the tag's class ("ok", "warn", "bad"
// or "") and its words.
type timelinessCell struct{ Class, Text string }

type timelinessMonth struct {
	Month, Deadline, Expected, Sent, SentRate, OnTime, OnTimeRate, Late, Missing string
}

// reportsTimeliness shows whether the units in the official's scope sent
// their monthly reports by the deadline, month by month, with the
// reporting rate of each month: a province official sees the units of the
// province, a commune official their own.
func (s *indicatorsPart) reportsTimeliness(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "quality.timeliness.title")
	q := r.URL.Query()
	unit, err := s.timelinessUnit(r, q.Get("unit"))
	if err != nil {
		return err
	}
	en := p.Lang == i18n.EN
	due := indicators.DueMonth(s.now())
	to, from := due, due.Prev().Prev().Prev().Prev().Prev()
	for name, m := range map[string]*indicators.Period{"from": &from, "to": &to} {
		if text := q.Get(name); text != "" {
			if *m, err = indicators.ParsePeriod(text); err != nil || m.Kind != indicators.Monthly {
				return errBadRequest
			}
		}
	}
	v := timelinessView{Page: p, UnitName: unit.DisplayName(en), Unit: q.Get("unit"), From: from.String(), To: to.String(),
		Months: indMonthOptions(p.L, due.Next(), timelinessMonthsOffered)}
	switch {
	case from.Compare(to) > 0:
		v.Errors = append(v.Errors, i18n.FieldError{Field: "from", Message: p.L.T("quality.timeliness.error.order")})
	case len(indicators.MonthRange(from, to, indicators.MaxTimelinessMonths+1)) > indicators.MaxTimelinessMonths:
		v.Errors = append(v.Errors, i18n.FieldError{Field: "from", Message: p.L.T("quality.timeliness.error.range", "Max", indicators.MaxTimelinessMonths)})
	}
	if len(v.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-timeliness", &v)
	}
	page := indPageParam(r)
	rep, err := indicators.BuildTimeliness(r.Context(), s.db, indicators.TimelinessQuery{Unit: unit.Code, From: from, To: to,
		Limit: timelinessPerPage, Offset: (page - 1) * timelinessPerPage}, s.now())
	if err != nil {
		return err
	}
	v.Total = rep.TotalUnits
	for _, m := range rep.Months {
		v.Heads = append(v.Heads, indPeriodLabel(p.L, m))
	}
	for _, u := range rep.Units {
		row := timelinessRow{Name: u.Unit.DisplayName(en)}
		for _, c := range u.Cells {
			row.Cells = append(row.Cells, timelinessCellOf(p.L, c))
		}
		v.Rows = append(v.Rows, row)
	}
	for i := len(rep.History) - 1; i >= 0; i-- {
		h := rep.History[i]
		v.History = append(v.History, timelinessMonth{Month: indPeriodLabel(p.L, h.Month), Deadline: p.L.Date(h.Deadline.Add(-time.Second)),
			Expected: p.L.Int(int64(h.Expected)), Sent: p.L.Int(int64(h.Sent())), SentRate: p.L.Percent(timelinessShare(h.Sent(), h.Expected)),
			OnTime: p.L.Int(int64(h.OnTime)), OnTimeRate: p.L.Percent(timelinessShare(h.OnTime, h.Expected)),
			Late: p.L.Int(int64(h.Late)), Missing: p.L.Int(int64(h.Missing))})
	}
	link := func(n int) string {
		lq := url.Values{"from": {v.From}, "to": {v.To}, "page": {fmt.Sprint(n)}}
		if v.Unit != "" {
			lq.Set("unit", v.Unit)
		}
		return fmt.Sprintf("/%s/reports/timeliness?%s", p.Lang, lq.Encode())
	}
	v.Pager.Page = page
	if page > 1 {
		v.Pager.Prev = link(page - 1)
	}
	if page*timelinessPerPage < rep.TotalUnits {
		v.Pager.Next = link(page + 1)
	}
	return s.render(w, r, "reports-timeliness", &v)
}

// timelinessUnit is the unit whose reporting units the page covers: the
// one asked for, which must lie in the official's scope (404 otherwise,
// as for any unit outside it), else the official's own, else for an admin
// the portal's province.
func (s *indicatorsPart) timelinessUnit(r *http.Request, code string) (*indicators.Unit, error) {
	if code == "" {
		code = s.currentUser(r).UnitCode
	}
	if code == "" && s.currentUser(r).Role == accounts.RoleAdmin {
		home, err := indicators.HomeUnit(r.Context(), s.db)
		if err != nil {
			return nil, err
		}
		code = home
	}
	if code == "" {
		return nil, errNotFound
	}
	if err := s.authorizeUnit(r, accounts.ActIndicatorsView, code); err != nil {
		return nil, err
	}
	u, err := indicators.LatestUnit(r.Context(), s.db, code, indicators.Today(s.now()))
	if errors.Is(err, database.ErrNotFound) {
		return nil, errNotFound
	}
	return u, err
}

// timelinessCellOf words a unit's timeliness in a month.
func timelinessCellOf(l *i18n.Localizer, t indicators.Timeliness) timelinessCell {
	switch t {
	case indicators.OnTime:
		return timelinessCell{"ok", l.T("quality.timeliness.on_time")}
	case indicators.Late:
		return timelinessCell{"warn", l.T("quality.timeliness.late")}
	case indicators.Missing:
		return timelinessCell{"bad", l.T("quality.timeliness.missing")}
	case indicators.NotDue:
		return timelinessCell{"", l.T("quality.timeliness.not_due")}
	}
	return timelinessCell{"", l.T("quality.timeliness.not_reporting")}
}

// timelinessShare is n of all in percent, NaN (shown as a dash) when all
// is zero.
func timelinessShare(n, all int) float64 {
	if all == 0 {
		return math.NaN()
	}
	return 100 * float64(n) / float64(all)
}
