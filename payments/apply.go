package payments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
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
	case ev.Refund != nil:
		return s.applyRefund(ctx, tx, ev)
	case ev.Dispute != nil:
		return s.applyDispute(ctx, tx, ev)
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

// eventPaymentOf locks the payment an object names by our reference in its
// metadata, or else by its PaymentIntent; nil when none of ours.
func eventPaymentOf(ctx context.Context, tx bun.Tx, meta map[string]string, intent string) (*Payment, error) {
	if ref, err := ParseRef(meta[MetadataRef]); err == nil {
		return eventPayment(ctx, tx, "ref = ?", ref)
	}
	if intent != "" {
		return eventPayment(ctx, tx, "payment_intent_id = ?", intent)
	}
	return nil, nil
}

// refundState is what a refund event may change of a payment.
type refundState struct {
	status             Status
	refunded, held, un int64
}

func stateOf(p *Payment) refundState {
	return refundState{p.Status, p.RefundedAmount, p.RefundHeld, p.RefundUnmatched}
}

func (s *Service) applyCharge(ctx context.Context, tx bun.Tx, ev *Event) (applied, error) {
	o := ev.Charge
	p, err := eventPaymentOf(ctx, tx, o.Metadata, o.PaymentIntentID)
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
	if o.AmountRefunded == 0 && (o.Refunds == nil || len(o.Refunds.Data) == 0) {
		r.outcome, err = s.moveTo(ctx, tx, p, p.Status, ev.Created, changed)
		return r, err
	}
	if !p.Status.Settled() && PathTo(p.Status, StatusPaid) == nil { // e.g. canceled here, refunded at Stripe
		r.outcome, err = s.moveTo(ctx, tx, p, StatusRefunded, ev.Created, changed)
		return r, err
	}
	before := stateOf(p)
	// The refunds the charge lists settle the ones here by their ID or
	// their refund_key: a refund left pending here (Stripe did not answer)
	// is confirmed and its hold released.
	if o.Refunds != nil {
		for i := range o.Refunds.Data {
			if _, err := s.upsertRefund(ctx, tx, p, &o.Refunds.Data[i]); err != nil {
				return r, err
			}
		}
	}
	// amount_refunded is Stripe's running total. What it says beyond the
	// refunds known here, settled or in flight, was refunded outside the
	// portal; a late event with a smaller total changes nothing.
	succeeded, pending, err := refundSums(ctx, tx, p.ID)
	if err != nil {
		return r, err
	}
	if extra := o.AmountRefunded - succeeded - pending; extra > p.RefundUnmatched {
		p.RefundUnmatched = extra
	}
	if err := s.recount(ctx, tx, p, ev.Created); err != nil {
		return r, err
	}
	r.outcome = OutcomeAlready
	if stateOf(p) != before {
		r.outcome = OutcomeApplied
	}
	return r, nil
}

// applyRefund applies refund.created, refund.updated, refund.failed and
// charge.refund.updated: the refund is found by Stripe's ID, or by the
// refund_key the portal gave it, or is a refund made outside the portal.
func (s *Service) applyRefund(ctx context.Context, tx bun.Tx, ev *Event) (applied, error) {
	o := ev.Refund
	p, err := eventPaymentOf(ctx, tx, o.Metadata, o.PaymentIntentID)
	if err != nil || p == nil {
		return applied{outcome: OutcomeUnmatched}, err
	}
	r := applied{p: p, from: p.Status}
	if o.Currency != p.Currency || o.Amount > p.Amount || !p.Status.Settled() {
		r.outcome = OutcomeMismatch
		if !p.Status.Settled() {
			r.outcome = OutcomeUnhandled
		}
		return r, nil
	}
	changed, err := s.upsertRefund(ctx, tx, p, o)
	if err != nil {
		return r, err
	}
	r.outcome = OutcomeAlready
	if changed {
		r.outcome = OutcomeApplied
	}
	return r, nil
}

