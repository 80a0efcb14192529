package server

import (
	"errors"
	"net/http"
	"strings"

	"digiportal/content"
	"digiportal/i18n"
)

type certificateVerifyView struct {
	Page
	Code string
}

// certificateVerify is where someone holding a printed certificate types
// its code. A mistyped code is answered at once, from the check character,
// without looking anything up; a well-formed one goes to its page.
func (s *lessonsPart) certificateVerify(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "lessons.verify.title")
	v := certificateVerifyView{Page: p, Code: strings.TrimSpace(r.URL.Query().Get("code"))}
	if _, asked := r.URL.Query()["code"]; !asked {
		return s.render(w, r, "certificates-verify", &v)
	}
	code, err := content.ParseCertificateCode(v.Code)
	switch {
	case v.Code == "":
		v.Errors = []i18n.FieldError{{Field: "code", Message: p.L.T("lessons.verify.code_missing")}}
	case errors.Is(err, content.ErrCodeCheck):
		v.Errors = []i18n.FieldError{{Field: "code", Message: p.L.T("lessons.verify.code_mistyped")}}
	case err != nil:
		v.Errors = []i18n.FieldError{{Field: "code", Message: p.L.N("lessons.verify.code_format", content.CertificateCodeLen)}}
	}
	if len(v.Errors) > 0 {
		return s.renderStatus(w, r, http.StatusBadRequest, "certificates-verify", &v)
	}
	http.Redirect(w, r, "/"+string(p.Lang)+"/certificates/"+content.FormatCode(code), http.StatusSeeOther)
	return nil
}
