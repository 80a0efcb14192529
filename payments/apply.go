package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// Outcome is what an event did, stored with it for officials and logs.
type Outcome string

// The outcomes of an event.
const (
	OutcomeApplied   Outcome = "applied"   // the payment changed
	OutcomeDuplicate Outcome = "duplicate" // the event ID was seen before: nothing done
	OutcomeAlready   Outcome = "already"   // the payment was there already (the return page was first)
	OutcomeStale     Outcome = "stale"     // the payment had moved past it (expired after paid)
	OutcomeUnmatched Outcome = "unmatched" // no payment of ours
	OutcomeMismatch  Outcome = "mismatch"  // amount, currency or session not ours: refused
	OutcomeUnhandled Outcome = "unhandled" // a type or state the practice does not act on
	OutcomeLivemode  Outcome = "livemode"  // a live-mode event: never acted on
)

// EventRecord is a received Stripe event. Its unique event ID, written in
// the transaction that applies the event, is what makes a second delivery
// change nothing.
type EventRecord struct {
	bun.BaseModel `bun:"table:payment_events"`

	ID              int64     `bun:"id,pk,autoincrement"`
	EventID         string    `bun:"event_id,notnull"`
	Type            string    `bun:"type,notnull"`
	APIVersion      string    `bun:"api_version,notnull"`
	PaymentID       int64     `bun:"payment_id,nullzero"`
	Outcome         Outcome   `bun:"outcome,notnull"`
	FromStatus      Status    `bun:"from_status,notnull"`
	ToStatus        Status    `bun:"to_status,notnull"`
	StripeCreatedAt time.Time `bun:"stripe_created_at,notnull"`
	ReceivedAt      time.Time `bun:"received_at,notnull"`
}

// ApplyEvent applies a verified event in one transaction that also stores
// its ID. A second delivery of the same event, even one arriving while the
// first is being applied, waits on the unique ID and changes nothing.
// Errors are only for the database: Stripe then retries the delivery.
func (s *Service) ApplyEvent(ctx context.Context, db *bun.DB, ev *Event) (Outcome, error) {
	var outcome Outcome
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		rec := &EventRecord{
			EventID: ev.ID, Type: ev.Type, APIVersion: ev.APIVersion, Outcome: "processing",
			StripeCreatedAt: ev.Created, ReceivedAt: s.now().UTC(),
		}
		res, err := tx.NewInsert().Model(rec).On("CONFLICT (event_id) DO NOTHING").Returning("NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("store event: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			outcome = OutcomeDuplicate
			return err
		}
		r, err := s.apply(ctx, tx, ev)
		if err != nil {
			return err
		}
		outcome, rec.Outcome = r.outcome, r.outcome
		if r.p != nil {
			rec.PaymentID, rec.FromStatus, rec.ToStatus = r.p.ID, r.from, r.p.Status
		}
		_, err = tx.NewUpdate().Model(rec).Column("payment_id", "outcome", "from_status", "to_status").
			Where("event_id = ?", ev.ID).Exec(ctx)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("payments.ApplyEvent %s: %w", ev.ID, err)
	}
	return outcome, nil
}

// applied is what apply did: to which payment (nil when none of ours),
// from which status, with which outcome.
type applied struct {
	p       *Payment
	from    Status
	outcome Outcome
}

// apply makes the change ev asks for, if it is still one to make.
func (s *Service) apply(ctx context.Context, tx bun.Tx, ev *Event) (applied, error) {
	if ev.Livemode {
		return applied{outcome: OutcomeLivemode}, nil
	}
	switch {
	case ev.Session != nil:
		return s.applySession(ctx, tx, ev)
	case ev.Charge != nil:
		return s.applyCharge(ctx, tx, ev)
	}
	return applied{outcome: OutcomeUnhandled}, nil
}

// eventPayment locks the payment an event names; nil when none of ours.
func eventPayment(ctx context.Context, tx bun.Tx, where, arg string) (*Payment, error) {
	p, err := lockPayment(ctx, tx, where, arg)
	if errors.Is(err, database.ErrNotFound) {
		return nil, nil
	}
	return p, err
}