// upsertRefund brings Stripe's refund o into the locked payment p's
// refunds and counts them again. It reports whether anything changed.
func (s *Service) upsertRefund(ctx context.Context, tx bun.Tx, p *Payment, o *refundObject) (bool, error) {
	stripeSays := refundStatusOf(o.Status)
	who := accounts.SystemActor("stripe")
	rf := new(Refund)
	err := tx.NewSelect().Model(rf).Where("stripe_refund_id = ? AND payment_id = ?", o.ID, p.ID).Scan(ctx)
	if key := o.Metadata[MetadataRefundKey]; database.IsNoRows(err) && ValidRefundKey(key) {
		err = tx.NewSelect().Model(rf).Where("idempotency_key = ? AND payment_id = ?", key, p.ID).Scan(ctx)
		if err == nil && rf.StripeRefundID != "" && rf.StripeRefundID != o.ID {
			err = sql.ErrNoRows // the key names another refund: this one is new
		}
	}
	switch {
	case err == nil:
		if rf.Status == stripeSays && rf.StripeRefundID == o.ID {
			return false, nil
		}
		return true, s.changeRefund(ctx, tx, who, p, rf, stripeSays, o.ID)
	case !database.IsNoRows(err):
		return false, err
	}
	var taken int64
	if taken, err = tx.NewSelect().Model((*Refund)(nil)).Where("stripe_refund_id = ?", o.ID).Count(ctx); err != nil || taken > 0 {
		return false, err // another payment's refund: never moved here
	}
	// A refund made outside the portal. What charge.refunded reported of it
	// beforehand, unmatched, is now known by its ID.
	now := s.now().UTC()
	rf = &Refund{
		PaymentID: p.ID, Amount: o.Amount, Reason: stripeReason(o.Reason), IdempotencyKey: "stripe-" + o.ID,
		StripeRefundID: o.ID, Status: RefundPending, Source: SourceStripe, CreatedAt: now,
	}
	if _, err := tx.NewInsert().Model(rf).Exec(ctx); err != nil {
		return false, err
	}
	p.RefundUnmatched = max(0, p.RefundUnmatched-o.Amount)
	return true, s.changeRefund(ctx, tx, who, p, rf, stripeSays, o.ID)
}

// stripeReason keeps the reasons Stripe documents and drops anything else.
func stripeReason(r string) RefundReason {
	switch RefundReason(r) {
	case ReasonRequested, ReasonDuplicate, ReasonFraudulent:
		return RefundReason(r)
	}
	return ReasonOther
}

// refundSums adds up a payment's succeeded and pending refunds.
func refundSums(ctx context.Context, db bun.IDB, paymentID int64) (succeeded, pending int64, err error) {
	var sums []struct {
		Status RefundStatus `bun:"status"`
		Total  int64        `bun:"total"`
	}
	if err := db.NewSelect().Model((*Refund)(nil)).Column("status").ColumnExpr("COALESCE(SUM(amount), 0) AS total").
		Where("payment_id = ?", paymentID).Group("status").Scan(ctx, &sums); err != nil {
		return 0, 0, err
	}
	for _, r := range sums {
		switch r.Status {
		case RefundSucceeded:
			succeeded = r.Total
		case RefundPending:
			pending = r.Total
		}
	}
	return succeeded, pending, nil
}

// applyDispute records that the resident's bank disputed the payment: the
// payment page of officials shows it, and the audit log keeps it.
func (s *Service) applyDispute(ctx context.Context, tx bun.Tx, ev *Event) (applied, error) {
	o := ev.Dispute
	p, err := eventPaymentOf(ctx, tx, o.Metadata, o.PaymentIntentID)
	if err != nil || p == nil {
		return applied{outcome: OutcomeUnmatched}, err
	}
	r := applied{p: p, from: p.Status}
	if o.Currency != p.Currency || o.Amount > p.Amount {
		r.outcome = OutcomeMismatch
		return r, nil
	}
	if p.DisputeID == o.ID {
		r.outcome = OutcomeAlready
		return r, nil
	}
	p.DisputeID, p.DisputedAt = o.ID, ev.Created
	if err := save(ctx, tx, p, p.Status, s.now()); err != nil {
		return r, err
	}
	r.outcome = OutcomeApplied
	return r, accounts.SystemActor("stripe").Record(ctx, tx, accounts.AuditEntry{
		Action: AuditDisputed, ObjectType: "payment", ObjectID: p.Ref,
		Detail: "dispute=" + o.ID + " amount=" + strconv.FormatInt(o.Amount, 10) + " reason=" + safeWord(o.Reason),
	})
}

// safeWord keeps a Stripe enum value for the audit log: lower-case
// letters and underscores, at most 64.
func safeWord(v string) string {
	if len(v) > 64 {
		v = v[:64]
	}
	for _, r := range v {
		if !(r == '_' || r >= 'a' && r <= 'z') {
			return "?"
		}
	}
	return v
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
