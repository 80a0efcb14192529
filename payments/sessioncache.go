package payments

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// SessionRefresh is how long one answer of Stripe about a checkout session
// serves every page that shows its payment. Each view of an open payment's
// page asked Stripe once: a hundred reloads, by anyone who knows the
// reference, were a hundred calls, and Stripe limits test-mode calls per
// second for the whole account, so a small flood broke checkout for
// everyone. The webhook, not this call, is what confirms payments; a few
// seconds' delay on the page changes nothing for the resident.
const SessionRefresh = 5 * time.Second

// maxCachedSessions bounds the answers kept; past it, those older than
// SessionRefresh are forgotten. Open payments are bounded by the pages'
// limits on starting them, so the map stays small.
const maxCachedSessions = 1024

// ErrStripeBusy: Stripe answered 429, too many requests. It wraps into
// ErrStripe; pages say to try again in a minute.
var ErrStripeBusy = errors.New("payments: Stripe is rate limiting")

// sessionCache keeps Stripe's latest answer about each checkout session
// for SessionRefresh, and lets requests that need a session being fetched
// wait for that one call instead of making their own (single flight).
// Failures are kept too: a Stripe that is down or refusing is not asked
// again by every page view.
type sessionCache struct {
	every time.Duration
	now   func() time.Time

	mu      sync.Mutex
	entries map[string]*sessionEntry
}

// sessionEntry is one call to Stripe: in flight until done is closed,
// then its outcome, as of at.
type sessionEntry struct {
	done chan struct{}
	at   time.Time
	obj  sessionObject
	err  error
}

func newSessionCache(every time.Duration, now func() time.Time) *sessionCache {
	return &sessionCache{every: every, now: now, entries: map[string]*sessionEntry{}}
}

// get returns the state of session id, from an answer younger than the
// interval, from the call in flight, or from a new call of fetch. The call
// does not end with the request that started it (others may be waiting on
// it); stripe-go's client bounds its time.
func (c *sessionCache) get(ctx context.Context, id string, fetch func(context.Context) (sessionObject, error)) (sessionObject, error) {
	c.mu.Lock()
	e := c.entries[id]
	if e != nil {
		select {
		case <-e.done:
			if c.now().Sub(e.at) >= c.every {
				e = nil // too old: ask again
			}
		default: // in flight: wait for it below
		}
	}
	if e == nil {
		e = &sessionEntry{done: make(chan struct{})}
		c.entries[id] = e
		c.prune()
		c.mu.Unlock()
		e.obj, e.err = fetch(context.WithoutCancel(ctx))
		c.mu.Lock()
		e.at = c.now()
		close(e.done)
		c.mu.Unlock()
		return e.obj, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.obj, e.err
	case <-ctx.Done():
		return sessionObject{}, ctx.Err()
	}
}

// prune forgets finished answers past the interval once the map is full.
// The caller holds mu.
func (c *sessionCache) prune() {
	if len(c.entries) <= maxCachedSessions {
		return
	}
	now := c.now()
	for id, e := range c.entries {
		select {
		case <-e.done:
			if now.Sub(e.at) >= c.every {
				delete(c.entries, id)
			}
		default:
		}
	}
}

// rateLimited reports whether Stripe answered err with 429.
func rateLimited(err error) bool {
	var se *stripe.Error
	return errors.As(err, &se) && se.HTTPStatusCode == http.StatusTooManyRequests
}
