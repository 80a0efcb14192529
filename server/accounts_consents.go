package server

import (
	"net/http"

	"digiportal/accounts"
)

// consentsSave grants or withdraws each purpose as ticked, recording each
// change with its time and text version.
func (s *accountsPart) consentsSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, pur := range accounts.Purposes() {
		want[pur.ID] = r.PostForm.Get("consent_"+pur.ID) == "yes"
	}
	// The self-assessment keeps or cuts its links to the account as the
	// consent changes.
	if err := accounts.SaveConsents(r.Context(), s.db, s.actor(r), want, s.onConsent...); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+r.PathValue("lang")+"/account?saved=1", http.StatusSeeOther)
	return nil
}
