package server

import (
	"fmt"

	"digiportal/accounts"
	"digiportal/payments"
)

// paymentsPart holds what the payments part's handlers need: the service
// with the portal's one Stripe client (none when the practice is not
// configured) and the fee catalogue.
type paymentsPart struct {
	*web
	svc *payments.Service
}

// initPayments sets up the fee-payment practice. A live Stripe key stops
// the start here too, in case a caller skipped the configuration check;
// no key leaves the practice unconfigured and its pages say so.
func newPaymentsPart(w *web) (*paymentsPart, error) {
	cat, err := payments.LoadCatalogue()
	if err != nil {
		return nil, err
	}
	c := w.cfg
	if err := payments.CheckKey(c.StripeSecretKey); err != nil {
		return nil, fmt.Errorf("payments: STRIPE_SECRET_KEY=%q %w", payments.RedactKey(c.StripeSecretKey), err)
	}
	if err := payments.CheckWebhookSecret(c.StripeWebhookSecret); err != nil {
		return nil, fmt.Errorf("payments: STRIPE_WEBHOOK_SECRET %w", err)
	}
	mode := c.Payments
	if mode == "" {
		mode = "practice"
		if c.StripeSecretKey != "" {
			mode = "stripe"
		}
	}
	svc := payments.NewService(nil, c.StripeWebhookSecret, cat)
	switch {
	case mode == "practice":
		// The built-in checkout: its events are signed with a secret of this
		// process and delivered to this process's own webhook path.
		svc = payments.NewPracticeService(payments.NewPracticeSecret(), cat)
		if w.log != nil {
			w.log.Info("payments: the built-in practice checkout is used (no money moves; no Stripe)")
		}
	case c.StripeSecretKey != "":
		api, err := payments.NewClient(c.StripeSecretKey, c.StripeAPIBase, payments.ClientOptions{Logger: w.log, Transport: newStripeCalls(w.metrics.registry)})
		if err != nil {
			return nil, err
		}
		svc = payments.NewService(api, c.StripeWebhookSecret, cat)
		if c.StripeWebhookSecret == "" && w.log != nil {
			// Stripe would get 503 for every event and retry for days, and
			// no payment would be confirmed but by the return page.
			w.log.Warn("payments: STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: every Stripe event will be refused with 503 until it is set (the signing secret of the endpoint /webhooks/stripe, whsec_…)")
		}
	case w.log != nil:
		w.log.Info("payment practice not configured: PORTAL_PAYMENTS=stripe and STRIPE_SECRET_KEY is unset")
	}
	return &paymentsPart{web: w, svc: svc}, nil
}

// paymentRoutes lists the routes of the payments part. The samples are the
// demo payments of payments.SeedDemo.
func (s *paymentsPart) routes() []route {
	paid := "/{lang}/payments/" + payments.DemoRefPaid
	return []route{
		{pattern: "GET /{lang}/payments", handler: s.paymentsCatalogue, nav: "payments.nav", cache: &cachePolicy{}},
		{pattern: "POST /{lang}/payments", handler: s.paymentsStart},
		{pattern: "GET /{lang}/payments/{ref}", handler: s.paymentsStatus, samples: []string{
			paid, "/{lang}/payments/" + payments.DemoRefCreated, "/{lang}/payments/" + payments.DemoRefExpired,
		}},
		{pattern: "POST /{lang}/payments/{ref}/checkout", handler: s.paymentsCheckout},
		{pattern: "POST /{lang}/payments/{ref}/cancel", handler: s.paymentsCancel},
		{pattern: "GET /{lang}/payments/{ref}/receipt", handler: s.paymentsReceipt, samples: []string{
			paid + "/receipt", "/{lang}/payments/" + payments.DemoRefPartial + "/receipt",
		}},
		// The built-in practice checkout (only when it is used; else 404).
		{pattern: "GET /{lang}/payments/{ref}/practice", handler: s.paymentsPracticeCard, samples: []string{
			"/{lang}/payments/" + payments.DemoRefPractice + "/practice", paid + "/practice"}},
		{pattern: "POST /{lang}/payments/{ref}/practice/card", handler: s.paymentsPracticeCardPay},
		{pattern: "POST /{lang}/payments/{ref}/practice/3ds", handler: s.paymentsPractice3DS},
		{pattern: "GET /{lang}/payments/{ref}/practice/vietqr", handler: s.paymentsPracticeVietQR, samples: []string{
			"/{lang}/payments/" + payments.DemoRefPractice + "/practice/vietqr"}},
		{pattern: "GET /{lang}/payments/{ref}/practice/bank", handler: s.paymentsPracticeBank, samples: []string{
			"/{lang}/payments/" + payments.DemoRefPractice + "/practice/bank"}},
		{pattern: "POST /{lang}/payments/{ref}/practice/bank", handler: s.paymentsPracticeBankSend},
		{pattern: "GET /payments/{ref}/vietqr.svg", handler: s.paymentsPracticeQR},
		// Stripe's events. Exempt from the cross-origin check in build (a
		// server cannot pass a browser check); the signature is the check.
		{pattern: "POST /webhooks/stripe", handler: s.paymentsWebhook},

		{pattern: "GET /{lang}/reports/payments", handler: s.paymentsReportList, access: accounts.ActPaymentsList},
		{pattern: "GET /{lang}/reports/payments/{ref}", handler: s.paymentsReportShow, access: accounts.ActPaymentsList,
			samples: []string{"/{lang}/reports/payments/" + payments.DemoRefPartial}},
		{pattern: "POST /{lang}/reports/payments/{ref}/refund", handler: s.paymentsRefund, access: accounts.ActPaymentsRefund},
	}
}
