package payments

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// RefundReason is why an official returns money, in Stripe's words.
type RefundReason string

// The reasons an official may give.
const (
	ReasonRequested RefundReason = "requested_by_customer"
	ReasonDuplicate RefundReason = "duplicate"
	// Reasons of refunds made outside the portal.
	ReasonFraudulent RefundReason = "fraudulent"
	ReasonOther      RefundReason = "other"
)

// RefundReasons lists the reasons, for the refund form.
func RefundReasons() []RefundReason { return []RefundReason{ReasonRequested, ReasonDuplicate} }

// RefundStatus is where a refund stands.
type RefundStatus string

// The statuses of a refund. Succeeded means Stripe accepted it (a card
// refund may still take days to reach the card).
const (
	RefundPending   RefundStatus = "pending"
	RefundSucceeded RefundStatus = "succeeded"
	RefundFailed    RefundStatus = "failed"
)

// Audit actions of the payments part.
const (
	AuditRefundRequested = "payments.refund_requested"
	AuditRefunded        = "payments.refunded"
	AuditRefundFailed    = "payments.refund_failed"
	// AuditRefundReversed: a refund Stripe had accepted failed later, and
	// its amount counts as the province's again.
	AuditRefundReversed = "payments.refund_reversed"
	// AuditRefundRefused: an official's refund the portal refused (no
	// fresh second factor, too large, not refundable).
	AuditRefundRefused = "payments.refund_refused"
	// AuditDisputed: the resident's bank opened a dispute (chargeback).
	AuditDisputed = "payments.disputed"
)

// Where a refund was made.
const (
	SourcePortal = "portal" // by an official through the portal
	SourceStripe = "stripe" // outside the portal (Stripe's Dashboard), known by its events
)

// Refund is money returned through Stripe: asked for by an official, or
// made outside the portal and learnt from Stripe's events.
type Refund struct {
	bun.BaseModel `bun:"table:payment_refunds"`

	ID             int64        `bun:"id,pk,autoincrement"`
	PaymentID      int64        `bun:"payment_id,notnull"`
	Amount         int64        `bun:"amount,notnull"`
	Reason         RefundReason `bun:"reason,notnull"`
	IdempotencyKey string       `bun:"idempotency_key,notnull"`
	StripeRefundID string       `bun:"stripe_refund_id,nullzero"`
	Status         RefundStatus `bun:"status,notnull"`
	Source         string       `bun:"source,notnull"`
	Note           string       `bun:"note,notnull"`
	ActorID        int64        `bun:"actor_id,notnull"`
	CreatedAt      time.Time    `bun:"created_at,notnull"`
	CompletedAt    time.Time    `bun:"completed_at,nullzero"`
}

// RefundRequest is an official's refund.
type RefundRequest struct {
	Ref    string
	Amount int64
	Reason RefundReason
	// Note is the official's own words beside Stripe's reason; it stays in
	// the portal (Stripe gets only the reason).
	Note string
	// Key comes from the refund form (NewRefundKey when it was shown): the
	// same form sent twice makes one refund, here and at Stripe.
	Key string
	Who accounts.Actor
}

// MaxRefundNote bounds an official's note, in characters.
const MaxRefundNote = 500

// Errors of refunds.
var (
	ErrNotRefundable  = errors.New("payments: payment cannot be refunded")
	ErrRefundTooLarge = errors.New("payments: refund exceeds the amount still refundable")
	ErrRefundFailed   = errors.New("payments: Stripe refused the refund")
	ErrBadRefund      = errors.New("payments: refund request not valid")
)

var refundKey = regexp.MustCompile(`^[0-9a-f]{32}$`)

// NewRefundKey returns a fresh idempotency key for a refund form.
func NewRefundKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ValidRefundKey reports whether key has the shape of NewRefundKey's keys.
func ValidRefundKey(key string) bool { return refundKey.MatchString(key) }

