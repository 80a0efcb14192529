package server

import (
	"net/http"

	"digiportal/i18n"
	"digiportal/payments"
)

// paymentView is a payment as the pages show it: with its fee in the
// page's language and its reference grouped for reading.
type paymentView struct {
	*payments.Payment
	Fee         payments.FeeText
	RefShown    string
	StatusLabel string
	StatusClass string // the tag's class: ok, warn, bad or none
}

func (s *paymentsPart) paymentView(l *i18n.Localizer, p *payments.Payment) paymentView {
	v := paymentView{Payment: p, RefShown: payments.FormatRef(p.Ref), StatusLabel: l.T("payments.status." + string(p.Status))}
	if f, err := s.svc.Catalogue().Fee(p.FeeCode); err == nil {
		v.Fee = f.Text(l.Lang)
	} else {
		v.Fee = payments.FeeText{Procedure: p.FeeCode} // a fee since removed from the catalogue
	}
	switch p.Status {
	case payments.StatusPaid:
		v.StatusClass = "ok"
	case payments.StatusCreated, payments.StatusOpen, payments.StatusPartiallyRefunded:
		v.StatusClass = "warn"
	case payments.StatusExpired, payments.StatusCanceled, payments.StatusFailed:
		v.StatusClass = "bad"
	}
	return v
}

// paymentByPath reads the payment named by the {ref} of the URL; a
// reference that is not one, or names nothing, is a 404.
func (s *paymentsPart) paymentByPath(r *http.Request) (*payments.Payment, error) {
	ref, err := payments.ParseRef(r.PathValue("ref"))
	if err != nil {
		return nil, errNotFound
	}
	return payments.PaymentByRef(r.Context(), s.db, ref)
}

// paymentPath is the resident's page of a payment.
func paymentPath(lang i18n.Lang, ref string) string {
	return "/" + string(lang) + "/payments/" + ref
}

// errPaymentsUnavailable is the page when Stripe does not answer.
var errPaymentsUnavailable = &statusError{status: http.StatusServiceUnavailable, msgID: "payments.error.unavailable", retry: "30"}

// Is reports whether the payment's status is status, for templates.
func (v paymentView) Is(status string) bool { return string(v.Status) == status }
