package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/assessments"
	"digiportal/database"
	"digiportal/i18n"
)

// assessmentResume opens the series of a typed resume code in this browser
// and continues where it was left: the open response's first unfinished
// page, or the latest result; a signed-in user who consents to it keeps the
// series under their account from now on. A mistyped code is caught by its check
// symbol; guesses of well-formed codes that do not exist are throttled per
// address, like failed sign-ins.
func (s *assessmentsPart) assessmentResume(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	ctx := r.Context()
	typed := r.PostForm.Get("code")
	fail := func(msgID string) error {
		p := s.page(w, r, "assessment.resume.title")
		p.Errors = []i18n.FieldError{{Field: "code", Message: p.L.T(msgID)}}
		return s.renderStatus(w, r, http.StatusBadRequest, "assessment-resume", &assessmentResumeView{Page: p, Code: typed})
	}
	if typed == "" {
		return fail("assessment.resume.missing")
	}
	if _, err := assessments.ParseResumeCode(typed); err != nil {
		return fail("assessment.resume.invalid")
	}
	key := "assessment-resume:" + clientKeyOf(r)
	if wait, err := s.throttle.Wait(ctx, s.db, key); err != nil {
		return err
	} else if wait > 0 {
		return tooMany(strconv.Itoa(int(wait.Seconds()) + 1))
	}
	series, latest, err := assessments.FindByCode(ctx, s.db, typed)
	if errors.Is(err, database.ErrNotFound) {
		if _, err := s.throttle.Fail(ctx, s.db, key); err != nil {
			return err
		}
		return fail("assessment.resume.unknown")
	}
	if err != nil {
		return err
	}
	norm, _ := assessments.ParseResumeCode(typed)
	if err := s.assessmentOwn(w, r, series.ID, assessments.FormatCode(norm)); err != nil {
		return err
	}
	if err := s.assessmentKeep(r, series.ID); err != nil {
		return err
	}
	lang := r.PathValue("lang")
	to := assessmentURL(lang, latest.ID, "result")
	if !latest.Submitted() {
		to = assessmentURL(lang, latest.ID, s.assessmentFirstOpenStep(latest))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// assessmentFirstOpenStep is the first step of a response still to do:
// the profile, a page with unanswered questions, or the review.
func (s *assessmentsPart) assessmentFirstOpenStep(resp *assessments.Response) string {
	if !resp.HasProfile() {
		return stepProfile
	}
	m, ok := s.cat.Model(resp.ModelVersion)
	if !ok {
		return stepProfile
	}
	for _, pp := range m.Progress(resp.Answers) {
		if !pp.Complete() {
			return "questions/" + pp.Page
		}
	}
	return stepReview
}