// RefundByKey returns the refund of payment paymentID made with key,
// whatever its status, else nil: the same form sent again (a double click,
// a resend to finish a pending refund) is that refund, not a new one.
func RefundByKey(ctx context.Context, db bun.IDB, paymentID int64, key string) (*Refund, error) {
	rf := new(Refund)
	err := db.NewSelect().Model(rf).Where("idempotency_key = ? AND payment_id = ?", key, paymentID).Scan(ctx)
	switch {
	case database.IsNoRows(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("payments.RefundByKey: %w", err)
	}
	return rf, nil
}

// Refund returns part or all of a payment through Stripe.
//
// Race guard: the amount is first reserved (refund_held) by a conditional
// UPDATE that succeeds only while confirmed refunds plus reservations plus
// this amount stay within the payment, so two officials refunding at once
// cannot return more than was paid. The reservation becomes a confirmed
// refund when Stripe accepts, and is released when Stripe refuses. When
// Stripe does not answer, or answers with an error of its own (5xx), the
// outcome is unknown: the refund stays pending under its key, and sending
// the same form again, or the maintenance loop (RetryPendingRefunds),
// finishes it with the same key.
func (s *Service) Refund(ctx context.Context, db *bun.DB, req RefundRequest) (*Refund, error) {
	if !s.Configured() {
		return nil, ErrNotConfigured
	}
	if req.Amount <= 0 || !refundKey.MatchString(req.Key) || (req.Reason != ReasonRequested && req.Reason != ReasonDuplicate) ||
		len([]rune(req.Note)) > MaxRefundNote {
		return nil, ErrBadRefund
	}
	rf, p, err := s.reserveRefund(ctx, db, req)
	switch {
	case err != nil:
		return rf, err
	case rf.Status == RefundFailed:
		// The form was sent again after Stripe refused it: still refused.
		return rf, fmt.Errorf("%w: refused before", ErrRefundFailed)
	case rf.Status != RefundPending:
		return rf, nil
	}
	return s.sendRefund(ctx, db, rf, p, req.Who)
}

// sendRefund asks Stripe for the pending refund rf with its stored key and
// records the answer. A refund whose outcome is unknown stays pending.
func (s *Service) sendRefund(ctx context.Context, db *bun.DB, rf *Refund, p *Payment, who accounts.Actor) (*Refund, error) {
	stripeID, status, callErr := s.createRefund(ctx, p, rf)
	if callErr != nil && !refused(callErr) {
		return rf, fmt.Errorf("%w: refund: %w", ErrStripe, callErr)
	}
	accepted := callErr == nil && status != RefundFailed
	if !accepted {
		status = RefundFailed
	}
	rf, err := s.settleRefund(ctx, db, who, rf.ID, status, stripeID)
	if err != nil {
		return rf, err
	}
	if !accepted {
		return rf, fmt.Errorf("%w: %v", ErrRefundFailed, callErr)
	}
	return rf, nil
}

// createRefund sends the refund to Stripe (or the practice checkout) and
// returns Stripe's refund ID and what its status means here.
func (s *Service) createRefund(ctx context.Context, p *Payment, rf *Refund) (string, RefundStatus, error) {
	if s.practice != nil {
		return "re_practice_" + rf.IdempotencyKey[:min(24, len(rf.IdempotencyKey))], RefundSucceeded, nil
	}
	params := &stripe.RefundParams{
		PaymentIntent: stripe.String(p.PaymentIntentID),
		Amount:        stripe.Int64(rf.Amount),
		Reason:        stripe.String(string(rf.Reason)),
	}
	params.Context = ctx
	params.AddMetadata(MetadataRef, p.Ref)
	params.AddMetadata(MetadataRefundKey, rf.IdempotencyKey)
	params.SetIdempotencyKey("digiportal-refund-" + rf.IdempotencyKey)
	sr, err := s.api.Refunds.New(params)
	if err != nil {
		return "", "", err
	}
	return sr.ID, refundStatusOf(string(sr.Status)), nil
}

// MetadataRefundKey is the metadata key that carries a refund's idempotency
// key to Stripe, so that Stripe's events about it find it here.
const MetadataRefundKey = "refund_key"

// refundStatusOf reads Stripe's status of a refund: pending and
// requires_action refunds are accepted (the money is on its way back);
// failed and canceled ones give the amount back.
func refundStatusOf(stripeStatus string) RefundStatus {
	switch stripeStatus {
	case "failed", "canceled":
		return RefundFailed
	}
	return RefundSucceeded
}

// refused reports whether Stripe answered a request with a definite no: a
// 4xx other than a conflict (another request with the key is in flight)
// or rate limiting. No answer, a timeout or a 5xx leaves the outcome
// unknown, and Stripe's advice is to retry with the same key.
func refused(err error) bool {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.HTTPStatusCode
	return c >= 400 && c < 500 && c != http.StatusConflict && c != http.StatusTooManyRequests
}

// refundRetryAfter is how long a pending refund waits before the
// maintenance loop asks Stripe again: long enough for the official's own
// resend to come first.
const refundRetryAfter = 2 * time.Minute

// RetryPendingRefunds asks Stripe again, with each refund's stored
// idempotency key, for refunds left pending because Stripe did not answer.
// Stripe returns the refund it already made rather than making a second.
// It returns how many refunds it settled; a Stripe still not answering is
// left for the next run.
func (s *Service) RetryPendingRefunds(ctx context.Context, db *bun.DB, now time.Time) (int, error) {
	if !s.Configured() {
		return 0, nil
	}
	var pending []Refund
	if err := db.NewSelect().Model(&pending).
		Where("status = ? AND created_at < ?", RefundPending, now.Add(-refundRetryAfter).UTC()).
		OrderExpr("created_at, id").Limit(100).Scan(ctx); err != nil {
		return 0, fmt.Errorf("payments.RetryPendingRefunds: %w", err)
	}
	settled := 0
	for i := range pending {
		p, err := paymentWhere(ctx, db, false, "id = ?", pending[i].PaymentID)
		if err != nil {
			return settled, fmt.Errorf("payments.RetryPendingRefunds: %w", err)
		}
		_, err = s.sendRefund(ctx, db, &pending[i], p, accounts.SystemActor("payments.retry"))
		switch {
		case errors.Is(err, ErrStripe):
			continue
		case err != nil && !errors.Is(err, ErrRefundFailed):
			return settled, fmt.Errorf("payments.RetryPendingRefunds: %w", err)
		}
		settled++
	}
	return settled, nil
}

// reserveRefund records the refund as pending and holds its amount, or
// returns the refund already made with the same key.
func (s *Service) reserveRefund(ctx context.Context, db *bun.DB, req RefundRequest) (*Refund, *Payment, error) {
	var rf *Refund
	var p *Payment
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p, err = lockPayment(ctx, tx, "ref = ?", req.Ref); err != nil {
			return err
		}
		existing := new(Refund)
		err = tx.NewSelect().Model(existing).Where("idempotency_key = ?", req.Key).Scan(ctx)
		switch {
		case err == nil:
			if existing.PaymentID != p.ID {
				return ErrBadRefund
			}
			rf = existing
			return nil
		case !database.IsNoRows(err):
			return err
		}
		if !p.Status.Settled() || p.PaymentIntentID == "" {
			return ErrNotRefundable
		}
		res, err := tx.NewUpdate().Model((*Payment)(nil)).
			Set("refund_held = refund_held + ?", req.Amount).
			Set("updated_at = ?", s.now().UTC()).
			Where("id = ?", p.ID).
			Where("status IN (?)", bun.List([]Status{StatusPaid, StatusPartiallyRefunded})).
			Where("refunded_amount + refund_held + ? <= amount", req.Amount).
			Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ErrRefundTooLarge
		}
		rf = &Refund{
			PaymentID: p.ID, Amount: req.Amount, Reason: req.Reason, IdempotencyKey: req.Key, Source: SourcePortal,
			Note: req.Note, Status: RefundPending, ActorID: req.Who.UserID, CreatedAt: s.now().UTC(),
		}
		if _, err := tx.NewInsert().Model(rf).Exec(ctx); err != nil {
			return err
		}
		return req.Who.Record(ctx, tx, accounts.AuditEntry{
			Action:     AuditRefundRequested,
			ObjectType: "payment", ObjectID: p.Ref,
			Old:    amountsText(p.Status, p.RefundedAmount),
			Detail: refundDetail(rf),
		})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("payments.Refund: %w", err)
	}
	return rf, p, nil
}

