package server

import (
	"errors"
	"fmt"
	"net/http"

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
}

type reviewRow struct {
	ID                         int64
	Unit, Period, State, Stamp string
}

const reviewPerPage = 50

// reportsReviewList lists the reports in the official's scope, submitted
// ones first by default, for approval.
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
	if s.currentUser(r).Role != accounts.RoleAdmin {
		root, ok, err := s.ownUnit(r)
		if err != nil {
			return err
		}
		if !ok {
			return errNotFound
		}
		f.ScopePath = root.Path
	}
	rows, total, err := indicators.ListReports(ctx, s.db, f)
	if err != nil {
		return err
	}
	v := reviewListView{Page: p, Status: string(st), Period: period, Total: total}
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
		v.Rows = append(v.Rows, reviewRow{ID: x.ID, Unit: x.UnitName, Period: indPeriodLabel(p.L, per), State: statusMsg(x.Status), Stamp: p.L.DateTime(x.UpdatedAt)})
	}
	v.Statuses = []indOption{{"", p.L.T("indicators.review.any")}}
	for _, x := range []indicators.Status{indicators.StatusSubmitted, indicators.StatusReturned, indicators.StatusApproved, indicators.StatusDraft} {
		v.Statuses = append(v.Statuses, indOption{string(x), p.L.T(statusMsg(x))})
	}
	v.Periods = append([]indOption{{"", p.L.T("indicators.review.any")}}, indMonthOptions(p.L, indicators.MonthOf(s.now()), 24)...)
	return s.render(w, r, "reports-review", &v)
}

type reviewView struct {
	Page
	ID                     int64
	UnitName, UnitCode     string
	PeriodLabel, PrevLabel string
	Status, StatusMsg      string
	Comment                string
	Rows                   []reviewValue
	CanApprove, CanUnlock  bool
	Warnings               int
	Done                   string
}

type reviewValue struct {
	Name, Value, Prev, Change string
	Jump                      bool
}

// reportsReviewShow shows one report beside the previous month, with the
// approve-or-return form for province officials and the unlock form for
// admins.
func (s *indicatorsPart) reportsReviewShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.reviewView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "reports-review-show", v)
}

func (s *indicatorsPart) reviewView(w http.ResponseWriter, r *http.Request) (*reviewView, error) {
	id, err := reportID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	rep, vals, err := indicators.ReportByID(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	u, err := indicators.UnitByID(ctx, s.db, rep.UnitID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeUnit(r, accounts.ActIndicatorsView, u.Code); err != nil {
		return nil, err
	}
	p := s.page(w, r, "indicators.review.show_title")
	en := p.Lang == i18n.EN
	per, err := indicators.ParsePeriod(rep.Period)
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", rep.ID, err)
	}
	v := &reviewView{Page: p, ID: rep.ID, UnitName: u.DisplayName(en), UnitCode: u.Code, PeriodLabel: indPeriodLabel(p.L, per),
		PrevLabel: indPeriodLabel(p.L, per.Prev()), Status: string(rep.Status), StatusMsg: statusMsg(rep.Status), Comment: rep.Comment}
	if d := r.URL.Query().Get("done"); d == "approved" || d == "returned" || d == "unlocked" {
		v.Done = "indicators.review.done." + d
	}
	v.CanApprove = rep.Status == indicators.StatusSubmitted && s.authorize(r, accounts.ActIndicatorsApprove, accounts.Object{Unit: u.Code}) == nil
	v.CanUnlock = rep.Status == indicators.StatusApproved && s.authorize(r, accounts.ActIndicatorsUnlock, accounts.Object{Unit: u.Code}) == nil
	cmp, err := indicators.CompareWithPrevious(ctx, s.db, u, per, vals)
	if err != nil {
		return nil, err
	}
	prev := cmp.Prev
	jumps := map[int64]bool{}
	for _, j := range cmp.Jumps {
		jumps[j.ElementID] = true
	}
	els, err := indicators.EnteredElements(ctx, s.db)
	if err != nil {
		return nil, err
	}
	for _, e := range els {
		rv := reviewValue{Name: e.Name(en), Value: "–", Prev: "–", Change: "–", Jump: jumps[e.ID]}
		n, ok := vals[e.ID]
		if ok {
			rv.Value = p.L.Int(n)
		}
		if pv, ok2 := prev[e.ID]; ok2 {
			rv.Prev = p.L.Int(pv)
			if ok && pv > 0 {
				rv.Change = p.L.Percent(100 * float64(n-pv) / float64(pv))
			}
		}
		if rv.Jump {
			v.Warnings++
		}
		v.Rows = append(v.Rows, rv)
	}
	return v, nil
}

// reportsReviewSave approves a submitted report (locking its values) or
// returns it to the commune with a comment saying what to fix.
func (s *indicatorsPart) reportsReviewSave(w http.ResponseWriter, r *http.Request) error {
	return s.reviewAction(w, r, func(who accounts.Actor, id int64, comment string) (string, error) {
		switch r.PostForm.Get("action") {
		case "approve":
			_, err := indicators.Approve(r.Context(), s.db, who, id, comment)
			return "approved", err
		case "return":
			_, err := indicators.Return(r.Context(), s.db, who, id, comment)
			return "returned", err
		}
		return "", errBadRequest
	}, accounts.ActIndicatorsApprove)
}

// reportsUnlock reopens an approved report; only an admin may, with a
// written reason that the audit log keeps.
func (s *indicatorsPart) reportsUnlock(w http.ResponseWriter, r *http.Request) error {
	return s.reviewAction(w, r, func(who accounts.Actor, id int64, reason string) (string, error) {
		_, err := indicators.Unlock(r.Context(), s.db, who, id, reason)
		return "unlocked", err
	}, accounts.ActIndicatorsUnlock)
}

func (s *indicatorsPart) reviewAction(w http.ResponseWriter, r *http.Request, do func(accounts.Actor, int64, string) (string, error), act accounts.Action) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	id, err := reportID(r)
	if err != nil {
		return err
	}
	rep, _, err := indicators.ReportByID(r.Context(), s.db, id)
	if err != nil {
		return err
	}
	u, err := indicators.UnitByID(r.Context(), s.db, rep.UnitID)
	if err != nil {
		return err
	}
	if err := s.authorizeUnit(r, act, u.Code); err != nil {
		return err
	}
	done, err := do(s.actor(r), id, r.PostForm.Get("comment"))
	var msg string
	switch {
	case errors.Is(err, indicators.ErrCommentTooLong):
		return errBadRequest // no one types a comment of more than 2,000 characters
	case errors.Is(err, indicators.ErrReasonRequired):
		msg = "indicators.review.error.comment"
	case errors.Is(err, indicators.ErrWrongState):
		msg = "indicators.review.error.state"
	case err != nil:
		return err
	}
	if msg != "" {
		v, err := s.reviewView(w, r)
		if err != nil {
			return err
		}
		v.Errors = []i18n.FieldError{{Field: "comment", Message: v.L.T(msg)}}
		status := http.StatusBadRequest
		if msg == "indicators.review.error.state" {
			status = http.StatusConflict
			v.Errors[0].Field = ""
		}
		return s.renderStatus(w, r, status, "reports-review-show", v)
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/reports/review/%d?done=%s", r.PathValue("lang"), id, done), http.StatusSeeOther)
	return nil
}
