package server

import (
	"net/http"

	"digiportal/content"
)

// certificateWithdraw lets a learner withdraw their own certificate: the
// name on it is erased and the verification page says it was withdrawn.
func (s *lessonsPart) certificateWithdraw(w http.ResponseWriter, r *http.Request) error {
	code, err := content.ParseCertificateCode(r.PathValue("code"))
	if err != nil {
		return errNotFound
	}
	id, err := s.learnerOf(r)
	if err != nil {
		return err
	}
	if id == 0 {
		return errNotFound
	}
	if err := content.WithdrawCertificate(r.Context(), s.db, code, id, s.now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/progress", http.StatusSeeOther)
	return nil
}