// settleRefund records Stripe's answer about the pending refund id:
// succeeded (accepted) or failed. A refund already settled, by a second
// sending of the same form or by Stripe's event about it, is left as it is.
func (s *Service) settleRefund(ctx context.Context, db *bun.DB, who accounts.Actor, id int64, status RefundStatus, stripeID string) (*Refund, error) {
	rf := new(Refund)
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(rf).Column("payment_id").Where("id = ?", id).Scan(ctx); err != nil {
			return err
		}
		p, err := lockPayment(ctx, tx, "id = ?", rf.PaymentID)
		if err != nil {
			return err
		}
		if err := tx.NewSelect().Model(rf).Where("id = ?", id).Scan(ctx); err != nil {
			return err
		}
		if rf.Status != RefundPending {
			return nil
		}
		if stripeID != "" {
			// Stripe's event may have brought this refund in first, by its
			// ID alone: that row is this refund.
			var dup Refund
			err := tx.NewSelect().Model(&dup).Where("stripe_refund_id = ? AND id <> ?", stripeID, rf.ID).Scan(ctx)
			if err == nil {
				if _, err := tx.NewDelete().Model(&dup).WherePK().Exec(ctx); err != nil {
					return err
				}
			} else if !database.IsNoRows(err) {
				return err
			}
		}
		return s.changeRefund(ctx, tx, who, p, rf, status, stripeID)
	})
	if err != nil {
		return nil, fmt.Errorf("payments.Refund: settle: %w", err)
	}
	return rf, nil
}

