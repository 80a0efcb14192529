// Package payments is the online fee-payment practice: a bilingual fee
// catalogue in an embedded data file, one forward-only payment state
// machine, storage of payments, Stripe events and refunds, Checkout Session
// creation through an injected Stripe client (TEST mode only), signed
// webhook processing, guarded refunds, reconciliation rows and the monthly
// count of completed practice payments.
//
// It knows nothing of HTTP pages. It imports database and accounts (for the
// audit log) and stripe-go; server and cmd/portal import it.
package payments
