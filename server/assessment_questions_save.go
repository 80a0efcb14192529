package server

import (
	"net/http"

	"digiportal/assessments"
)

// assessmentQuestionsSave stores a question page's answers, then moves:
// on to the next step, back to the one before, or to the resume code. A
// value that cannot be read (a percentage like "abc") saves nothing and
// shows the page again with the problem. Moving on also needs every
// question of the page answered; what was answered is saved first, so
// nothing typed is lost.
func (s *assessmentsPart) assessmentQuestionsSave(w http.ResponseWriter, r *http.Request) error {
	lang, page := r.PathValue("lang"), r.PathValue("page")
	a, ok, err := s.assessmentOpenToChange(w, r, assessmentURL(lang, r.PathValue("id"), "questions/"+page))
	if !ok {
		return err
	}
	items, ok := a.model.PageItems(page)
	if !ok {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	answers, errs := assessments.DecodeItems(items, r.PostForm)
	typed := map[string]string{}
	for _, it := range items {
		if it.Type == assessments.Ratio {
			typed[it.ID] = r.PostForm.Get(it.ID)
		}
	}
	action := r.PostForm.Get("action")
	if len(errs) == 0 {
		saved, err := assessments.SaveAnswers(r.Context(), s.db, a.resp.ID, items, answers, s.now())
		if err != nil {
			return err
		}
		a.resp = saved
	}
	if action == "next" {
		// Unanswered questions show together with unreadable values, in
		// the page's order, so that one round fixes them all.
		errs = append(errs, assessments.RequireComplete(items, answers)...)
		errs = firstPerItem(items, errs)
	}
	if len(errs) > 0 {
		v, err := s.assessmentQuestionsViewFor(w, r, a, page, answers, typed, errs)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusBadRequest, "assessment-questions", v)
	}
	prev, next := assessmentNeighbours(a.model, page)
	to := assessmentURL(lang, a.resp.ID, next)
	switch action {
	case "prev":
		to = assessmentURL(lang, a.resp.ID, prev)
	case "later":
		to = assessmentURL(lang, a.resp.ID, "saved")
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// firstPerItem orders problems as the page shows its questions and keeps
// the first of each question: a value that cannot be read is also an
// unanswered question, and the reader needs to hear of it once.
func firstPerItem(items []assessments.Item, errs []assessments.FieldError) []assessments.FieldError {
	seen := map[string]bool{}
	var out []assessments.FieldError
	for _, it := range items {
		for _, fe := range errs {
			if fieldItem(fe.Field) == it.ID && !seen[it.ID] {
				seen[it.ID] = true
				out = append(out, fe)
			}
		}
	}
	return out
}
