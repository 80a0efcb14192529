package server

import (
	"net/http"

	"digiportal/content"
	"digiportal/i18n"
)

// lessonQuizCheck marks a submitted quiz: each answer is shown right or
// wrong with its explanation, and passing every question completes the
// lesson. Retries are unlimited; an unanswered question re-shows the form
// with an error.
func (s *lessonsPart) lessonQuizCheck(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	lesson, ok := s.lib.Lesson(r.PathValue("slug"))
	if !ok {
		return errNotFound
	}
	lang, _ := s.langOf(r)
	quiz := lesson.In(lang).Quiz
	answers := map[string]string{}
	for _, q := range quiz {
		if a := r.PostForm.Get("answer-" + q.ID); a != "" {
			if _, ok := q.Option(a); ok {
				answers[q.ID] = a
			}
		}
	}
	v, err := s.buildLessonView(w, r, answers)
	if err != nil {
		return err
	}
	for i, q := range quiz {
		if _, ok := answers[q.ID]; !ok {
			v.Errors = append(v.Errors, i18n.FieldError{
				Field:   "answer-" + q.ID,
				Message: v.L.T("lessons.quiz.unanswered", "N", v.L.Int(int64(i+1))),
			})
		}
	}
	if len(v.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "lessons-show", v)
	}
	v.Checked = true
	for i, q := range quiz {
		o, _ := q.Option(answers[q.ID])
		qv := &v.Quiz[i]
		qv.Checked, qv.Correct, qv.Explanation = true, o.Correct, o.Explanation
		if o.Correct {
			v.Right++
		}
	}
	v.Passed = v.Right == len(quiz)
	if v.Passed {
		if err := s.recordLessonPass(r, v); err != nil {
			return err
		}
	}
	return s.render(w, r, "lessons-show", v)
}

// recordLessonPass stores the pass and fills in what the page says next:
// the resume code for a visitor without an account, and the next lesson of
// the first path that has one left.
func (s *lessonsPart) recordLessonPass(r *http.Request, v *lessonView) error {
	ctx := r.Context()
	id, err := s.ensureLearner(r)
	if err != nil {
		return err
	}
	now := s.now()
	first, err := content.RecordPass(ctx, s.db, id, v.Lesson.Slug, now)
	if err != nil {
		return err
	}
	v.FirstPass = first
	if !v.Done {
		v.Done, v.DoneAt = true, now
	}
	l, err := content.LearnerByID(ctx, s.db, id)
	if err != nil {
		return err
	}
	if l.UserID == 0 {
		v.ResumeCode = content.FormatCode(l.ResumeCode)
	}
	done, err := content.Completions(ctx, s.db, id)
	if err != nil {
		return err
	}
	v.Paths = v.Paths[:0]
	for _, path := range s.lib.PathsWith(v.Lesson.Slug) {
		pi := pathItemOf(s.lib, path, v.Lang, done)
		v.Paths = append(v.Paths, pi)
		if v.Next == nil && pi.Next != nil {
			v.Next = pi.Next
		}
	}
	return nil
}
