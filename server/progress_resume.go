package server

import (
	"errors"
	"net/http"
	"strconv"

	"digiportal/content"
	"digiportal/database"
	"digiportal/i18n"
)

// progressResume continues with the progress of a resume code typed on
// this device. What this device had already done joins it. A mistyped code
// is caught by its check character; guesses of well-formed codes that do
// not exist are throttled per address, like failed sign-ins.
func (s *lessonsPart) progressResume(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	ctx := r.Context()
	typed := r.PostForm.Get("code")
	fail := func(msgID string, args ...any) error {
		v, err := s.buildProgressView(w, r)
		if err != nil {
			return err
		}
		v.Code = typed
		v.Errors = []i18n.FieldError{{Field: "code", Message: v.L.T(msgID, args...)}}
		return s.renderStatus(w, r, http.StatusBadRequest, "progress-show", v)
	}
	code, err := content.ParseResumeCode(typed)
	switch {
	case typed == "":
		return fail("lessons.resume.missing")
	case errors.Is(err, content.ErrCodeCheck):
		return fail("lessons.resume.mistyped")
	case err != nil:
		return fail("lessons.resume.format", "N", content.ResumeCodeLen)
	}
	key := "resume:" + clientKeyOf(r)
	if wait, err := s.throttle.Wait(ctx, s.db, key); err != nil {
		return err
	} else if wait > 0 {
		return tooMany(strconv.Itoa(int(wait.Seconds()) + 1))
	}
	target, err := content.LearnerByResumeCode(ctx, s.db, code)
	if errors.Is(err, database.ErrNotFound) {
		if _, err := s.throttle.Fail(ctx, s.db, key); err != nil {
			return err
		}
		return fail("lessons.resume.unknown")
	}
	if err != nil {
		return err
	}
	now := s.now()
	keep, err := s.keepsProgress(r)
	if err != nil {
		return err
	}
	if u := s.currentUser(r); keep {
		// Signed in and consenting: the code's progress joins the account's.
		if _, err := content.MergeProgress(ctx, s.db, target.ID, u.ID, now); err != nil {
			return err
		}
	} else {
		if cur := s.sessions.GetInt64(ctx, sessLearner); cur != 0 && cur != target.ID {
			err := content.MergeLearners(ctx, s.db, cur, target.ID)
			if err != nil && !errors.Is(err, database.ErrNotFound) {
				return err
			}
		}
		if err := s.sessions.RenewToken(ctx); err != nil {
			return err
		}
		s.sessions.Put(ctx, sessLearner, target.ID)
		if err := content.Touch(ctx, s.db, target.ID, now); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/progress?resumed=1", http.StatusSeeOther)
	return nil
}
