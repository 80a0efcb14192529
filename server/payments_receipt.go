package server

import (
	"net/http"

	"digiportal/i18n"
)

type paymentReceiptView struct {
	Page
	Pay     paymentView
	Offline bool // the built-in practice checkout, not Stripe
}

// paymentsReceipt is the printable practice receipt, marked DEMO, of a
// payment Stripe confirmed; before that the status page explains.
func (s *paymentsPart) paymentsReceipt(w http.ResponseWriter, r *http.Request) error {
	pay, err := s.paymentByPath(r)
	if err != nil {
		return err
	}
	if !pay.Status.Settled() {
		http.Redirect(w, r, paymentPath(i18n.Lang(r.PathValue("lang")), pay.Ref), http.StatusSeeOther)
		return nil
	}
	// A receipt is one payer's: never kept by a shared computer's cache or a
	// proxy, never indexed.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	p := s.page(w, r, "payments.receipt.title")
	return s.render(w, r, "payments-receipt", &paymentReceiptView{Page: p, Pay: s.paymentView(p.L, pay), Offline: s.svc.Practice()})
}
