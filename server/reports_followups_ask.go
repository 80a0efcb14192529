package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"digiportal/accounts"
	"digiportal/indicators"
)

// reportsFollowupAsk records a province official's question about one
// value of a report in their scope; a refused question shows the report
// again with what was typed and each problem at its field.
func (s *indicatorsPart) reportsFollowupAsk(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	id, err := reportID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	rep, _, err := indicators.ReportByID(ctx, s.db, id)
	if err != nil {
		return err
	}
	u, err := indicators.UnitByID(ctx, s.db, rep.UnitID)
	if err != nil {
		return err
	}
	if err := s.authorizeReport(r, accounts.ActIndicatorsApprove, u); err != nil {
		return err
	}
	element, _ := strconv.ParseInt(r.PostForm.Get("element"), 10, 64)
	question := r.PostForm.Get("question")
	_, err = indicators.AskFollowup(ctx, s.db, s.actor(r), id, element, question)
	var refused *accounts.ValidationError
	if errors.As(err, &refused) {
		v, verr := s.reviewView(w, r)
		if verr != nil {
			return verr
		}
		v.Errors = fieldErrors(v.L, err, map[string]string{"element": "followup-element", "question": "followup-question"}, followupMessage)
		v.AskElement, v.AskQuestion = r.PostForm.Get("element"), question
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-review-show", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/reports/review/%d?done=asked#followups", r.PathValue("lang"), id), http.StatusSeeOther)
	return nil
}

// reviewFollowups fills the review page's follow-ups and, for an official
// who may review the unit, the choice of values to ask about.
func (s *indicatorsPart) reviewFollowups(r *http.Request, v *reviewView, reportID int64, u *indicators.Unit, els []indicators.Element) error {
	rows, err := indicators.ListFollowups(r.Context(), s.db, indicators.FollowupFilter{ReportID: reportID})
	if err != nil {
		return err
	}
	if v.Followups, err = s.followupItems(r, v.L, rows); err != nil {
		return err
	}
	v.CanAsk = s.authorize(r, accounts.ActIndicatorsApprove, accounts.Object{UnitVersion: u.ID}) == nil
	en := v.Lang == "en"
	for _, e := range els {
		v.AskElements = append(v.AskElements, indOption{strconv.FormatInt(e.ID, 10), e.Name(en)})
	}
	return nil
}
