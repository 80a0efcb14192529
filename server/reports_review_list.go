package server

import (
	"fmt"
	"net/http"
	"strconv"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

type reviewListView struct {
	Page
	Rows     []reviewRow
	Status   string
	Statuses []indOption
	Period   string
	Periods  []indOption
	Pager    indPager
	Total    int
	// ApproveAll offers approving the month's submitted reports at once.
	ApproveAll bool
	Done       string // what was just done, worded
}

type reviewRow struct {
	ID                         int64
	Unit, Period, State, Stamp string
	UnitVI                     bool // the unit's name is Vietnamese on an English page
}

const reviewPerPage = 50

// reportsReviewList lists the reports in the official's scope, submitted
// ones first by default, for approval.
// reviewMaxMonths bounds the months the review list's filter offers: fifty
// years of monthly reports.
const reviewMaxMonths = 600

func (s *indicatorsPart) reportsReviewList(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "indicators.review.title")
	ctx := r.Context()
	q := r.URL.Query()
	st := indicators.Status(q.Get("status"))
	switch st {
	case "":
		if _, ok := q["status"]; !ok {
			st = indicators.StatusSubmitted
		}
	case indicators.StatusDraft, indicators.StatusSubmitted, indicators.StatusReturned, indicators.StatusApproved:
	default:
		return errBadRequest
	}
	period := q.Get("period")
	if period != "" {
		if _, err := indicators.ParsePeriod(period); err != nil {
			return errBadRequest
		}
	}
	f := indicators.ReportFilter{Status: st, Period: period, Limit: reviewPerPage + 1, Offset: (indPageParam(r) - 1) * reviewPerPage}
	if err := s.scopeReports(r, &f); err != nil {
		return err
	}
	rows, total, err := indicators.ListReports(ctx, s.db, f)
	if err != nil {
		return err
	}
	v := reviewListView{Page: p, Status: string(st), Period: period, Total: total}
	if n, err := strconv.Atoi(q.Get("done")); err == nil && n > 0 && n <= indicators.MaxApproveAll {
		v.Done = p.L.N("indicators.review.done.approved_all", n)
	}
	v.ApproveAll = st == indicators.StatusSubmitted && period != "" && total > 0 && s.authorize(r, accounts.ActIndicatorsApprove, accounts.Object{}) == nil
	base := fmt.Sprintf("/%s/reports/review?status=%s&period=%s", p.Lang, st, period)
	page := indPageParam(r)
	if len(rows) > reviewPerPage {
		rows = rows[:reviewPerPage]
		v.Pager.Next = fmt.Sprintf("%s&page=%d", base, page+1)
	}
	if page > 1 {
		v.Pager.Prev = fmt.Sprintf("%s&page=%d", base, page-1)
	}
	for _, x := range rows {
		per, err := indicators.ParsePeriod(x.Period)
		if err != nil {
			return fmt.Errorf("report %d: %w", x.ID, err)
		}
		v.Rows = append(v.Rows, reviewRow{ID: x.ID, Unit: x.Unit().DisplayName(p.Lang == i18n.EN), UnitVI: x.Unit().VietnameseIn(p.Lang == i18n.EN), Period: indPeriodLabel(p.L, per), State: statusMsg(x.Status), Stamp: p.L.DateTime(x.UpdatedAt)})
	}
	v.Statuses = []indOption{{"", p.L.T("indicators.review.any")}}
	for _, x := range []indicators.Status{indicators.StatusSubmitted, indicators.StatusReturned, indicators.StatusApproved, indicators.StatusDraft} {
		v.Statuses = append(v.Statuses, indOption{string(x), p.L.T(statusMsg(x))})
	}
	// Every month back to the first report: a report of any age may
	// still wait for review.
	now := indicators.MonthOf(s.now())
	months := 24
	if first, ok, err := indicators.FirstReportedMonth(ctx, s.db); err != nil {
		return err
	} else if ok {
		months = max(months, len(indicators.MonthRange(first, now, reviewMaxMonths)))
	}
	v.Periods = append([]indOption{{"", p.L.T("indicators.review.any")}}, indMonthOptions(p.L, now, months)...)
	return s.render(w, r, "reports-review", &v)
}
