package server

import (
	"html/template"
	"net/http"

	"digiportal/accounts"
)

const sessTOTPSecret = "totp_pending_secret"

type totpView struct {
	Page
	Enrolment     *accounts.TOTPEnrolment
	QR            template.URL // the data: URL of the QR code, made here and so safe
	Enabled       bool
	RecoveryCodes []string
}

// totpForm starts enrolment: a new secret, shown as a QR code and as text
// for manual entry. The secret waits in the session until a code confirms it.
func (s *accountsPart) totpForm(w http.ResponseWriter, r *http.Request) error {
	u := s.currentUser(r)
	p := s.page(w, r, "accounts.totp.title")
	if u.TOTPEnabled {
		return s.render(w, r, "accounts-totp", &totpView{Page: p, Enabled: true})
	}
	// A secret already waiting in this session is shown again rather than
	// replaced, so a second visit (or a page reload) keeps the QR code the
	// user may already have scanned.
	var enr *accounts.TOTPEnrolment
	var err error
	if pending := s.sessions.GetString(r.Context(), sessTOTPSecret); pending != "" {
		enr, err = accounts.NewTOTPFromSecret(p.L.T("site.name"), u.Login(), pending)
	} else {
		enr, err = accounts.NewTOTP(p.L.T("site.name"), u.Login())
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessTOTPSecret, enr.Secret)
	return s.render(w, r, "accounts-totp", &totpView{Page: p, Enrolment: enr, QR: template.URL(enr.QRImage)})
}

// totpSave confirms enrolment with a code and shows the recovery codes once.
// It needs a recent sign-in, so that a stolen session cannot tie the account
// to someone else's phone.
func (s *accountsPart) totpSave(w http.ResponseWriter, r *http.Request) error {
	if !s.requireFresh(w, r, "/"+r.PathValue("lang")+"/account/2fa") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	u := s.currentUser(r)
	p := s.page(w, r, "accounts.totp.title")
	if u.TOTPEnabled {
		return s.render(w, r, "accounts-totp", &totpView{Page: p, Enabled: true})
	}
	secret := s.sessions.GetString(ctx, sessTOTPSecret)
	if secret == "" {
		http.Redirect(w, r, "/"+r.PathValue("lang")+"/account/2fa", http.StatusSeeOther)
		return nil
	}
	codes, err := accounts.EnableTOTP(ctx, s.db, s.actor(r), secret, r.PostForm.Get("code"))
	if errs := accountFieldErrors(p.L, err, nil); errs != nil {
		enr, err := accounts.NewTOTPFromSecret(p.L.T("site.name"), u.Login(), secret)
		if err != nil {
			return err
		}
		p.Errors = errs
		return s.renderStatus(w, r, http.StatusBadRequest, "accounts-totp", &totpView{Page: p, Enrolment: enr, QR: template.URL(enr.QRImage)})
	}
	if err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessTOTPSecret)
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, "accounts-totp", &totpView{Page: p, Enabled: true, RecoveryCodes: codes})
}
