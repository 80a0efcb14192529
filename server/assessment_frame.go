package server

import (
	"net/http"

	"digiportal/assessments"
)

// assessmentFrame is what every page of one response shows around its
// content: the steps with where the visitor is, the resume code, and
// whether the answers can still change.
type assessmentFrame struct {
	Page
	ID        string
	Steps     []assessmentStep
	StepNo    int // 1-based position of the current step, 0 off the steps
	StepCount int
	Code      string // the resume code, when this session knows it
	Owner     bool
	Linked    bool // kept under the signed-in user's account
	Editable  bool
	Submitted bool
	Resp      *assessments.Response
}

// assessmentStep is one entry of the step list.
type assessmentStep struct {
	Key     string
	Path    string
	Label   string
	Done    bool
	Current bool
}

// Step keys besides the question pages.
const (
	stepProfile = "profile"
	stepReview  = "review"
)

// assessmentFrameFor builds the frame of response a on the page with
// titleID, with current the step being shown ("" for none).
func (s *assessmentsPart) assessmentFrameFor(w http.ResponseWriter, r *http.Request, a *assessmentCtx, titleID, current string) assessmentFrame {
	p := s.page(w, r, titleID)
	lang := string(p.Lang)
	f := assessmentFrame{
		Page: p, ID: a.resp.ID, Code: a.code, Owner: a.owner, Linked: a.linked,
		Editable: a.editable(), Submitted: a.resp.Submitted(), Resp: a.resp,
	}
	add := func(key, path, label string, done bool) {
		st := assessmentStep{Key: key, Path: path, Label: label, Done: done, Current: key == current}
		f.Steps = append(f.Steps, st)
		if st.Current {
			f.StepNo = len(f.Steps)
		}
	}
	add(stepProfile, assessmentURL(lang, a.resp.ID, "profile"), p.L.T("assessment.step.profile"), a.resp.HasProfile())
	for _, pp := range a.model.Progress(a.resp.Answers) {
		done := pp.Complete() && (pp.Required > 0 || answeredAny(a.model, pp.Page, a.resp.Answers))
		add(pp.Page, assessmentURL(lang, a.resp.ID, "questions/"+pp.Page), assessmentPageName(p, a.model, pp.Page, true), done)
	}
	add(stepReview, assessmentURL(lang, a.resp.ID, "review"), p.L.T("assessment.step.review"), a.resp.Submitted())
	f.StepCount = len(f.Steps)
	return f
}

// assessmentPageName names a question page: the pillar (its short name in
// the step list) or the needs page.
func assessmentPageName(p Page, m *assessments.Model, page string, short bool) string {
	if pl, ok := m.Pillar(page); ok {
		if short {
			return pl.Short.In(p.Lang)
		}
		return pl.Name.In(p.Lang)
	}
	return p.L.T("assessment.step.needs")
}

func answeredAny(m *assessments.Model, page string, answers assessments.Answers) bool {
	items, _ := m.PageItems(page)
	for _, it := range items {
		if _, ok := answers[it.ID]; ok {
			return true
		}
	}
	return false
}

// assessmentSteps lists the steps of a response as paths under its URL:
// the profile, each question page, the review.
func assessmentSteps(m *assessments.Model) []string {
	out := []string{stepProfile}
	for _, p := range m.Pages() {
		out = append(out, "questions/"+p)
	}
	return append(out, stepReview)
}

// assessmentNeighbours returns the steps before and after a question page.
func assessmentNeighbours(m *assessments.Model, page string) (prev, next string) {
	steps := assessmentSteps(m)
	for i, st := range steps {
		if st == "questions/"+page && i > 0 && i+1 < len(steps) {
			return steps[i-1], steps[i+1]
		}
	}
	return stepProfile, stepReview
}
