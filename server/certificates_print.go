package server

import (
	"net/http"

	"digiportal/i18n"
)

type certificatePrintView struct {
	certificateView
	VI, EN *i18n.Localizer // the certificate speaks both languages
}

// certificatePrint shows the certificate ready to print on A4 in both
// languages, with its verification code and address. A withdrawn, unknown
// or mistyped code gets the verification page instead.
func (s *lessonsPart) certificatePrint(w http.ResponseWriter, r *http.Request) error {
	v, canonical, err := s.lookupCertificate(w, r, "/print")
	if err != nil || canonical {
		return err
	}
	if v.Cert == nil {
		return s.renderStatus(w, r, http.StatusNotFound, "certificates-show", v)
	}
	if v.Cert.Withdrawn() {
		return s.render(w, r, "certificates-show", v)
	}
	v.Title = v.L.T("lessons.print.title", "Name", v.Cert.HolderName)
	pv := certificatePrintView{certificateView: *v, VI: s.bundle.Localizer(i18n.VI), EN: s.bundle.Localizer(i18n.EN)}
	return s.render(w, r, "certificates-print", &pv)
}
