package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"digiportal/i18n"
	"digiportal/payments"
)

// refundForm is an official's refund. Key is the form's own idempotency
// key, made when the form was shown: sending the same form twice (a double
// click, a resend after an error) makes one refund.
type refundForm struct {
	Amount string `form:"amount" validate:"required,max=32" label:"payments.field.amount" msg:"required=payments.error.amount_missing,max=payments.error.amount_format"`
	Reason string `form:"reason,choice" validate:"required,oneof=requested_by_customer duplicate" label:"payments.field.reason" msg:"required|oneof=payments.error.reason_missing"`
	Note   string `form:"note" validate:"max=500" label:"payments.field.refund_note" msg:"max=payments.error.note_long"`
	Key    string `form:"key"`
}

// paymentsRefund returns part or all of a practice payment through Stripe,
// audited (payments.Service.Refund records the audit entries in its own
// transactions). Money leaves: the official must have proved who they are
// (password and second factor) in the last ten minutes, and every refusal
// is audited as well as every refund.
func (s *paymentsPart) paymentsRefund(w http.ResponseWriter, r *http.Request) error {
	pay, err := s.paymentByPath(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), s.actor(r)
	if !s.fresh(r) {
		if err := payments.RecordRefundRefused(ctx, s.db, who, pay.Ref, "not_fresh"); err != nil {
			return err
		}
		// The form cannot be carried through the sign-in: the official comes
		// back to the payment and sends it again.
		s.requireFresh(w, r, "/"+r.PathValue("lang")+"/reports/payments/"+pay.Ref)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	form := refundForm{Amount: r.PostForm.Get("amount"), Reason: r.PostForm.Get("reason"), Note: strings.TrimSpace(r.PostForm.Get("note")), Key: r.PostForm.Get("key")}
	p := s.page(w, r, "payments.report.show.title")
	v := paymentReportView{Page: p, Form: form}
	if form.Key == "" {
		v.Form.Key = payments.NewRefundKey()
	}
	refusedAs := func(why string) error {
		return payments.RecordRefundRefused(ctx, s.db, who, pay.Ref, why)
	}
	fail := func(field, msgID string, kv ...any) error {
		v.Errors = append(v.Errors, i18n.FieldError{Field: field, Message: p.L.T(msgID, kv...)})
		return s.renderPaymentReport(w, r, http.StatusBadRequest, &v, pay)
	}
	// The amount is read even when the reason is missing, so that both
	// problems show at once.
	v.Errors = p.L.Validate(&form)
	if !i18n.HasErrorFor(v.Errors, "note") && !i18n.Typeable(form.Note) {
		v.Errors = append(v.Errors, i18n.FieldError{Field: "note", Message: p.L.T("payments.error.note_chars")})
	}
	// The same form sent again is the refund it made, not a new one: a
	// refund left pending by a Stripe that did not answer still holds its
	// amount, so the resend that finishes it may ask for that much more
	// than the payment shows as refundable; one already made (a double
	// click) asks for nothing more, and Refund answers as it did.
	allowed := pay.Refundable()
	var made *payments.Refund
	if payments.ValidRefundKey(form.Key) {
		if made, err = payments.RefundByKey(r.Context(), s.db, pay.ID, form.Key); err != nil {
			return err
		}
		if made != nil && made.Status == payments.RefundPending {
			allowed += made.Amount
		}
	}
	var amount int64
	if made != nil && made.Status != payments.RefundPending {
		amount = made.Amount
	} else if !i18n.HasErrorFor(v.Errors, "amount") {
		var msg string
		amount, err = payments.ParseAmount(form.Amount)
		switch {
		case err != nil:
			msg = p.L.T("payments.error.amount_format")
		case amount <= 0:
			msg = p.L.T("payments.error.amount_positive")
		case amount > allowed:
			msg = p.L.T("payments.error.amount_too_large", "Max", p.L.VND(allowed))
		}
		if msg != "" {
			v.Errors = append(v.Errors, i18n.FieldError{Field: "amount", Message: msg})
		}
	}
	if len(v.Errors) > 0 {
		v.Errors = i18n.InFieldOrder(v.Errors, "amount", "reason", "note")
		if err := refusedAs("form"); err != nil {
			return err
		}
		return s.renderPaymentReport(w, r, http.StatusBadRequest, &v, pay)
	}
	_, err = s.svc.Refund(ctx, s.db, payments.RefundRequest{
		Ref: pay.Ref, Amount: amount, Reason: payments.RefundReason(form.Reason), Note: form.Note, Key: form.Key,
		Who: who,
	})
	switch {
	case err == nil:
		http.Redirect(w, r, "/"+string(p.Lang)+"/reports/payments/"+pay.Ref+"?refunded=1", http.StatusSeeOther)
		return nil
	case errors.Is(err, payments.ErrBadRefund):
		if err := refusedAs("bad_request"); err != nil {
			return err
		}
		return errBadRequest // a tampered key: the form always sends a good one
	case errors.Is(err, payments.ErrRefundTooLarge):
		if err := refusedAs("too_large"); err != nil {
			return err
		}
		fresh, err := payments.PaymentByRef(r.Context(), s.db, pay.Ref)
		if err != nil {
			return err
		}
		pay = fresh // another refund came first
		return fail("amount", "payments.error.amount_too_large", "Max", p.L.VND(pay.Refundable()))
	case errors.Is(err, payments.ErrNotRefundable), errors.Is(err, payments.ErrNotConfigured):
		if err := refusedAs("not_refundable"); err != nil {
			return err
		}
		return fail("", "payments.error.not_refundable")
	case errors.Is(err, payments.ErrRefundFailed):
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "payments: Stripe refused a refund", slog.String("ref", pay.Ref), slog.Any("err", err))
		v.Form.Key = payments.NewRefundKey() // that refund is over; another try is a new one
		fresh, err := payments.PaymentByRef(r.Context(), s.db, pay.Ref)
		if err != nil {
			return err
		}
		pay = fresh
		return fail("", "payments.error.refund_refused")
	case errors.Is(err, payments.ErrStripe):
		s.log.LogAttrs(r.Context(), slog.LevelError, "payments: refund pending, Stripe unreachable", slog.String("ref", pay.Ref), slog.Any("err", err))
		return errRefundPending
	}
	return err
}

// errRefundPending: Stripe did not answer; the refund is kept with the
// form's key, and sending the same form again finishes it.
var errRefundPending = &statusError{status: http.StatusServiceUnavailable, msgID: "payments.error.refund_pending", retry: "30"}
