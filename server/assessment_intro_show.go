package server

import (
	"net/http"
	"time"

	"digiportal/assessments"
)

type assessmentIntroView struct {
	Page
	Model     *assessments.Model
	Questions int
	Mine      []assessmentMine
}

// assessmentMine is a response this browser may go back to.
type assessmentMine struct {
	Path      string
	Submitted bool
	Started   time.Time
	Done      time.Time
}

// assessmentIntro says what the self-assessment is, how long it takes,
// that it is anonymous and what happens to the answers, and offers to
// start, to continue with a code, or to go back to this browser's own.
func (s *Server) assessmentIntro(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "assessment.intro.title")
	m := s.assessments.cat.Current()
	v := assessmentIntroView{Page: p, Model: m}
	for _, pl := range m.Pillars {
		v.Questions += len(pl.Items)
	}
	ctx := r.Context()
	for _, o := range s.assessmentOwned(ctx) {
		rs, err := assessments.SeriesResponses(ctx, s.db, o.ID)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			continue // purged meanwhile
		}
		last := rs[len(rs)-1]
		mine := assessmentMine{Submitted: last.Submitted(), Started: last.CreatedAt, Done: last.SubmittedAt}
		if mine.Submitted {
			mine.Path = assessmentURL(string(p.Lang), last.ID, "result")
		} else {
			mine.Path = assessmentURL(string(p.Lang), last.ID, "profile")
		}
		v.Mine = append(v.Mine, mine)
	}
	return s.render(w, r, "assessment-intro", &v)
}
