package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// The Stripe attacks: page views of an open payment, each of which asked
// Stripe once, and floods of new payments and of checkout sessions.
const (
	stripeViews    = 100 // views of one open payment's page
	stripeTogether = 10  // of them at once
	stripeFlood    = 100 // payments started from one address, then sent to checkout
)

func init() {
	register(attack{name: "stripe-views", run: replayStripeViews})
	register(attack{name: "stripe-flood", run: replayStripeFlood})
}

// firstFee is the code of the first fee the catalogue offers, or "" when
// the catalogue offers none (the practice is off).
func firstFee(ctx context.Context, v *portalVisitor) (string, error) {
	res, err := v.get(ctx, "/en/payments")
	if err != nil {
		return "", err
	}
	if res.status != http.StatusOK {
		return "", fmt.Errorf("the fee catalogue answered %d", res.status)
	}
	fee, _ := inputValue(res.body, "fee")
	return fee, nil
}

// startAndOpen starts a payment of fee and sends it to checkout; it
// returns the payment's path and where checkout sent the browser.
func startAndOpen(ctx context.Context, v *portalVisitor, fee string) (path, checkout string, err error) {
	res, err := v.post(ctx, "/en/payments", url.Values{"fee": {fee}})
	if err != nil {
		return "", "", err
	}
	path = res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(path, "/en/payments/") {
		return "", "", fmt.Errorf("starting a payment answered %d (%s)", res.status, path)
	}
	res, err = v.post(ctx, path+"/checkout", nil)
	if err != nil {
		return "", "", err
	}
	if res.status != http.StatusSeeOther {
		return "", "", fmt.Errorf("sending the payment to checkout answered %d", res.status)
	}
	return path, res.header.Get("Location"), nil
}

// callsToStripe words a number of calls.
func callsToStripe(n float64) string {
	if n == 1 {
		return "1 call to Stripe"
	}
	return fmt.Sprintf("%.0f calls to Stripe", n)
}

// stripeCalls is the portal's count of its calls to Stripe, from /metrics.
func stripeCalls(ctx context.Context, c *http.Client, base string) (float64, bool, error) {
	n, err := metricSum(ctx, c, base, "portal_stripe_requests_total")
	if errors.Is(err, errNoMetrics) {
		return 0, false, nil
	}
	return n, err == nil, err
}

// replayStripeViews opens one payment and views its page stripeViews
// times, stripeTogether at once, as anyone who knows the reference can.
func replayStripeViews(ctx context.Context, base string, c *http.Client) (string, error) {
	v := newPortalVisitor(c, base)
	fee, err := firstFee(ctx, v)
	if err != nil || fee == "" {
		return "skipped: the fee-payment practice is off", err
	}
	path, checkout, err := startAndOpen(ctx, v, fee)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(checkout, "https://") {
		return "skipped: the portal runs the built-in practice checkout, which makes no call to Stripe (start it with STRIPE_SECRET_KEY, e.g. against stripe-mock)", nil
	}
	before, counted, err := stripeCalls(ctx, c, base)
	if err != nil {
		return "", err
	}
	answered := make(chan int, stripeViews)
	var wg sync.WaitGroup
	for range stripeTogether {
		viewer := newPortalVisitor(c, base)
		wg.Go(func() {
			for range stripeViews / stripeTogether {
				res, err := viewer.get(ctx, path)
				if err != nil {
					answered <- 0
					continue
				}
				answered <- res.status
			}
		})
	}
	wg.Wait()
	close(answered)
	ok := 0
	for s := range answered {
		if s == http.StatusOK {
			ok++
		}
	}
	calls := "Stripe calls: not observable (no portal_stripe_requests_total in /metrics)"
	if counted {
		after, _, err := stripeCalls(ctx, c, base)
		if err != nil {
			return "", err
		}
		calls = "they made " + callsToStripe(after-before)
	}
	return fmt.Sprintf("%d views of an open payment's page (%d at once): %d answered 200; %s", stripeViews, stripeTogether, ok, calls), nil
}

// replayStripeFlood starts stripeFlood payments from this address as fast
// as it can, then sends each one started to Stripe's payment page.
func replayStripeFlood(ctx context.Context, base string, c *http.Client) (string, error) {
	v := newPortalVisitor(c, base)
	fee, err := firstFee(ctx, v)
	if err != nil || fee == "" {
		return "skipped: the fee-payment practice is off", err
	}
	before, counted, err := stripeCalls(ctx, c, base)
	if err != nil {
		return "", err
	}
	var started []string
	refused, other := 0, 0
	for range stripeFlood {
		res, err := v.post(ctx, "/en/payments", url.Values{"fee": {fee}})
		if err != nil {
			return "", err
		}
		switch res.status {
		case http.StatusSeeOther:
			started = append(started, res.header.Get("Location"))
		case http.StatusTooManyRequests:
			refused++
		default:
			other++
		}
	}
	opened, checkoutRefused := 0, 0
	for _, path := range started {
		res, err := v.post(ctx, path+"/checkout", nil)
		if err != nil {
			return "", err
		}
		switch res.status {
		case http.StatusSeeOther:
			opened++
		case http.StatusTooManyRequests:
			checkoutRefused++
		default:
			other++
		}
	}
	said := fmt.Sprintf("%d payments started at once: %d created, %d refused with 429; checkout of the created: %d opened, %d refused with 429",
		stripeFlood, len(started), refused, opened, checkoutRefused)
	if other > 0 {
		said += fmt.Sprintf("; %d other answers", other)
	}
	if counted {
		after, _, err := stripeCalls(ctx, c, base)
		if err != nil {
			return "", err
		}
		said += "; " + callsToStripe(after-before)
	}
	return said, nil
}
