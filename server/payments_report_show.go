package server

import (
	"errors"
	"net/http"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/payments"
)

type paymentReportView struct {
	Page
	Pay        paymentView
	Refunds    []refundRow
	Events     []payments.EventRecord
	CanRefund  bool // the official may refund and the payment has money to return
	Configured bool
	Offline    bool // the built-in practice checkout: refunds never reach Stripe
	Form       refundForm
	Reasons    []option
	Done       bool // a refund was just made
}

type refundRow struct {
	payments.Refund
	ReasonLabel, StatusLabel string
	Who                      string // the official's address, or who else made it
}

// paymentsReportShow is one payment as officials see it: its amounts, the
// Stripe events received for it with what each did, its refunds, and the
// refund form for those who may refund.
func (s *paymentsPart) paymentsReportShow(w http.ResponseWriter, r *http.Request) error {
	pay, err := s.paymentByPath(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "payments.report.show.title")
	v := paymentReportView{Page: p, Form: refundForm{Key: payments.NewRefundKey()}, Done: r.URL.Query().Get("refunded") == "1"}
	return s.renderPaymentReport(w, r, http.StatusOK, &v, pay)
}

func (s *paymentsPart) renderPaymentReport(w http.ResponseWriter, r *http.Request, status int, v *paymentReportView, pay *payments.Payment) error {
	ctx := r.Context()
	l := v.L
	v.Pay = s.paymentView(l, pay)
	v.Configured = s.svc.Configured()
	v.Offline = s.svc.Practice()
	v.CanRefund = s.authorize(r, accounts.ActPaymentsRefund, accounts.Object{}) == nil &&
		pay.Refundable() > 0 && pay.PaymentIntentID != ""
	refunds, err := payments.RefundsOf(ctx, s.db, pay.ID)
	if err != nil {
		return err
	}
	who := map[int64]string{}
	for _, rf := range refunds {
		row := refundRow{Refund: rf,
			ReasonLabel: l.T("payments.reason." + string(rf.Reason)), StatusLabel: l.T("payments.refund_status." + string(rf.Status))}
		switch {
		case rf.Source == payments.SourceStripe:
			row.Who = l.T("payments.refund.by_stripe")
		case who[rf.ActorID] != "":
			row.Who = who[rf.ActorID]
		default:
			row.Who = l.T("payments.refund.by_unknown")
			if u, err := accounts.UserByID(ctx, s.db, rf.ActorID); err == nil {
				row.Who = u.Email
			} else if !errors.Is(err, database.ErrNotFound) {
				return err
			}
			who[rf.ActorID] = row.Who
		}
		v.Refunds = append(v.Refunds, row)
	}
	if v.Events, err = payments.EventsOf(ctx, s.db, pay.ID); err != nil {
		return err
	}
	for _, reason := range payments.RefundReasons() {
		v.Reasons = append(v.Reasons, option{Value: string(reason), Label: l.T("payments.reason." + string(reason)),
			Selected: v.Form.Reason == string(reason) || (v.Form.Reason == "" && reason == payments.ReasonRequested)})
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderStatus(w, r, status, "payments-report-show", v)
}
