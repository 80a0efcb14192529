package payments

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/uptrace/bun"

	"digiportal/i18n"
)

// SessionLifetime is how long a Stripe payment page stays payable. Stripe
// allows 30 minutes to 24 hours; the shortest keeps an abandoned practice
// from lingering (GOV.UK Pay uses 90 minutes for real payments).
const SessionLifetime = 30 * time.Minute

// sessionClockMargin is added to SessionLifetime when asking Stripe:
// Stripe measures the 30-minute minimum from its own clock when the request
// arrives, so asking for exactly 30 minutes from ours could be refused.
const sessionClockMargin = time.Minute

// MetadataRef is the metadata key that carries our payment reference on
// the Checkout Session and its PaymentIntent (whose charges inherit it),
// so that every event can be matched to a payment.
const MetadataRef = "payment_ref"

// Errors of the checkout flow.
var (
	ErrNotConfigured = errors.New("payments: Stripe is not configured")
	ErrNotPayable    = errors.New("payments: payment cannot be paid in its status")
	ErrNotCancelable = errors.New("payments: payment cannot be canceled in its status")
	// ErrStripe wraps a failed call to Stripe; pages say "try again".
	ErrStripe = errors.New("payments: Stripe request failed")
	// ErrMismatch: Stripe reports an amount, currency or session that is
	// not the one we asked for; the payment is left as it was.
	ErrMismatch = errors.New("payments: Stripe data does not match the payment")
)

// Service runs the payment flows against Stripe. It holds the one Stripe
// client of the portal (nil when the practice is not configured) and the
// webhook signing secret.
type Service struct {
	api           *client.API
	webhookSecret string
	cat           *Catalogue
	now           func() time.Time
	practice      *Practice // the built-in practice checkout, when Stripe is not used
	// sessions keeps Stripe's answers about checkout sessions a few
	// seconds, so that page views do not each ask Stripe (Sync).
	sessions *sessionCache
}

// NewService returns the service over api (nil: not configured).
func NewService(api *client.API, webhookSecret string, cat *Catalogue) *Service {
	return &Service{api: api, webhookSecret: webhookSecret, cat: cat, now: time.Now, sessions: newSessionCache(SessionRefresh, time.Now)}
}

// Configured reports whether payments can be started, at Stripe or in the
// built-in practice.
func (s *Service) Configured() bool { return s.api != nil || s.practice != nil }

// WebhooksConfigured reports whether webhook events can be verified.
func (s *Service) WebhooksConfigured() bool { return s.webhookSecret != "" }

// Catalogue returns the fee catalogue.
func (s *Service) Catalogue() *Catalogue { return s.cat }

// CheckoutRequest is what the pages supply for a payment page: the wording
// shown at Stripe, in the payment's language, and where Stripe sends the
// resident back.
type CheckoutRequest struct {
	Ref         string
	Lang        i18n.Lang
	ProductName string // the fee's procedure, marked as practice
	Description string
	// SuccessURL must contain {CHECKOUT_SESSION_ID}, which Stripe fills in.
	SuccessURL string
	CancelURL  string
	// PracticeURL is the portal's own practice page of the payment, used
	// instead of Stripe's in the built-in practice.
	PracticeURL string
}

// checkoutIdempotencyKey is derived from the payment and the attempt, so a
// double click (or a retried request) asks Stripe for the same session and
// gets it back instead of a second one.
func checkoutIdempotencyKey(p *Payment) string {
	return fmt.Sprintf("digiportal-checkout-%s-%d", p.Ref, p.Attempt)
}

// checkoutParams builds the Checkout Session request for p.
func checkoutParams(ctx context.Context, p *Payment, req CheckoutRequest, expiresAt time.Time) *stripe.CheckoutSessionParams {
	meta := map[string]string{MetadataRef: p.Ref, "fee_code": p.FeeCode, "practice": "true"}
	params := &stripe.CheckoutSessionParams{
		Mode: stripe.String(string(stripe.CheckoutSessionModePayment)),
		LineItems: []*stripe.CheckoutSessionLineItemParams{{
			PriceData: &stripe.CheckoutSessionLineItemPriceDataParams{
				Currency: stripe.String(Currency),
				// VND is zero-decimal: whole đồng, sent as they are.
				UnitAmount: stripe.Int64(p.Amount),
				ProductData: &stripe.CheckoutSessionLineItemPriceDataProductDataParams{
					Name:        stripe.String(req.ProductName),
					Description: stripe.String(req.Description),
				},
			},
			Quantity: stripe.Int64(1),
		}},
		PaymentMethodTypes: []*string{stripe.String("card")},
		SubmitType:         stripe.String(string(stripe.CheckoutSessionSubmitTypePay)),
		ClientReferenceID:  stripe.String(p.Ref),
		Locale:             stripe.String(string(req.Lang)),
		ExpiresAt:          stripe.Int64(expiresAt.Unix()),
		SuccessURL:         stripe.String(req.SuccessURL),
		CancelURL:          stripe.String(req.CancelURL),
		PaymentIntentData: &stripe.CheckoutSessionPaymentIntentDataParams{
			Description: stripe.String(req.ProductName),
			Metadata:    meta,
		},
	}
	params.Metadata = meta
	params.Context = ctx
	params.SetIdempotencyKey(checkoutIdempotencyKey(p))
	return params
}

