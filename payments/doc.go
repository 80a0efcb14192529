// Package payments is the online fee-payment practice: a bilingual fee
// catalogue in an embedded data file, one forward-only payment state
// machine, storage of payments, Stripe events and refunds, Checkout Session
// creation through an injected Stripe client (TEST mode only), signed
// webhook processing, guarded refunds, reconciliation rows and the monthly
// count of completed practice payments.
//
// It knows nothing of HTTP pages. It imports database, accounts (Actor and
// the audit log), i18n (the Lang of fee texts and the time zone receipts
// and counts use) and stripe-go; server and cmd/portal import it.
//
// A refund calls Stripe between two transactions, which is why it is not
// one: the first holds the amount and records the request, Stripe is asked
// with the request's idempotency key, and the second records the outcome.
// Every other state change is one transaction.
package payments
