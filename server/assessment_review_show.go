package server

import (
	"context"
	"net/http"

	"digiportal/assessments"
)

type assessmentReviewView struct {
	assessmentFrame
	Profile        []assessmentFact
	Pages          []assessmentReviewPage
	Complete       bool
	ConsentVersion string
	Consent        bool
}

// assessmentFact is one line of a summary list.
type assessmentFact struct {
	Label string
	Value string
}

// assessmentReviewPage is one question page on the review.
type assessmentReviewPage struct {
	Key      string
	Name     string
	Path     string
	Answered int
	Required int
	Complete bool
}

// assessmentReview shows every step's state before submission, with links
// to change each, and the consent to the province's statistics: separate,
// unticked, versioned.
func (s *assessmentsPart) assessmentReview(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	v, err := s.assessmentReviewViewFor(w, r, a)
	if err != nil {
		return err
	}
	return s.render(w, r, "assessment-review", v)
}

func (s *assessmentsPart) assessmentReviewViewFor(w http.ResponseWriter, r *http.Request, a *assessmentCtx) (*assessmentReviewView, error) {
	v := &assessmentReviewView{
		assessmentFrame: s.assessmentFrameFor(w, r, a, "assessment.review.title", stepReview),
		ConsentVersion:  assessments.ConsentVersion,
		Consent:         a.resp.Consented(),
		Complete:        a.resp.HasProfile(),
	}
	var err error
	if v.Profile, err = s.assessmentProfileFacts(r.Context(), v.Page, a.resp); err != nil {
		return nil, err
	}
	for _, pp := range a.model.Progress(a.resp.Answers) {
		v.Pages = append(v.Pages, assessmentReviewPage{
			Key: pp.Page, Name: assessmentPageName(v.Page, a.model, pp.Page, false),
			Path:     assessmentURL(string(v.Lang), a.resp.ID, "questions/"+pp.Page),
			Answered: pp.Answered, Required: pp.Required, Complete: pp.Complete(),
		})
		v.Complete = v.Complete && pp.Complete()
	}
	return v, nil
}

// assessmentProfileFacts describes a response's profile for the review and
// the report; empty before the profile is saved. A choice since removed
// from the lists shows as its stored code; an area shows as the unit it
// named when it was given, marked as former if that unit is gone.
func (s *assessmentsPart) assessmentProfileFacts(ctx context.Context, p Page, resp *assessments.Response) ([]assessmentFact, error) {
	if !resp.HasProfile() {
		return nil, nil
	}
	cat := s.cat
	sector, revenue, capital, size := resp.Sector, resp.Revenue, p.L.T("assessment.profile.capital.unknown"), resp.SizeClass
	if x, ok := cat.Profile.Sector(resp.Sector); ok {
		sector = x.Name.In(p.Lang)
	}
	if x, ok := cat.Profile.RevenueBand(resp.Revenue); ok {
		revenue = x.Label.In(p.Lang)
	}
	if x, ok := cat.Profile.CapitalBand(resp.Capital); ok {
		capital = x.Label.In(p.Lang)
	}
	if x, ok := cat.Profile.SizeClassByID(resp.SizeClass); ok {
		size = x.Name.In(p.Lang)
	}
	area, err := s.areaOfResponse(ctx, p.L, resp)
	if err != nil {
		return nil, err
	}
	if area == "" {
		area = p.L.T("assessment.area.none")
	}
	return []assessmentFact{
		{p.L.T("assessment.profile.sector"), sector},
		{p.L.T("assessment.profile.employees"), p.L.Int(int64(resp.Employees))},
		{p.L.T("assessment.profile.revenue"), revenue},
		{p.L.T("assessment.profile.capital"), capital},
		{p.L.T("assessment.profile.size"), size},
		{p.L.T("assessment.profile.area"), area},
	}, nil
}