// StartCheckout returns the URL of the Stripe payment page for payment ref,
// creating the Checkout Session the first time. A payment already open
// returns its page without asking Stripe again.
func (s *Service) StartCheckout(ctx context.Context, db *bun.DB, req CheckoutRequest) (string, error) {
	if s.practice != nil {
		return s.startPractice(ctx, db, req)
	}
	if s.api == nil {
		return "", ErrNotConfigured
	}
	if !strings.Contains(req.SuccessURL, "{CHECKOUT_SESSION_ID}") {
		return "", fmt.Errorf("payments.StartCheckout: success URL lacks {CHECKOUT_SESSION_ID}")
	}
	p, err := PaymentByRef(ctx, db, req.Ref)
	if err != nil {
		return "", err
	}
	now := s.now()
	switch {
	case p.Status == StatusOpen && p.SessionURL != "" && now.Before(p.SessionExpiresAt):
		return p.SessionURL, nil
	case p.Status != StatusCreated:
		return "", ErrNotPayable
	}
	expiresAt := now.Add(SessionLifetime + sessionClockMargin)
	sess, err := s.api.CheckoutSessions.New(checkoutParams(ctx, p, req, expiresAt))
	if err != nil {
		if answered(err) {
			// Stripe keeps the answer to a key, failures included, so the
			// next try needs a new key.
			if _, uerr := db.NewUpdate().Model((*Payment)(nil)).Set("attempt = attempt + 1").
				Where("id = ? AND attempt = ? AND status = ?", p.ID, p.Attempt, StatusCreated).Exec(ctx); uerr != nil {
				return "", fmt.Errorf("payments.StartCheckout: %w", uerr)
			}
		}
		if rateLimited(err) {
			return "", fmt.Errorf("%w: %w: create session: %w", ErrStripe, ErrStripeBusy, err)
		}
		return "", fmt.Errorf("%w: create session: %w", ErrStripe, err)
	}
	if err := checkSessionURL(sess.URL); err != nil || sess.ID == "" {
		return "", fmt.Errorf("%w: session %q url %q: %v", ErrMismatch, sess.ID, sess.URL, err)
	}
	if sess.ExpiresAt > 0 {
		expiresAt = time.Unix(sess.ExpiresAt, 0)
	}
	var pageURL string
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lockPayment(ctx, tx, "id = ?", p.ID)
		if err != nil {
			return err
		}
		switch {
		case p.Status == StatusCreated:
			p.SessionID, p.SessionURL, p.SessionExpiresAt = sess.ID, sess.URL, expiresAt.UTC()
			if sess.PaymentIntent != nil {
				p.PaymentIntentID = sess.PaymentIntent.ID
			}
			pageURL = sess.URL
			return advance(ctx, tx, p, StatusOpen, now, now)
		case p.Status == StatusOpen && p.SessionID == sess.ID:
			pageURL = p.SessionURL // a concurrent request stored the same session
			return nil
		}
		return ErrNotPayable
	})
	if err != nil {
		return "", fmt.Errorf("payments.StartCheckout: %w", err)
	}
	return pageURL, nil
}

// answered reports whether Stripe itself answered with an error (so it
// may have stored that answer under the idempotency key) rather than the
// request failing on the way. A conflict (a concurrent request with the
// same key) or a rate limit was not executed and keeps the key.
func answered(err error) bool {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.HTTPStatusCode != http.StatusConflict && se.HTTPStatusCode != http.StatusTooManyRequests && se.HTTPStatusCode != 0
}

// checkSessionURL accepts only Stripe's hosted checkout over HTTPS: the
// browser is redirected there, and the portal's CSP allows no other
// form target.
func checkSessionURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "https" || u.Host != "checkout.stripe.com" {
		return fmt.Errorf("not a checkout.stripe.com URL")
	}
	return nil
}

