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
	svc *payments.Service
}

// initPayments sets up the fee-payment practice. A live Stripe key stops
// the start here too, in case a caller skipped the configuration check;
// no key leaves the practice unconfigured and its pages say so.
func (s *Server) initPayments(d Deps) error {
	cat, err := payments.LoadCatalogue()
	if err != nil {
		return err
	}
	c := d.Config
	if err := payments.CheckKey(c.StripeSecretKey); err != nil {
		return fmt.Errorf("payments: STRIPE_SECRET_KEY=%q %w", payments.RedactKey(c.StripeSecretKey), err)
	}
	if err := payments.CheckWebhookSecret(c.StripeWebhookSecret); err != nil {
		return fmt.Errorf("payments: STRIPE_WEBHOOK_SECRET %w", err)
	}
	svc := payments.NewService(nil, c.StripeWebhookSecret, cat)
	if c.StripeSecretKey != "" {
		api, err := payments.NewClient(c.StripeSecretKey, c.StripeAPIBase, payments.ClientOptions{Logger: d.Logger})
		if err != nil {
			return err
		}
		svc = payments.NewService(api, c.StripeWebhookSecret, cat)
	} else if d.Logger != nil {
		d.Logger.Info("payment practice not configured: STRIPE_SECRET_KEY is unset")
	}
	s.payments = &paymentsPart{svc: svc}
	return nil
}

// paymentRoutes lists the routes of the payments part. The samples are the
// demo payments of payments.SeedDemo.
func (s *Server) paymentRoutes() []route {
	paid := "/{lang}/payments/" + payments.DemoRefPaid
	return []route{
		{pattern: "GET /{lang}/payments", handler: s.paymentsCatalogue, nav: "payments.nav"},
		{pattern: "POST /{lang}/payments", handler: s.paymentsStart},
		{pattern: "GET /{lang}/payments/{ref}", handler: s.paymentsStatus, samples: []string{
			paid, "/{lang}/payments/" + payments.DemoRefCreated, "/{lang}/payments/" + payments.DemoRefExpired,
		}},
		{pattern: "POST /{lang}/payments/{ref}/checkout", handler: s.paymentsCheckout},
		{pattern: "POST /{lang}/payments/{ref}/cancel", handler: s.paymentsCancel},
		{pattern: "GET /{lang}/payments/{ref}/receipt", handler: s.paymentsReceipt, samples: []string{
			paid + "/receipt", "/{lang}/payments/" + payments.DemoRefPartial + "/receipt",
		}},
		// Stripe's events. Exempt from the cross-origin check in build (a
		// server cannot pass a browser check); the signature is the check.
		{pattern: "POST /webhooks/stripe", handler: s.paymentsWebhook},

		{pattern: "GET /{lang}/reports/payments", handler: s.paymentsReportList, access: accounts.ActPaymentsList},
		{pattern: "GET /{lang}/reports/payments/{ref}", handler: s.paymentsReportShow, access: accounts.ActPaymentsList,
			samples: []string{"/{lang}/reports/payments/" + payments.DemoRefPartial}},
		{pattern: "POST /{lang}/reports/payments/{ref}/refund", handler: s.paymentsRefund, access: accounts.ActPaymentsRefund},
	}
}
