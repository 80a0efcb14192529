package server

import (
	"net/http"
	"strconv"
	"time"

	"digiportal/accounts"
)

// paymentLimit bounds, per client address (an IPv6 client by its /64),
// how many practice payments are started and how many are sent to
// Stripe's payment page: 30 in two minutes, then a minute's wait. Starting was unlimited (100 in 3 s from
// one address), and each checkout is a call to Stripe, whose test mode
// limits calls per second for the whole account. A commune's class
// practising together behind one address stays well within it.
func paymentLimit() *accounts.Throttle {
	return &accounts.Throttle{Free: 30, Base: time.Minute, Max: time.Minute, Window: 2 * time.Minute}
}

// limitPayments counts one try of what ("start" or "checkout") from the
// request's address, in the database so that the limit holds across
// instances, and refuses it with 429 and Retry-After past the limit.
func (s *paymentsPart) limitPayments(r *http.Request, what string) error {
	refused, over, err := paymentLimit().Attempt(r.Context(), s.db, "payments-"+what+":"+clientKeyOf(r))
	if err != nil {
		return err
	}
	// Every try counts, so a try that sets a wait is itself past the limit.
	if wait := max(refused, over); wait > 0 {
		msg := "limits.payments.too_many"
		if what == "checkout" {
			msg = "limits.payments.too_many_checkout"
		}
		return &statusError{status: http.StatusTooManyRequests, msgID: msg, retry: strconv.Itoa(int(wait/time.Second) + 1)}
	}
	return nil
}