// changeRefund moves refund rf of the locked payment p to status, counts
// the payment's refunds again and audits the change.
func (s *Service) changeRefund(ctx context.Context, tx bun.IDB, who accounts.Actor, p *Payment, rf *Refund, status RefundStatus, stripeID string) error {
	from, oldRefunded := p.Status, p.RefundedAmount
	was := rf.Status
	now := s.now().UTC()
	rf.Status = status
	if stripeID != "" {
		rf.StripeRefundID = stripeID
	}
	if rf.CompletedAt.IsZero() && status != RefundPending {
		rf.CompletedAt = now
	}
	if _, err := tx.NewUpdate().Model(rf).Column("status", "stripe_refund_id", "completed_at").WherePK().Exec(ctx); err != nil {
		return err
	}
	if err := s.recount(ctx, tx, p, now); err != nil {
		return err
	}
	action := AuditRefunded
	switch {
	case status == RefundFailed && was == RefundSucceeded:
		action = AuditRefundReversed
	case status == RefundFailed:
		action = AuditRefundFailed
	}
	return who.Record(ctx, tx, accounts.AuditEntry{
		Action:     action,
		ObjectType: "payment", ObjectID: p.Ref,
		Old:    amountsText(from, oldRefunded),
		New:    amountsText(p.Status, p.RefundedAmount),
		Detail: refundDetail(rf),
	})
}

// recount sets the locked payment's refunded and held amounts from its
// refunds, one by one, plus what Stripe reported beyond them
// (refund_unmatched), and its status from the refunded amount. A refund
// that failed after Stripe had accepted it gives its amount back, the one
// case where a payment's status goes back (refunded to partially refunded,
// or to paid): the amounts, not the events' order, decide.
func (s *Service) recount(ctx context.Context, tx bun.IDB, p *Payment, now time.Time) error {
	succeeded, pending, err := refundSums(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	from, oldRefunded := p.Status, p.RefundedAmount
	p.RefundedAmount = min(p.Amount, succeeded+p.RefundUnmatched)
	p.RefundHeld = max(0, min(pending, p.Amount-p.RefundedAmount))
	target := StatusPaid
	switch {
	case p.RefundedAmount == p.Amount:
		target = StatusRefunded
	case p.RefundedAmount > 0:
		target = StatusPartiallyRefunded
	}
	switch {
	case target == from:
		if target == StatusPartiallyRefunded && p.RefundedAmount != oldRefunded {
			p.RefundedAt = now // another partial refund
		}
	case !from.Settled() && p.RefundedAmount == 0:
		// nothing returned from a payment not taken: no change of status
	case PathTo(from, target) != nil:
		return advance(ctx, tx, p, target, now, now)
	case from.Settled():
		p.Status = target // a refund given back: see above
	}
	return save(ctx, tx, p, from, now)
}

// RecordRefundRefused audits an official's refund the portal refused
// before asking Stripe; why is a short code (not_fresh, form, too_large,
// not_refundable, bad_request).
func RecordRefundRefused(ctx context.Context, db bun.IDB, who accounts.Actor, ref, why string) error {
	err := who.Record(ctx, db, accounts.AuditEntry{
		Action: AuditRefundRefused, ObjectType: "payment", ObjectID: ref, Detail: "why=" + why,
	})
	if err != nil {
		return fmt.Errorf("payments.RecordRefundRefused: %w", err)
	}
	return nil
}

func amountsText(st Status, refunded int64) string {
	return "status=" + string(st) + " refunded=" + strconv.FormatInt(refunded, 10)
}

func refundDetail(rf *Refund) string {
	d := "amount=" + strconv.FormatInt(rf.Amount, 10) + " reason=" + string(rf.Reason) + " key=" + rf.IdempotencyKey + " source=" + rf.Source
	if rf.StripeRefundID != "" {
		d += " stripe_refund=" + rf.StripeRefundID
	}
	return d
}

// RefundsOf returns a payment's refunds, oldest first.
func RefundsOf(ctx context.Context, db bun.IDB, paymentID int64) ([]Refund, error) {
	var out []Refund
	if err := db.NewSelect().Model(&out).Where("payment_id = ?", paymentID).OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("payments.RefundsOf: %w", err)
	}
	return out, nil
}

// EventsOf returns the Stripe events received for a payment, oldest first.
func EventsOf(ctx context.Context, db bun.IDB, paymentID int64) ([]EventRecord, error) {
	var out []EventRecord
	if err := db.NewSelect().Model(&out).Where("payment_id = ?", paymentID).OrderExpr("received_at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("payments.EventsOf: %w", err)
	}
	return out, nil
}
