package server

import (
	"errors"
	"fmt"
	"net/http"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

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
	if err := s.authorizeReport(r, act, u); err != nil {
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
