package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/uptrace/bun"

	"digiportal/content"
	"digiportal/database"
	"digiportal/i18n"
)

// sessLearner is the session key of a visitor's learner ID when nobody is
// signed in. The progress itself lives in the database under that learner,
// so a resume code reaches it from another device.
const sessLearner = "lessons.learner"

// keepsProgress reports whether the request's progress is kept under an
// account: a user is signed in and consents to it. Otherwise the progress
// is the session's, signed in or not.
func (s *lessonsPart) keepsProgress(r *http.Request) (bool, error) {
	u := s.currentUser(r)
	if u == nil {
		return false, nil
	}
	return content.KeepsProgress(r.Context(), s.db, u.ID)
}

// learnerOf returns the ID of the request's learner: the signed-in user's
// when they consent to keeping progress, else the session's; 0 when there
// is no progress yet.
func (s *lessonsPart) learnerOf(r *http.Request) (int64, error) {
	ctx := r.Context()
	keep, err := s.keepsProgress(r)
	if err != nil {
		return 0, err
	}
	if keep {
		l, err := content.LearnerForUser(ctx, s.db, s.currentUser(r).ID)
		if errors.Is(err, database.ErrNotFound) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		return l.ID, nil
	}
	return s.sessions.GetInt64(ctx, sessLearner), nil
}

// ensureLearner returns the request's learner ID, creating a learner (with
// a resume code, for a visitor without an account) when there is none.
func (s *lessonsPart) ensureLearner(r *http.Request) (int64, error) {
	ctx := r.Context()
	now := s.now()
	keep, err := s.keepsProgress(r)
	if err != nil {
		return 0, err
	}
	if keep {
		l, err := content.EnsureUserLearner(ctx, s.db, s.currentUser(r).ID, now)
		if err != nil {
			return 0, err
		}
		return l.ID, nil
	}
	if id := s.sessions.GetInt64(ctx, sessLearner); id != 0 {
		if _, err := content.LearnerByID(ctx, s.db, id); err == nil {
			return id, nil
		} else if !errors.Is(err, database.ErrNotFound) {
			return 0, err
		}
	}
	l, err := content.NewLearner(ctx, s.db, now)
	if err != nil {
		return 0, err
	}
	s.sessions.Put(ctx, sessLearner, l.ID)
	return l.ID, nil
}

// completionsOf returns when the request's learner passed each lesson;
// empty for a visitor without progress or whose session points at a
// learner that is gone (merged into an account, or deleted as stale).
func (s *lessonsPart) completionsOf(r *http.Request) (map[string]time.Time, error) {
	id, err := s.learnerOf(r)
	if err != nil || id == 0 {
		return map[string]time.Time{}, err
	}
	return content.Completions(r.Context(), s.db, id)
}

// mergeLessonProgress runs in the sign-in transaction: what the visitor
// passed before signing in joins the account's progress.
func (s *lessonsPart) mergeLessonProgress(ctx context.Context, tx bun.IDB, userID int64) error {
	from := s.sessions.GetInt64(ctx, sessLearner)
	id, err := content.MergeProgress(ctx, tx, from, userID, s.now())
	if err != nil || id == 0 {
		return err // without consent the progress stays the session's
	}
	s.sessions.Remove(ctx, sessLearner)
	return nil
}

// lessonsConsentChanged follows the consent to keep progress on the
// account page, in the same transaction: granting it takes this browser's
// progress into the account; withdrawing it cuts the account's progress
// loose, back to this browser's session and a new resume code.
func (s *lessonsPart) lessonsConsentChanged(ctx context.Context, tx bun.IDB, userID int64, purpose string, granted bool) error {
	if purpose != content.ProgressPurpose {
		return nil
	}
	if granted {
		return s.mergeLessonProgress(ctx, tx, userID)
	}
	id, err := content.DetachUserLearner(ctx, tx, userID)
	if err != nil || id == 0 {
		return err
	}
	s.sessions.Put(ctx, sessLearner, id)
	return nil
}

// lessonItem is a lesson as lists show it.
type lessonItem struct {
	Slug, Title, Summary string
	Level                content.Level
	Minutes              int
	Done                 bool
	DoneAt               time.Time
}

func itemOf(l *content.Lesson, lang i18n.Lang, done map[string]time.Time) lessonItem {
	t := l.In(lang)
	at, ok := done[l.Slug]
	return lessonItem{Slug: l.Slug, Title: t.Title, Summary: t.Summary, Level: l.Level, Minutes: l.Minutes, Done: ok, DoneAt: at}
}

// pathItem is a learning path with the learner's progress through it.
type pathItem struct {
	Slug, Name, Description string
	Done, Total             int
	Lessons                 []lessonItem
	Next                    *lessonItem // the first lesson not yet passed
}

// Complete reports whether every lesson of the path is passed.
func (p pathItem) Complete() bool { return p.Done == p.Total }

func pathItemOf(lib *content.Library, p *content.Path, lang i18n.Lang, done map[string]time.Time) pathItem {
	item := pathItem{Slug: p.Slug, Name: p.Name[lang], Description: p.Description[lang], Total: len(p.Lessons)}
	for _, slug := range p.Lessons {
		l, _ := lib.Lesson(slug)
		li := itemOf(l, lang, done)
		if li.Done {
			item.Done++
		} else if item.Next == nil {
			next := li
			item.Next = &next
		}
		item.Lessons = append(item.Lessons, li)
	}
	return item
}
