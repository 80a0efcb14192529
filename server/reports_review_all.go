package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"digiportal/i18n"
	"digiportal/indicators"
)

// reviewAllView is the confirmation page of approving a month's submitted
// reports at once: what will be approved, and an optional former district
// to approve one part at a time.
type reviewAllView struct {
	Page
	Period, PeriodLabel string
	Area                string
	Areas               []indOption
	Rows                []reviewRow
	IDs                 string // the ids listed, which the form sends back
	TooMany             bool
	MaxLabel            string // indicators.MaxApproveAll, formatted
}

// reviewAllFilter reads the month and area of an approve-all request and
// lists the submitted reports they name in the official's scope.
func (s *indicatorsPart) reviewAllFilter(r *http.Request, period, area string) (indicators.Period, []indicators.ReportRow, error) {
	per, err := indicators.ParsePeriod(period)
	if err != nil || per.Kind != indicators.Monthly {
		return per, nil, errBadRequest
	}
	if area != "" && !isDigits(area, 2, 5) {
		return per, nil, errBadRequest
	}
	f := indicators.ReportFilter{Status: indicators.StatusSubmitted, Period: per.String(), Area: area, Limit: indicators.MaxApproveAll + 1}
	if err := s.scopeReports(r, &f); err != nil {
		return per, nil, err
	}
	rows, _, err := indicators.ListReports(r.Context(), s.db, f)
	return per, rows, err
}

// reportsReviewAllForm shows what "approve all" would approve.
func (s *indicatorsPart) reportsReviewAllForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v, err := s.reviewAllView(w, r, q.Get("period"), q.Get("area"))
	if err != nil {
		return err
	}
	return s.render(w, r, "reports-review-all", v)
}

func (s *indicatorsPart) reviewAllView(w http.ResponseWriter, r *http.Request, period, area string) (*reviewAllView, error) {
	per, rows, err := s.reviewAllFilter(r, period, area)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "indicators.review.all.title")
	v := &reviewAllView{Page: p, Period: per.String(), PeriodLabel: indPeriodLabel(p.L, per), Area: area,
		MaxLabel: p.L.Int(indicators.MaxApproveAll)}
	if len(rows) > indicators.MaxApproveAll {
		v.TooMany, rows = true, rows[:indicators.MaxApproveAll]
	}
	// The former districts the reports lie in, to approve one at a time.
	seen := map[string]bool{}
	ids := make([]string, 0, len(rows))
	for _, x := range rows {
		v.Rows = append(v.Rows, reviewRow{ID: x.ID, Unit: x.Unit().DisplayName(p.Lang == i18n.EN), UnitVI: x.Unit().VietnameseIn(p.Lang == i18n.EN), Period: v.PeriodLabel, State: statusMsg(x.Status), Stamp: p.L.DateTime(x.UpdatedAt)})
		ids = append(ids, strconv.FormatInt(x.ID, 10))
		parts := strings.Split(strings.Trim(x.UnitPath, "/"), "/")
		if len(parts) < 3 || seen[parts[1]] {
			continue
		}
		seen[parts[1]] = true
		label := parts[1]
		if d, err := indicators.UnitByCode(r.Context(), s.db, parts[1], per.Day()); err == nil {
			label = d.DisplayName(p.Lang == "en")
		}
		v.Areas = append(v.Areas, indOption{Value: parts[1], Label: label})
	}
	slices.SortFunc(v.Areas, func(a, b indOption) int { return strings.Compare(a.Label, b.Label) })
	if area != "" && len(v.Areas) == 0 {
		v.Areas = []indOption{{Value: area, Label: area}}
	}
	v.Areas = append([]indOption{{"", p.L.T("indicators.review.all.any_area")}}, v.Areas...)
	v.IDs = strings.Join(ids, " ")
	return v, nil
}

// reportsReviewAllSave approves the reports the confirmation page listed,
// all or none. Each must still be submitted and the official's to
// approve; if any moved meanwhile, nothing is approved and the page shows
// the list as it is now.
func (s *indicatorsPart) reportsReviewAllSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	period, area := r.PostForm.Get("period"), r.PostForm.Get("area")
	fields := strings.Fields(r.PostForm.Get("ids"))
	if len(fields) == 0 || len(fields) > indicators.MaxApproveAll {
		return errBadRequest
	}
	ids := make([]int64, 0, len(fields))
	for _, f := range fields {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return errBadRequest
		}
		ids = append(ids, id)
	}
	_, rows, err := s.reviewAllFilter(r, period, area)
	if err != nil {
		return err
	}
	// What is approved is what was shown, and still the official's.
	now := map[int64]bool{}
	for _, x := range rows {
		now[x.ID] = true
	}
	changed := len(rows) != len(ids)
	for _, id := range ids {
		if !now[id] {
			changed = true
		}
	}
	n := 0
	if !changed {
		n, err = indicators.ApproveAll(r.Context(), s.db, s.actor(r), ids)
		if errors.Is(err, indicators.ErrWrongState) {
			changed = true
		} else if err != nil {
			return err
		}
	}
	if changed {
		v, err := s.reviewAllView(w, r, period, area)
		if err != nil {
			return err
		}
		v.Errors = append(v.Errors, i18n.FieldError{Field: "reports", Message: v.L.T("indicators.review.all.changed")})
		return s.renderStatus(w, r, http.StatusConflict, "reports-review-all", v)
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/reports/review?status=%s&period=%s&done=%d", r.PathValue("lang"), indicators.StatusApproved, period, n), http.StatusSeeOther)
	return nil
}
