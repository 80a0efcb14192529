package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
)

// stripeCalls counts the portal's requests to Stripe by outcome, so that
// an operator (and the attack replay) can see what page views cost at
// Stripe, and when Stripe starts refusing them.
type stripeCalls struct {
	next  http.RoundTripper
	calls *prometheus.CounterVec
}

func newStripeCalls(reg *prometheus.Registry) *stripeCalls {
	c := &stripeCalls{
		next: http.DefaultTransport,
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portal_stripe_requests_total",
			Help: "Requests the portal sent to Stripe, by outcome: ok, rate_limited (429), refused (other 4xx), failed (5xx or no answer).",
		}, []string{"outcome"}),
	}
	reg.MustRegister(c.calls)
	return c
}

// RoundTrip sends req and counts it.
func (c *stripeCalls) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := c.next.RoundTrip(req)
	outcome := "failed"
	switch {
	case err != nil:
	case res.StatusCode == http.StatusTooManyRequests:
		outcome = "rate_limited"
	case res.StatusCode < 400:
		outcome = "ok"
	case res.StatusCode < 500:
		outcome = "refused"
	}
	c.calls.WithLabelValues(outcome).Inc()
	return res, err
}