// Sync asks Stripe for the payment's session and applies what it says:
// paid only when the session is complete AND its payment status is paid;
// expired when Stripe expired it. The query string of the return page is
// never trusted: the session ID is the one we stored. Stripe being
// unreachable leaves the payment as it was and returns ErrStripe.
func (s *Service) Sync(ctx context.Context, db *bun.DB, ref string) (*Payment, error) {
	p, err := PaymentByRef(ctx, db, ref)
	if err == nil && s.practice != nil && p.Status == StatusOpen && !s.now().Before(p.SessionExpiresAt) {
		return s.expirePractice(ctx, db, p)
	}
	if err != nil || s.api == nil || p.Status != StatusOpen || p.SessionID == "" {
		return p, err
	}
	obj, err := s.sessions.get(ctx, p.SessionID, func(ctx context.Context) (sessionObject, error) {
		return s.getSession(ctx, p.SessionID)
	})
	if err != nil {
		return p, err
	}
	target, ok := obj.target("")
	if !ok || target == StatusOpen {
		return p, nil
	}
	var out *Payment
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lockPayment(ctx, tx, "id = ?", p.ID)
		if err != nil {
			return err
		}
		out = p
		if err := obj.matches(p, target); err != nil {
			return err
		}
		if PathTo(p.Status, target) == nil {
			return nil // an event got there first, or moved it on
		}
		if obj.PaymentIntentID != "" {
			p.PaymentIntentID = obj.PaymentIntentID
		}
		now := s.now()
		return advance(ctx, tx, p, target, now, now)
	})
	if err != nil {
		return p, fmt.Errorf("payments.Sync: %w", err)
	}
	return out, nil
}

// getSession asks Stripe for checkout session id, once.
func (s *Service) getSession(ctx context.Context, id string) (sessionObject, error) {
	params := &stripe.CheckoutSessionParams{}
	params.Context = ctx
	sess, err := s.api.CheckoutSessions.Get(id, params)
	if rateLimited(err) {
		return sessionObject{}, fmt.Errorf("%w: %w: get session: %w", ErrStripe, ErrStripeBusy, err)
	}
	if err != nil {
		return sessionObject{}, fmt.Errorf("%w: get session: %w", ErrStripe, err)
	}
	obj := sessionObject{
		ID: sess.ID, Status: string(sess.Status), PaymentStatus: string(sess.PaymentStatus),
		AmountTotal: sess.AmountTotal, Currency: string(sess.Currency),
	}
	if sess.PaymentIntent != nil {
		obj.PaymentIntentID = sess.PaymentIntent.ID
	}
	return obj, nil
}

// Cancel ends a payment the resident gave up on: at Stripe first (the
// session is expired there so it can no longer be paid), then here.
func (s *Service) Cancel(ctx context.Context, db *bun.DB, ref string) error {
	p, err := PaymentByRef(ctx, db, ref)
	if err != nil {
		return err
	}
	switch p.Status {
	case StatusCreated:
	case StatusOpen:
		if s.practice != nil {
			break // nothing to expire elsewhere
		}
		if s.api == nil {
			return ErrNotConfigured
		}
		params := &stripe.CheckoutSessionExpireParams{}
		params.Context = ctx
		params.SetIdempotencyKey("digiportal-expire-" + p.SessionID)
		if _, err := s.api.CheckoutSessions.Expire(p.SessionID, params); err != nil {
			if answered(err) {
				// The session was paid or expired meanwhile: Stripe refuses
				// to expire it, and the events will tell which.
				return fmt.Errorf("%w: expire session: %w", ErrNotCancelable, err)
			}
			return fmt.Errorf("%w: expire session: %w", ErrStripe, err)
		}
	default:
		return ErrNotCancelable
	}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lockPayment(ctx, tx, "id = ?", p.ID)
		if err != nil {
			return err
		}
		if CheckTransition(p.Status, StatusCanceled) != nil {
			return ErrNotCancelable
		}
		now := s.now()
		return advance(ctx, tx, p, StatusCanceled, now, now)
	})
	if err != nil {
		return fmt.Errorf("payments.Cancel: %w", err)
	}
	return nil
}

// startPractice opens a payment in the built-in practice: its "session" is
// the portal's own practice page, for SessionLifetime.
func (s *Service) startPractice(ctx context.Context, db *bun.DB, req CheckoutRequest) (string, error) {
	if req.PracticeURL == "" {
		return "", fmt.Errorf("payments.StartCheckout: no practice URL")
	}
	var pageURL string
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lockPayment(ctx, tx, "ref = ?", req.Ref)
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case p.Status == StatusOpen && now.Before(p.SessionExpiresAt):
			pageURL = req.PracticeURL
			return nil
		case p.Status != StatusCreated:
			return ErrNotPayable
		}
		p.SessionID, p.SessionURL = randomID("cs_practice_"), req.PracticeURL
		p.PaymentIntentID, p.SessionExpiresAt = randomID("pi_practice_"), now.Add(SessionLifetime).UTC()
		pageURL = req.PracticeURL
		return advance(ctx, tx, p, StatusOpen, now, now)
	})
	if err != nil {
		return "", fmt.Errorf("payments.StartCheckout: %w", err)
	}
	return pageURL, nil
}

// expirePractice closes a practice payment whose page expired, as
// Stripe's checkout.session.expired would.
func (s *Service) expirePractice(ctx context.Context, db *bun.DB, p *Payment) (*Payment, error) {
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p, err = lockPayment(ctx, tx, "id = ?", p.ID); err != nil || p.Status != StatusOpen {
			return err
		}
		now := s.now()
		return advance(ctx, tx, p, StatusExpired, p.SessionExpiresAt, now)
	})
	if err != nil {
		return p, fmt.Errorf("payments.Sync: %w", err)
	}
	return p, nil
}
