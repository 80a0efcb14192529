package server

import (
	"errors"
	"log/slog"
	"net/http"

	"digiportal/i18n"
	"digiportal/payments"
)

// paymentsCancel ends a payment the resident does not want to make: its
// Stripe page is expired first, so it can no longer be paid.
func (s *paymentsPart) paymentsCancel(w http.ResponseWriter, r *http.Request) error {
	pay, err := s.paymentByPath(r)
	if err != nil {
		return err
	}
	back := paymentPath(i18n.Lang(r.PathValue("lang")), pay.Ref)
	err = s.svc.Cancel(r.Context(), s.db, pay.Ref)
	switch {
	case err == nil, errors.Is(err, payments.ErrNotCancelable), errors.Is(err, payments.ErrNotConfigured):
		// Paid or closed meanwhile: the page shows what happened.
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	case errors.Is(err, payments.ErrStripe):
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "payments: cancel", slog.String("ref", pay.Ref), slog.Any("err", err))
		return errPaymentsUnavailable
	}
	return err
}
