package server

import (
	"errors"
	"net/http"
	"sort"
	"time"

	"digiportal/content"
	"digiportal/database"
)

type progressView struct {
	Page
	SignedIn     bool   // progress kept under the account: signed in and consenting
	ResumeCode   string // formatted; empty for an account or without progress
	Completed    []lessonItem
	Paths        []pathItem
	Certificates []*content.Certificate
	Code         string // the resume form's value after a failed try
	Resumed      bool
}

// progressShow shows what the visitor has done: lessons passed, progress
// through each path, certificates, and the resume code to continue on
// another device (or the form to enter one).
func (s *lessonsPart) progressShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.buildProgressView(w, r)
	if err != nil {
		return err
	}
	v.Resumed = r.URL.Query().Get("resumed") == "1"
	return s.render(w, r, "progress-show", v)
}

func (s *lessonsPart) buildProgressView(w http.ResponseWriter, r *http.Request) (*progressView, error) {
	p := s.page(w, r, "lessons.progress.title")
	p.Path = "/progress" // also after a POST to /progress/resume
	keep, err := s.keepsProgress(r)
	if err != nil {
		return nil, err
	}
	v := &progressView{Page: p, SignedIn: keep}
	ctx := r.Context()
	id, err := s.learnerOf(r)
	if err != nil {
		return nil, err
	}
	if id != 0 && !v.SignedIn {
		l, err := content.LearnerByID(ctx, s.db, id)
		switch {
		case errors.Is(err, database.ErrNotFound):
			s.sessions.Remove(ctx, sessLearner) // merged or deleted: start afresh
			id = 0
		case err != nil:
			return nil, err
		default:
			v.ResumeCode = content.FormatCode(l.ResumeCode)
		}
	}
	done := map[string]time.Time{}
	if id != 0 {
		if done, err = content.Completions(ctx, s.db, id); err != nil {
			return nil, err
		}
		if v.Certificates, err = content.CertificatesOf(ctx, s.db, id); err != nil {
			return nil, err
		}
	}
	lib := s.lib
	for _, l := range lib.Lessons {
		if li := itemOf(l, p.Lang, done); li.Done {
			v.Completed = append(v.Completed, li)
		}
	}
	sort.SliceStable(v.Completed, func(i, j int) bool { return v.Completed[i].DoneAt.After(v.Completed[j].DoneAt) })
	for _, path := range lib.Paths {
		v.Paths = append(v.Paths, pathItemOf(lib, path, p.Lang, done))
	}
	return v, nil
}
