package payments

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
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
)

// Refund is money an official asked Stripe to return.
type Refund struct {
	bun.BaseModel `bun:"table:payment_refunds"`

	ID             int64        `bun:"id,pk,autoincrement"`
	PaymentID      int64        `bun:"payment_id,notnull"`
	Amount         int64        `bun:"amount,notnull"`
	Reason         RefundReason `bun:"reason,notnull"`
	IdempotencyKey string       `bun:"idempotency_key,notnull"`
	StripeRefundID string       `bun:"stripe_refund_id,nullzero"`
	Status         RefundStatus `bun:"status,notnull"`
	ActorID        int64        `bun:"actor_id,notnull"`
	CreatedAt      time.Time    `bun:"created_at,notnull"`
	CompletedAt    time.Time    `bun:"completed_at,nullzero"`
}

// RefundRequest is an official's refund.
type RefundRequest struct {
	Ref    string
	Amount int64
	Reason RefundReason
	// Key comes from the refund form (NewRefundKey when it was shown): the
	// same form sent twice makes one refund, here and at Stripe.
	Key string
	Who accounts.Actor
}

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

// Refund returns part or all of a payment through Stripe.
//
// Race guard: the amount is first reserved (refund_held) by a conditional
// UPDATE that succeeds only while confirmed refunds plus reservations plus
// this amount stay within the payment, so two officials refunding at once
// cannot return more than was paid. The reservation becomes a confirmed
// refund when Stripe accepts, and is released when Stripe refuses. When
// Stripe cannot be reached the refund stays pending under its key, and
// sending the same form again finishes it.
func (s *Service) Refund(ctx context.Context, db *bun.DB, req RefundRequest) (*Refund, error) {
	if s.api == nil {
		return nil, ErrNotConfigured
	}
	if req.Amount <= 0 || !refundKey.MatchString(req.Key) || (req.Reason != ReasonRequested && req.Reason != ReasonDuplicate) {
		return nil, ErrBadRefund
	}
	rf, p, err := s.reserveRefund(ctx, db, req)
	if err != nil || rf.Status != RefundPending {
		return rf, err
	}
	params := &stripe.RefundParams{
		PaymentIntent: stripe.String(p.PaymentIntentID),
		Amount:        stripe.Int64(rf.Amount),
		Reason:        stripe.String(string(rf.Reason)),
	}
	params.Context = ctx
	params.AddMetadata(MetadataRef, p.Ref)
	params.AddMetadata("refund_key", rf.IdempotencyKey)
	params.SetIdempotencyKey("digiportal-refund-" + rf.IdempotencyKey)
	sr, callErr := s.api.Refunds.New(params)
	if callErr != nil && !answered(callErr) {
		return rf, fmt.Errorf("%w: refund: %w", ErrStripe, callErr)
	}
	accepted := callErr == nil && (sr.Status == stripe.RefundStatusSucceeded || sr.Status == stripe.RefundStatusPending)
	stripeID := ""
	if callErr == nil {
		stripeID = sr.ID
	}
	rf, err = s.finishRefund(ctx, db, req, rf.ID, accepted, stripeID)
	if err != nil {
		return rf, err
	}
	if !accepted {
		return rf, fmt.Errorf("%w: %v", ErrRefundFailed, callErr)
	}
	return rf, nil
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
			PaymentID: p.ID, Amount: req.Amount, Reason: req.Reason, IdempotencyKey: req.Key,
			Status: RefundPending, ActorID: req.Who.UserID, CreatedAt: s.now().UTC(),
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

// finishRefund turns a pending refund into a succeeded or failed one,
// moves the held amount accordingly and audits the outcome.
func (s *Service) finishRefund(ctx context.Context, db *bun.DB, req RefundRequest, id int64, accepted bool, stripeID string) (*Refund, error) {
	rf := new(Refund)
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lockPayment(ctx, tx, "ref = ?", req.Ref)
		if err != nil {
			return err
		}
		if err := tx.NewSelect().Model(rf).Where("id = ?", id).Scan(ctx); err != nil {
			return err
		}
		if rf.Status != RefundPending {
			return nil // a second sending of the same form finished it
		}
		now := s.now().UTC()
		from, oldRefunded := p.Status, p.RefundedAmount
		rf.CompletedAt, rf.StripeRefundID = now, stripeID
		p.RefundHeld = max(0, p.RefundHeld-rf.Amount)
		action := AuditRefundFailed
		rf.Status = RefundFailed
		if accepted {
			action = AuditRefunded
			rf.Status = RefundSucceeded
			var sum int64
			if err := tx.NewSelect().Model((*Refund)(nil)).ColumnExpr("COALESCE(SUM(amount), 0)").
				Where("payment_id = ? AND status = ?", p.ID, RefundSucceeded).Scan(ctx, &sum); err != nil {
				return err
			}
			// charge.refunded may have reported this refund already, so the
			// confirmed total is the larger of the two counts.
			p.RefundedAmount = min(p.Amount, max(p.RefundedAmount, sum+rf.Amount))
			p.RefundHeld = min(p.RefundHeld, p.Amount-p.RefundedAmount)
		}
		if _, err := tx.NewUpdate().Model(rf).Column("status", "stripe_refund_id", "completed_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		target := StatusPartiallyRefunded
		if p.RefundedAmount == p.Amount {
			target = StatusRefunded
		}
		if accepted && p.RefundedAmount > oldRefunded && PathTo(p.Status, target) != nil {
			err = advance(ctx, tx, p, target, now, now)
		} else {
			err = save(ctx, tx, p, from, now)
		}
		if err != nil {
			return err
		}
		return req.Who.Record(ctx, tx, accounts.AuditEntry{
			Action:     action,
			ObjectType: "payment", ObjectID: p.Ref,
			Old:    amountsText(from, oldRefunded),
			New:    amountsText(p.Status, p.RefundedAmount),
			Detail: refundDetail(rf),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("payments.Refund: finish: %w", err)
	}
	return rf, nil
}

func amountsText(st Status, refunded int64) string {
	return "status=" + string(st) + " refunded=" + strconv.FormatInt(refunded, 10)
}

func refundDetail(rf *Refund) string {
	d := "amount=" + strconv.FormatInt(rf.Amount, 10) + " reason=" + string(rf.Reason) + " key=" + rf.IdempotencyKey
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
