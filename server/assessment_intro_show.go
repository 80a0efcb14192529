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
	Account   bool // the signed-in user keeps self-assessments under their account
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
// start, to continue with a code, or to go back to this browser's own or
// to those kept under the signed-in user's account.
func (s *assessmentsPart) assessmentIntro(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "assessment.intro.title")
	m := s.cat.Current()
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
	if u := s.currentUser(r); u != nil {
		kept, err := assessments.ListOwned(ctx, s.db, u.ID, 1)
		if err != nil {
			return err
		}
		v.Account = len(kept) > 0
	}
	return s.render(w, r, "assessment-intro", &v)
}
