package server

import (
	"net/http"
	"time"

	"digiportal/i18n"
	"digiportal/payments"
)

type paymentStartForm struct {
	Fee string `form:"fee,choice" validate:"required,max=60" label:"payments.field.fee" msg:"required=payments.error.fee_missing,max=payments.error.unknown_fee"`
}

// paymentsStart records a practice payment of the chosen fee and shows
// it, to check before going to the payment page.
func (s *paymentsPart) paymentsStart(w http.ResponseWriter, r *http.Request) error {
	lang := i18n.Lang(r.PathValue("lang"))
	svc := s.svc
	if !svc.Configured() {
		http.Redirect(w, r, "/"+string(lang)+"/payments", http.StatusSeeOther)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	form := paymentStartForm{Fee: r.PostForm.Get("fee")}
	p := s.page(w, r, "payments.catalogue.title")
	if p.Errors = p.L.Validate(&form); p.Errors != nil {
		return s.renderCatalogue(w, r, http.StatusBadRequest, p)
	}
	fee, err := svc.Catalogue().Fee(form.Fee)
	if err != nil {
		p.Errors = []i18n.FieldError{{Message: p.L.T("payments.error.unknown_fee")}}
		return s.renderCatalogue(w, r, http.StatusBadRequest, p)
	}
	if err := s.limitPayments(r, "start"); err != nil {
		return err
	}
	pay, err := payments.CreatePayment(r.Context(), s.db, fee, lang, time.Now())
	if err != nil {
		return err
	}
	http.Redirect(w, r, paymentPath(lang, pay.Ref), http.StatusSeeOther)
	return nil
}
