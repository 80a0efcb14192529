package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"digiportal/i18n"
	"digiportal/payments"
)

// paymentsCheckout sends the resident to Stripe's hosted payment page for
// the payment, creating it the first time. The idempotency key of the
// request to Stripe comes from the payment and its attempt, so a double
// click lands on the same page. The redirect is a 303 after the POST; the
// CSP's form-action allows checkout.stripe.com for it.
func (s *paymentsPart) paymentsCheckout(w http.ResponseWriter, r *http.Request) error {
	pay, err := s.paymentByPath(r)
	if err != nil {
		return err
	}
	lang := i18n.Lang(r.PathValue("lang"))
	back := paymentPath(lang, pay.Ref)
	svc := s.svc
	if !svc.Configured() {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	if pay.Status == payments.StatusCreated {
		// Only a payment without its page yet makes a call to Stripe.
		if err := s.limitPayments(r, "checkout"); err != nil {
			return err
		}
	}
	fee, err := svc.Catalogue().Fee(pay.FeeCode)
	if err != nil {
		return err
	}
	l := s.bundle.Localizer(lang)
	base := strings.TrimSuffix(s.cfg.BaseURL.String(), "/")
	pageURL, err := svc.StartCheckout(r.Context(), s.db, payments.CheckoutRequest{
		Ref:         pay.Ref,
		Lang:        lang,
		ProductName: l.T("payments.stripe.product", "Procedure", fee.Text(lang).Procedure),
		Description: l.T("payments.stripe.description", "Ref", payments.FormatRef(pay.Ref)),
		// Stripe fills in {CHECKOUT_SESSION_ID}; the page does not trust it
		// but knows by it that the resident came back from paying.
		SuccessURL: base + back + "?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:  base + back + "?left=1",
		// The built-in practice's own page, when Stripe is not used.
		PracticeURL: back + "/practice",
	})
	switch {
	case err == nil:
		http.Redirect(w, r, pageURL, http.StatusSeeOther)
		return nil
	case errors.Is(err, payments.ErrNotPayable):
		http.Redirect(w, r, back, http.StatusSeeOther) // the page says why
		return nil
	case errors.Is(err, payments.ErrStripe), errors.Is(err, payments.ErrMismatch):
		level := slog.LevelError
		if errors.Is(err, payments.ErrStripeBusy) {
			level = slog.LevelWarn // a flood, answered in words: worth a look when frequent
		}
		s.log.LogAttrs(r.Context(), level, "payments: checkout", slog.String("ref", pay.Ref), slog.Any("err", err))
		return s.checkoutDown(w, r, pay.Ref, errors.Is(err, payments.ErrStripeBusy))
	}
	return err
}

// checkoutDown is the payment's own page, answered 503 when Stripe did not
// answer, or 429 when it was busy (too many requests): it says nothing was
// paid and offers the same button again, not only the way home.
func (s *paymentsPart) checkoutDown(w http.ResponseWriter, r *http.Request, ref string, busy bool) error {
	pay, err := payments.PaymentByRef(r.Context(), s.db, ref)
	if err != nil {
		return err
	}
	v := paymentStatusView{Configured: s.svc.Configured(), Offline: s.svc.Practice(), CheckoutDown: true, Busy: busy}
	v.Page = s.page(w, r, "payments.status."+string(pay.Status)+".title")
	v.Pay = s.paymentView(v.L, pay)
	w.Header().Set("Cache-Control", "no-store")
	status, retry := http.StatusServiceUnavailable, "30"
	if busy {
		status, retry = http.StatusTooManyRequests, "60"
	}
	w.Header().Set("Retry-After", retry)
	return s.renderStatus(w, r, status, "payments-status", &v)
}
