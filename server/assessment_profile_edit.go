package server

import (
	"net/http"
	"strconv"

	"digiportal/assessments"
)

type assessmentProfileView struct {
	assessmentFrame
	Data      *assessments.ProfileData
	Areas     []assessments.Area
	Form      assessmentProfileForm
	SizeClass *assessments.SizeClass // once saved
	Facts     []assessmentFact       // the profile in words, when it cannot change
}

// assessmentProfileForm is the profile form as sent: every field a choice
// from a list except the number of employees.
type assessmentProfileForm struct {
	Sector    string `form:"sector,choice" validate:"required" label:"assessment.profile.sector" msg:"required=assessment.error.sector"`
	Employees string `form:"employees" validate:"required,number,max=7" label:"assessment.profile.employees" msg:"required=assessment.error.employees_missing,number|max=assessment.error.employees"`
	Revenue   string `form:"revenue,choice" validate:"required" label:"assessment.profile.revenue" msg:"required=assessment.error.revenue"`
	Capital   string `form:"capital,choice" validate:"required" label:"assessment.profile.capital" msg:"required=assessment.error.capital"`
	// Area is required only when the portal has areas to offer, which
	// CheckProfile knows.
	Area string `form:"area,choice" label:"assessment.profile.area"`
}

// assessmentProfileEdit shows the business profile: sector, size and area,
// nothing that names the business.
func (s *assessmentsPart) assessmentProfileEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	v, err := s.assessmentProfileViewFor(w, r, a)
	if err != nil {
		return err
	}
	if a.resp.HasProfile() {
		v.Form = assessmentProfileForm{
			Sector: a.resp.Sector, Employees: strconv.Itoa(a.resp.Employees),
			Revenue: a.resp.Revenue, Capital: a.resp.Capital, Area: a.resp.Area,
		}
	}
	return s.render(w, r, "assessment-profile", v)
}

func (s *assessmentsPart) assessmentProfileViewFor(w http.ResponseWriter, r *http.Request, a *assessmentCtx) (*assessmentProfileView, error) {
	cat := s.cat
	areas, err := s.assessmentAreas().Areas(r.Context())
	if err != nil {
		return nil, err
	}
	v := &assessmentProfileView{
		assessmentFrame: s.assessmentFrameFor(w, r, a, "assessment.profile.title", stepProfile),
		Data:            cat.Profile, Areas: areas,
		Form: assessmentProfileForm{Capital: assessments.CapitalUnknown},
	}
	if a.resp.SizeClass != "" {
		v.SizeClass, _ = cat.Profile.SizeClassByID(a.resp.SizeClass)
	}
	if !v.Editable {
		if v.Facts, err = s.assessmentProfileFacts(r.Context(), v.Page, a.resp); err != nil {
			return nil, err
		}
	}
	return v, nil
}
