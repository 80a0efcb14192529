package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/i18n"
)

// assessmentSubmit scores and freezes a complete response with the
// visitor's consent choice, then shows the result. An incomplete one comes
// back to the review with a link to each step still to do. The consent box
// counts only when it carries the current consent version, so a page shown
// before the wording changed cannot agree to the new wording.
func (s *assessmentsPart) assessmentSubmit(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	a, ok, err := s.assessmentOpenToChange(w, r, assessmentURL(lang, r.PathValue("id"), "result"))
	if !ok {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	consent := r.PostForm.Get("consent") == assessments.ConsentVersion
	// Each result sent counts against the client's address, before it is
	// sent, so that results sent at the same moment cannot all pass.
	ctx := r.Context()
	// An IPv6 client is counted by its /64 (clientKeyOf): it holds all of it.
	ip := clientIP(r)
	key := "assessment-send:" + clientKeyOf(r)
	if refused, _, err := s.sends.Attempt(ctx, s.db, key); err != nil {
		return err
	} else if refused > 0 {
		return tooMany(strconv.Itoa(int(refused.Seconds()) + 1))
	}
	_, err = assessments.Submit(ctx, s.db, s.cat, a.resp.ID, consent, s.now())
	if err == nil {
		err = assessments.RecordSource(ctx, s.db, a.resp.ID, ip, s.now())
	} else if err := s.sends.Succeeded(ctx, s.db, key); err != nil { // nothing was sent
		return err
	}
	var inc *assessments.IncompleteError
	if errors.As(err, &inc) {
		v, err := s.assessmentReviewViewFor(w, r, a)
		if err != nil {
			return err
		}
		v.Consent = consent
		if !a.resp.HasProfile() {
			v.Errors = append(v.Errors, i18n.FieldError{Field: "step-profile", Message: v.L.T("assessment.error.profile")})
		}
		for _, pg := range v.Pages {
			if !pg.Complete {
				v.Errors = append(v.Errors, i18n.FieldError{Field: "step-" + pg.Key,
					Message: v.L.N("assessment.error.incomplete", pg.Required-pg.Answered, "Step", pg.Name)})
			}
		}
		return s.renderStatus(w, r, http.StatusBadRequest, "assessment-review", v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, assessmentURL(lang, a.resp.ID, "result"), http.StatusSeeOther)
	return nil
}

// sendThrottle limits results sent from one client address: 10 an hour
// freely (a commune office helping a few businesses; the tenth sets the
// first wait), then a wait of a minute, doubling with each further result
// up to 30 minutes. Nobody
// stuffs the figures with a dozen results in minutes; the officials' page
// shows what still comes from one place in a day.
func sendThrottle() *accounts.Throttle {
	return &accounts.Throttle{Free: 9, Base: time.Minute, Max: 30 * time.Minute, Window: time.Hour}
}
