package payments

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrTooNew: a signed event dated more than WebhookTolerance ahead of our
// clock. stripe-go refuses only timestamps too far in the past, so an event
// signed for the future (by someone holding the secret for a while, or a
// clock gone wrong) would stay replayable until that future time passed.
var ErrTooNew = errors.New("timestamp is ahead of the clock by more than the tolerance")

// checkNotAhead refuses a Stripe-Signature header whose timestamp lies more
// than WebhookTolerance after now, wrapped in ErrBadSignature like every
// other refused signature. It reads the header as stripe-go does (the last
// t= counts) and is called once the signature has been verified, so the
// timestamp is the one the signature covers.
func checkNotAhead(header string, now time.Time) error {
	var ts int64
	found := false
	for _, pair := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k != "t" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%w: timestamp not a number", ErrBadSignature)
		}
		ts, found = n, true
	}
	if !found {
		return fmt.Errorf("%w: no timestamp", ErrBadSignature)
	}
	if time.Unix(ts, 0).After(now.Add(WebhookTolerance)) {
		return fmt.Errorf("%w: %w", ErrBadSignature, ErrTooNew)
	}
	return nil
}
