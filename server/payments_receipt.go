package server

import (
	"net/http"

	"digiportal/i18n"
	"digiportal/payments"
)

type paymentReceiptView struct {
	Page
	Pay     paymentView
	Offline bool // the built-in practice checkout, not Stripe
	// Transfer: paid by the practice's VietQR bank transfer, not by card.
	Transfer bool
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
	v := &paymentReceiptView{Page: p, Pay: s.paymentView(p.L, pay), Offline: s.svc.Practice()}
	if v.Offline {
		// A transfer is the payment a delayed method confirmed: its
		// checkout.session.async_payment_succeeded made it paid.
		events, err := payments.EventsOf(r.Context(), s.db, pay.ID)
		if err != nil {
			return err
		}
		for _, ev := range events {
			if ev.Type == payments.EventSessionAsyncSucceeded && ev.Outcome == payments.OutcomeApplied {
				v.Transfer = true
			}
		}
	}
	return s.render(w, r, "payments-receipt", v)
}
