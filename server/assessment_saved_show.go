package server

import (
	"net/http"
	"net/url"
)

type assessmentSavedView struct {
	assessmentFrame
	Link     string // the resume link, absolute
	Continue string
}

// assessmentSaved shows the resume code and link, to continue later or on
// another device. Only a browser that started or resumed the assessment
// knows the code: the database keeps only its hash. An assessment kept
// under the signed-in user's account says so: the account opens it too.
func (s *assessmentsPart) assessmentSaved(w http.ResponseWriter, r *http.Request) error {
	a, err := s.assessmentOpen(r)
	if err != nil {
		return err
	}
	v := assessmentSavedView{assessmentFrame: s.assessmentFrameFor(w, r, a, "assessment.saved.title", "")}
	lang := string(v.Lang)
	if v.Code != "" {
		v.Link = v.BaseURL + "/" + lang + "/assessment/resume?code=" + url.QueryEscape(v.Code)
	}
	v.Continue = assessmentURL(lang, a.resp.ID, "result")
	if !a.resp.Submitted() {
		v.Continue = assessmentURL(lang, a.resp.ID, s.assessmentFirstOpenStep(a.resp))
	}
	return s.render(w, r, "assessment-saved", &v)
}
