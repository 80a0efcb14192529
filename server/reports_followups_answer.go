package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/indicators"
)

// reportsFollowupAnswer records a commune official's answer to a
// follow-up on one of their unit's reports; a refused answer shows the
// list again with the answer kept and the problem at its field.
func (s *indicatorsPart) reportsFollowupAnswer(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	ctx := r.Context()
	f, err := indicators.FollowupByID(ctx, s.db, id)
	if errors.Is(err, database.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	rep, _, err := indicators.ReportByID(ctx, s.db, f.ReportID)
	if err != nil {
		return err
	}
	u, err := indicators.UnitByID(ctx, s.db, rep.UnitID)
	if err != nil {
		return err
	}
	if err := s.authorizeReport(r, accounts.ActIndicatorsEnter, u); err != nil {
		return err
	}
	answer := r.PostForm.Get("answer")
	_, err = indicators.AnswerFollowup(ctx, s.db, s.actor(r), id, answer)
	var refused *accounts.ValidationError
	if errors.As(err, &refused) {
		v, verr := s.followupsView(w, r)
		if verr != nil {
			return verr
		}
		field := "answer-" + strconv.FormatInt(id, 10)
		for i := range v.Items {
			if v.Items[i].ID == id {
				v.Items[i].Typed, v.Items[i].Error = answer, followupMessage(v.L, err)
			}
		}
		v.Errors = []i18n.FieldError{{Field: field, Message: followupMessage(v.L, err)}}
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-followups", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/reports/followups?done=answered", http.StatusSeeOther)
	return nil
}
