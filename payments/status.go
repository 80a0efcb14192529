package payments

import (
	"errors"
	"fmt"
)

// Status is where a practice payment stands.
type Status string

// The statuses of a payment. GOV.UK Pay's lifecycle is the model: a payment
// is created before the payment page exists, is open while the page can be
// paid, and ends paid, expired, canceled or failed; a paid payment may then
// be refunded in part or in full.
const (
	StatusCreated           Status = "created"            // our record exists; no payment page yet
	StatusOpen              Status = "open"               // a Stripe Checkout Session can be paid
	StatusPaid              Status = "paid"               // Stripe says complete and paid
	StatusExpired           Status = "expired"            // the session closed unpaid
	StatusCanceled          Status = "canceled"           // the resident gave up before paying
	StatusFailed            Status = "failed"             // a delayed payment method failed
	StatusPartiallyRefunded Status = "partially_refunded" // part of the amount went back
	StatusRefunded          Status = "refunded"           // the whole amount went back
)

// transitions is the whole state machine, the one place that says which
// change is allowed. It only moves forward: no status is reachable from a
// status after it, so a late or repeated event can never move a payment
// back. A partial refund may follow another partial refund.
var transitions = map[Status][]Status{
	StatusCreated:           {StatusOpen, StatusCanceled},
	StatusOpen:              {StatusPaid, StatusExpired, StatusCanceled, StatusFailed},
	StatusPaid:              {StatusPartiallyRefunded, StatusRefunded},
	StatusPartiallyRefunded: {StatusPartiallyRefunded, StatusRefunded},
	StatusExpired:           nil,
	StatusCanceled:          nil,
	StatusFailed:            nil,
	StatusRefunded:          nil,
}

// Statuses lists every status in lifecycle order, for filters and tests.
func Statuses() []Status {
	return []Status{StatusCreated, StatusOpen, StatusPaid, StatusPartiallyRefunded, StatusRefunded,
		StatusExpired, StatusCanceled, StatusFailed}
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Final reports whether nothing can happen to a payment in s any more.
func (s Status) Final() bool { return s.Valid() && len(transitions[s]) == 0 }

// Settled reports whether money was taken (and perhaps returned): the
// statuses a receipt exists for.
func (s Status) Settled() bool {
	return s == StatusPaid || s == StatusPartiallyRefunded || s == StatusRefunded
}

// ErrIllegalTransition is returned for a change the state machine forbids.
var ErrIllegalTransition = errors.New("illegal payment status transition")

// CheckTransition returns nil when a payment may go from one status to the
// other in one step, else an error wrapping ErrIllegalTransition.
func CheckTransition(from, to Status) error {
	for _, s := range transitions[from] {
		if s == to {
			return nil
		}
	}
	return fmt.Errorf("%w: %s → %s", ErrIllegalTransition, from, to)
}

// PathTo returns the legal steps that take a payment from one status to
// another, shortest first, without from itself; nil when to cannot be
// reached. Stripe delivers events at least once and in no set order, so a
// "refunded" event may arrive while we still hold the payment as open: the
// path open → paid → refunded lets it through, whereas "expired" after
// "paid" has no path and is recognised as stale.
func PathTo(from, to Status) []Status {
	type node struct {
		s    Status
		prev *node
	}
	seen := map[Status]bool{from: true}
	queue := []*node{{s: from}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, next := range transitions[n.s] {
			if next == to {
				path := []Status{to}
				for p := n; p.prev != nil; p = p.prev {
					path = append([]Status{p.s}, path...)
				}
				return path
			}
			if !seen[next] {
				seen[next] = true
				queue = append(queue, &node{s: next, prev: n})
			}
		}
	}
	return nil
}
