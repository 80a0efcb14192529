package payments

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// The built-in practice checkout stands in for Stripe when the portal has
// no Stripe key (or PORTAL_PAYMENTS=practice): it needs no internet and no
// JavaScript. Its pages (a card page and a VietQR bank transfer) finish by
// delivering events, signed the way Stripe signs them but with the
// practice's own secret, to the portal's webhook path, so the same state
// machine, receipts, refunds and reconciliation run as with Stripe.

// Deliverer posts a signed event to the portal's own webhook path and
// returns its HTTP status.
type Deliverer func(ctx context.Context, body []byte, signature string) (int, error)

// Practice is the built-in practice checkout.
type Practice struct {
	secret  string
	deliver Deliverer
}

// NewPracticeSecret returns a fresh signing secret for the practice's
// events, in Stripe's form. Each start makes its own: no secret lies in
// the repository or the configuration for anyone to forge events with.
func NewPracticeSecret() string {
	b := make([]byte, 24)
	rand.Read(b)
	return "whsec_practice_" + hex.EncodeToString(b)
}

// NewPracticeService returns a service over the practice checkout, whose
// events are signed with secret and verified with it too.
func NewPracticeService(secret string, cat *Catalogue) *Service {
	s := NewService(nil, secret, cat)
	s.practice = &Practice{secret: secret}
	return s
}

// SetDeliverer sets where practice events go: the portal's own webhook
// path, known only once the portal's handler is built.
func (s *Service) SetDeliverer(d Deliverer) {
	if s.practice != nil {
		s.practice.deliver = d
	}
}

// Practice reports whether the service runs the built-in practice checkout.
func (s *Service) Practice() bool { return s.practice != nil }

// ErrPractice wraps a practice event the webhook did not take.
var ErrPractice = errors.New("payments: practice event not delivered")

func randomID(prefix string) string {
	b := make([]byte, 12)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// SignPayload signs payload as Stripe does: "t=<unix>,v1=<HMAC-SHA256 of
// '<unix>.<payload>' keyed with the secret>".
func SignPayload(payload []byte, secret string, at time.Time) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(payload)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// practiceEvent builds and delivers one event about p.
func (s *Service) practiceEvent(ctx context.Context, typ string, object map[string]any) error {
	if s.practice == nil || s.practice.deliver == nil {
		return ErrNotConfigured
	}
	now := s.now()
	body, err := json.Marshal(map[string]any{
		"id": randomID("evt_practice_"), "object": "event", "type": typ, "api_version": "2023-10-16",
		"created": now.Unix(), "livemode": false, "data": map[string]any{"object": object},
	})
	if err != nil {
		return err
	}
	status, err := s.practice.deliver(ctx, body, SignPayload(body, s.practice.secret, now))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPractice, err)
	}
	if status != 200 {
		return fmt.Errorf("%w: webhook answered %d", ErrPractice, status)
	}
	return nil
}

func practiceSession(p *Payment, status, paymentStatus string) map[string]any {
	return map[string]any{
		"id": p.SessionID, "object": "checkout.session", "client_reference_id": p.Ref,
		"status": status, "payment_status": paymentStatus, "amount_total": p.Amount, "currency": p.Currency,
		"payment_intent": p.PaymentIntentID, "livemode": false,
		"metadata": map[string]string{MetadataRef: p.Ref, "practice": "true"},
	}
}

// ErrPracticeClosed: the practice payment is not open (paid, expired,
// canceled) or its page has expired.
var ErrPracticeClosed = errors.New("payments: practice payment is not open")

// practiceOpen reads the open practice payment ref.
func (s *Service) practiceOpen(ctx context.Context, db bun.IDB, ref string) (*Payment, error) {
	p, err := PaymentByRef(ctx, db, ref)
	if err != nil {
		return nil, err
	}
	if p.Status != StatusOpen || !s.now().Before(p.SessionExpiresAt) || p.SessionID == "" {
		return p, ErrPracticeClosed
	}
	return p, nil
}

// PracticePayByCard pays the open practice payment ref as a card payment
// that succeeded: checkout.session.completed, paid.
func (s *Service) PracticePayByCard(ctx context.Context, db bun.IDB, ref string) error {
	p, err := s.practiceOpen(ctx, db, ref)
	if err != nil {
		return err
	}
	return s.practiceEvent(ctx, EventSessionCompleted, practiceSession(p, "complete", "paid"))
}

// PracticeBankTransfer settles the open practice payment ref as a bank
// transfer does at Stripe: the session completes unpaid (the money is on
// its way), then the transfer arrives or does not.
func (s *Service) PracticeBankTransfer(ctx context.Context, db bun.IDB, ref string, arrived bool) error {
	p, err := s.practiceOpen(ctx, db, ref)
	if err != nil {
		return err
	}
	if err := s.practiceEvent(ctx, EventSessionCompleted, practiceSession(p, "complete", "unpaid")); err != nil {
		return err
	}
	if arrived {
		return s.practiceEvent(ctx, EventSessionAsyncSucceeded, practiceSession(p, "complete", "paid"))
	}
	return s.practiceEvent(ctx, EventSessionAsyncFailed, practiceSession(p, "complete", "unpaid"))
}

// PracticeOpen returns the practice payment ref if it can be paid now.
func (s *Service) PracticeOpen(ctx context.Context, db bun.IDB, ref string) (*Payment, error) {
	return s.practiceOpen(ctx, db, ref)
}

// PracticeToken binds a step of the practice (the 3-D Secure page) to its
// open payment p for a few minutes, so the step's form cannot be sent for
// another payment or long after. It is keyed with the payment's practice
// session and payment IDs, random and stored, so that any instance of the
// portal on the same database accepts it.
func (s *Service) PracticeToken(p *Payment, step string, at time.Time) string {
	if s.practice == nil || p.SessionID == "" {
		return ""
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(p.SessionID+"|"+p.PaymentIntentID))
	mac.Write([]byte(p.Ref + "|" + step + "|" + ts))
	return ts + "." + hex.EncodeToString(mac.Sum(nil))
}

// practiceTokenLife is how long a practice step's token is good for.
const practiceTokenLife = 15 * time.Minute

// CheckPracticeToken reports whether token was made by PracticeToken for
// p and step in the last practiceTokenLife.
func (s *Service) CheckPracticeToken(p *Payment, step, token string) bool {
	if s.practice == nil || len(token) > 100 || p.SessionID == "" {
		return false
	}
	sec, _, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return false
	}
	at := time.Unix(n, 0)
	if age := s.now().Sub(at); age < -time.Minute || age > practiceTokenLife {
		return false
	}
	return hmac.Equal([]byte(token), []byte(s.PracticeToken(p, step, at)))
}
