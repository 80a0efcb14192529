package server

import (
	"net/http"
	"time"

	"digiportal/content"
)

type lessonView struct {
	Page
	Lesson      *content.Lesson
	Text        *content.LessonText
	TopicName   string
	Competences []string // DigComp codes, for the "lessons.digcomp.<code>" names
	Done        bool
	DoneAt      time.Time
	Paths       []pathItem // the paths this lesson belongs to
	Quiz        []questionView
	// After a submitted quiz:
	Checked    bool
	Passed     bool
	Right      int
	FirstPass  bool   // this submission completed the lesson
	ResumeCode string // formatted, for a visitor without an account
	Next       *lessonItem
}

// questionView is one quiz question as the form shows it, with the
// learner's answer and its explanation once checked.
type questionView struct {
	ID, Text    string
	Field       string // the radio group's name, and the first radio's id
	Options     []optionView
	Chosen      string
	Checked     bool
	Correct     bool
	Explanation string
}

type optionView struct {
	ID, Text, InputID string
	Chosen            bool
}

// buildLessonView prepares the lesson page for any request; answers, when
// not nil, are the options chosen per question ID.
func (s *lessonsPart) buildLessonView(w http.ResponseWriter, r *http.Request, answers map[string]string) (*lessonView, error) {
	lesson, ok := s.lib.Lesson(r.PathValue("slug"))
	if !ok {
		return nil, errNotFound
	}
	p := s.page(w, r, "lessons.catalogue.title")
	text := lesson.In(p.Lang)
	p.Title = text.Title
	done, err := s.completionsOf(r)
	if err != nil {
		return nil, err
	}
	v := &lessonView{Page: p, Lesson: lesson, Text: text, Competences: lesson.Competences}
	if t, ok := s.lib.Topic(lesson.Topic); ok {
		v.TopicName = t.Name[p.Lang]
	}
	v.DoneAt, v.Done = done[lesson.Slug]
	for _, path := range s.lib.PathsWith(lesson.Slug) {
		v.Paths = append(v.Paths, pathItemOf(s.lib, path, p.Lang, done))
	}
	for _, q := range text.Quiz {
		qv := questionView{ID: q.ID, Text: q.Text, Field: "answer-" + q.ID, Chosen: answers[q.ID]}
		for i, o := range q.Options {
			id := qv.Field + "-" + o.ID
			if i == 0 {
				id = qv.Field // the error summary links to the group's first radio
			}
			qv.Options = append(qv.Options, optionView{ID: o.ID, Text: o.Text, InputID: id, Chosen: o.ID == qv.Chosen})
		}
		v.Quiz = append(v.Quiz, qv)
	}
	return v, nil
}

// lessonShow shows a lesson and its quiz, and counts the view (no one's
// identity goes with it).
func (s *lessonsPart) lessonShow(w http.ResponseWriter, r *http.Request) error {
	v, err := s.buildLessonView(w, r, nil)
	if err != nil {
		return err
	}
	s.countView(r, v.Lesson.Slug)
	return s.render(w, r, "lessons-show", v)
}

// countView counts a view of the lesson slug, whether the page was
// rendered for the reader or kept (pagecache.go): in memory, written in
// batches (Server.RunCounters). A HEAD request (a link checker, an uptime
// probe) reads nothing and is no view.
func (s *lessonsPart) countView(r *http.Request, slug string) {
	if r.Method == http.MethodHead {
		return
	}
	s.views.Add(slug, s.now())
}

// countKeptView counts a view of a lesson page served kept.
func (s *lessonsPart) countKeptView(r *http.Request) { s.countView(r, r.PathValue("slug")) }
