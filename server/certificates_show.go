package server

import (
	"errors"
	"net/http"
	"strings"

	"digiportal/content"
	"digiportal/database"
)

type certificateView struct {
	Page
	Code      string // as typed, for the form
	Cert      *content.Certificate
	Mistyped  bool   // the code cannot be one: a typing mistake
	Format    string // for a mistake of length or character, what codes look like
	Unknown   bool   // well-formed, but the database has no such certificate
	VerifyURL string
}

// certificateShow is the public verification page: it shows what the
// database holds for a code, so a printout can be compared with it. A code
// with a typing mistake is caught before any lookup: by its check
// character, or by a length or character no code has. An unknown or
// mistyped code gets a page that says so plainly,
// with status 404: the certificate does not exist, and link checkers and
// search engines must not take the page for one.
func (s *lessonsPart) certificateShow(w http.ResponseWriter, r *http.Request) error {
	v, canonical, err := s.lookupCertificate(w, r, "")
	if err != nil || canonical {
		return err
	}
	if v.Cert == nil {
		return s.renderStatus(w, r, http.StatusNotFound, "certificates-show", v)
	}
	return s.render(w, r, "certificates-show", v)
}

// lookupCertificate reads the code of the request. It redirects a code
// typed in another form (lower case, without hyphens) to its canonical
// address, suffix kept, and reports that it did.
func (s *lessonsPart) lookupCertificate(w http.ResponseWriter, r *http.Request, suffix string) (*certificateView, bool, error) {
	typed := r.PathValue("code")
	p := s.page(w, r, "lessons.verify.title")
	v := &certificateView{Page: p, Code: typed}
	code, err := content.ParseCertificateCode(typed)
	switch {
	case err != nil:
		// A code no certificate could have (a character outside the
		// alphabet, a missing one) was mistyped, as the form says too;
		// "not found" would suggest a forgery.
		v.Mistyped = true
		if !errors.Is(err, content.ErrCodeCheck) {
			v.Format = p.L.N("lessons.verify.code_format", content.CertificateCodeLen)
		}
		v.Title = p.L.T("lessons.verify.mistyped.title")
		return v, false, nil
	}
	if pretty := content.FormatCode(code); typed != pretty {
		http.Redirect(w, r, "/"+string(p.Lang)+"/certificates/"+pretty+suffix, http.StatusSeeOther)
		return nil, true, nil
	}
	cert, err := content.CertificateByCode(r.Context(), s.db, code)
	if errors.Is(err, database.ErrNotFound) {
		v.Unknown = true
		v.Title = p.L.T("lessons.verify.unknown.title")
		return v, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	v.Cert, v.Code = cert, cert.FormattedCode()
	v.VerifyURL = strings.TrimSuffix(p.BaseURL, "/") + "/" + string(p.Lang) + "/certificates/" + v.Code
	if cert.Withdrawn() {
		v.Title = p.L.T("lessons.verify.withdrawn.title")
	} else {
		v.Title = p.L.T("lessons.verify.found.title")
	}
	return v, false, nil
}