func (s *Service) applySession(ctx context.Context, tx bun.Tx, ev *Event) (applied, error) {
	o := ev.Session
	ref, err := ParseRef(o.ref())
	if err != nil {
		return applied{outcome: OutcomeUnmatched}, nil
	}
	p, err := eventPayment(ctx, tx, "ref = ?", ref)
	if err != nil || p == nil {
		return applied{outcome: OutcomeUnmatched}, err
	}
	r := applied{p: p, from: p.Status}
	target, ok := o.target(ev.Type)
	if !ok {
		r.outcome = OutcomeUnhandled
		return r, nil
	}
	if o.matches(p, target) != nil {
		r.outcome = OutcomeMismatch
		return r, nil
	}
	changed := false
	if p.SessionID == "" {
		p.SessionID, changed = o.ID, true // our write after creating the session was lost
	}
	if p.PaymentIntentID == "" && o.PaymentIntentID != "" {
		p.PaymentIntentID, changed = o.PaymentIntentID, true
	}
	r.outcome, err = s.moveTo(ctx, tx, p, target, ev.Created, changed)
	return r, err
}

func (s *Service) applyCharge(ctx context.Context, tx bun.Tx, ev *Event) (applied, error) {
	o := ev.Charge
	var p *Payment
	var err error
	if ref, perr := ParseRef(o.Metadata[MetadataRef]); perr == nil {
		p, err = eventPayment(ctx, tx, "ref = ?", ref)
	} else if o.PaymentIntentID != "" {
		p, err = eventPayment(ctx, tx, "payment_intent_id = ?", o.PaymentIntentID)
	}
	if err != nil || p == nil {
		return applied{outcome: OutcomeUnmatched}, err
	}
	r := applied{p: p, from: p.Status}
	if o.matches(p) != nil {
		r.outcome = OutcomeMismatch
		return r, nil
	}
	changed := false
	if p.PaymentIntentID == "" && o.PaymentIntentID != "" {
		p.PaymentIntentID, changed = o.PaymentIntentID, true
	}
	// amount_refunded is Stripe's running total, so a late event with a
	// total no larger than one already applied changes no amount.
	if o.AmountRefunded == 0 || o.AmountRefunded <= p.RefundedAmount {
		r.outcome, err = s.moveTo(ctx, tx, p, p.Status, ev.Created, changed)
		return r, err
	}
	target := StatusPartiallyRefunded
	if o.AmountRefunded == p.Amount {
		target = StatusRefunded
	}
	if PathTo(p.Status, target) == nil { // e.g. canceled here, refunded at Stripe
		r.outcome, err = s.moveTo(ctx, tx, p, target, ev.Created, changed)
		return r, err
	}
	p.RefundedAmount = o.AmountRefunded
	// A refund in flight from the portal may be the one now reported; its
	// hold must not push the total past the amount.
	p.RefundHeld = min(p.RefundHeld, p.Amount-p.RefundedAmount)
	if err := advance(ctx, tx, p, target, ev.Created, s.now()); err != nil {
		return r, err
	}
	r.outcome = OutcomeApplied
	return r, nil
}

// moveTo advances p to target when the state machine has a way there.
// When it has none, the event is already applied or behind the payment
// (expired after paid), and only identifiers it brought, if new, are
// saved.
func (s *Service) moveTo(ctx context.Context, tx bun.IDB, p *Payment, target Status, at time.Time, changed bool) (Outcome, error) {
	from, now := p.Status, s.now()
	if from != target && PathTo(from, target) != nil {
		if err := advance(ctx, tx, p, target, at, now); err != nil {
			return "", err
		}
		return OutcomeApplied, nil
	}
	if changed {
		if err := save(ctx, tx, p, from, now); err != nil {
			return "", err
		}
	}
	if from == target {
		return OutcomeAlready, nil
	}
	return OutcomeStale, nil
}
