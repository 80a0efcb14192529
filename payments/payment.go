package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/i18n"
)

// Payment is one practice payment of one fee. It holds no personal data.
type Payment struct {
	bun.BaseModel `bun:"table:payments"`

	ID       int64     `bun:"id,pk,autoincrement"`
	Ref      string    `bun:"ref,notnull"`
	FeeCode  string    `bun:"fee_code,notnull"`
	Amount   int64     `bun:"amount,notnull"` // whole đồng
	Currency string    `bun:"currency,notnull"`
	Status   Status    `bun:"status,notnull"`
	Lang     i18n.Lang `bun:"lang,notnull"` // of the payment page at Stripe
	// Attempt numbers the Checkout Session creations tried; it goes up only
	// after Stripe refused one, so a retried request reuses the key.
	Attempt          int       `bun:"attempt,notnull"`
	SessionID        string    `bun:"session_id,nullzero"`
	SessionURL       string    `bun:"session_url,notnull"`
	SessionExpiresAt time.Time `bun:"session_expires_at,nullzero"`
	PaymentIntentID  string    `bun:"payment_intent_id,notnull"`
	RefundedAmount   int64     `bun:"refunded_amount,notnull"`
	RefundHeld       int64     `bun:"refund_held,notnull"`
	// RefundUnmatched is what Stripe reported refunded beyond the refunds
	// known here one by one (a Dashboard refund whose own event is late).
	RefundUnmatched int64     `bun:"refund_unmatched,notnull"`
	DisputeID       string    `bun:"dispute_id,notnull"`
	DisputedAt      time.Time `bun:"disputed_at,nullzero"`
	Demo            bool      `bun:"demo,notnull"`
	CreatedAt       time.Time `bun:"created_at,notnull"`
	UpdatedAt       time.Time `bun:"updated_at,notnull"`
	PaidAt          time.Time `bun:"paid_at,nullzero"`
	ClosedAt        time.Time `bun:"closed_at,nullzero"`
	RefundedAt      time.Time `bun:"refunded_at,nullzero"`
}

// Refundable is what may still be refunded: the amount less what Stripe
// returned and what refunds in flight have reserved.
func (p *Payment) Refundable() int64 {
	if !p.Status.Settled() {
		return 0
	}
	return p.Amount - p.RefundedAmount - p.RefundHeld
}

// Net is what the payment leaves with the province after refunds.
func (p *Payment) Net() int64 {
	if !p.Status.Settled() {
		return 0
	}
	return p.Amount - p.RefundedAmount
}

// CreatePayment records a new payment of fee in status created, with a
// fresh unguessable reference.
func CreatePayment(ctx context.Context, db bun.IDB, fee *Fee, lang i18n.Lang, now time.Time) (*Payment, error) {
	now = now.UTC()
	p := &Payment{
		Ref: NewRef(), FeeCode: fee.Code, Amount: fee.Amount, Currency: Currency,
		Status: StatusCreated, Lang: lang, Attempt: 1, CreatedAt: now, UpdatedAt: now,
	}
	if _, err := db.NewInsert().Model(p).Exec(ctx); err != nil {
		return nil, fmt.Errorf("payments.CreatePayment: %w", err)
	}
	return p, nil
}

// PaymentByRef returns the payment with ref; database.ErrNotFound when none.
func PaymentByRef(ctx context.Context, db bun.IDB, ref string) (*Payment, error) {
	return paymentWhere(ctx, db, false, "ref = ?", ref)
}

// lockPayment reads a payment for change inside a transaction. On
// PostgreSQL the row stays locked until the transaction ends; SQLite
// transactions begin IMMEDIATE (see database.OpenSQLite), which already
// serialises writers.
func lockPayment(ctx context.Context, tx bun.IDB, where string, arg any) (*Payment, error) {
	return paymentWhere(ctx, tx, true, where, arg)
}

func paymentWhere(ctx context.Context, db bun.IDB, lock bool, where string, arg any) (*Payment, error) {
	p := new(Payment)
	q := db.NewSelect().Model(p).Where(where, arg)
	if lock && database.IsPostgres(db) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		if database.IsNoRows(err) {
			return nil, fmt.Errorf("payments: payment %v: %w", arg, database.ErrNotFound)
		}
		return nil, fmt.Errorf("payments: read payment: %w", err)
	}
	return p, nil
}

// ErrConflict is returned when a payment changed under a write that
// expected it unchanged; the caller reads it again.
var ErrConflict = errors.New("payment changed meanwhile")

// save writes p's mutable fields, on condition that its status is still
// from: a write based on a stale read changes nothing and fails.
func save(ctx context.Context, db bun.IDB, p *Payment, from Status, now time.Time) error {
	p.UpdatedAt = now.UTC()
	res, err := db.NewUpdate().Model(p).
		Column("status", "attempt", "session_id", "session_url", "session_expires_at", "payment_intent_id",
			"refunded_amount", "refund_held", "refund_unmatched", "dispute_id", "disputed_at", "updated_at", "paid_at", "closed_at", "refunded_at").
		WherePK().
		Where("status = ?", from).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("payments: save %s: %w", p.Ref, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("payments: save %s: %w", p.Ref, ErrConflict)
	}
	return nil
}

// advance moves p along the state machine to status to, stamping the time
// of each step, and saves it. Every step must be legal; the caller holds
// the row (lockPayment) or accepts ErrConflict.
func advance(ctx context.Context, db bun.IDB, p *Payment, to Status, at, now time.Time) error {
	from := p.Status
	path := PathTo(from, to)
	if path == nil {
		return CheckTransition(from, to)
	}
	at = at.UTC()
	for _, next := range path {
		if err := CheckTransition(p.Status, next); err != nil {
			return err
		}
		switch next {
		case StatusPaid:
			p.PaidAt = at
		case StatusExpired, StatusCanceled, StatusFailed:
			p.ClosedAt = at
		case StatusPartiallyRefunded, StatusRefunded:
			p.RefundedAt = at
			if p.PaidAt.IsZero() {
				p.PaidAt = at
			}
		}
		p.Status = next
	}
	return save(ctx, db, p, from, now)
}

// DateBy names the date a Filter's period applies to.
type DateBy string

// The dates a period may apply to.
const (
	ByCreated DateBy = "created" // when the payment was created (the zero value too)
	ByPaid    DateBy = "paid"    // when Stripe confirmed it
	ByRefund  DateBy = "refund"  // when one of its refunds was made (or asked for, while pending)
)

// Filter narrows the officials' payment list. Zero fields do not filter.
type Filter struct {
	Status  Status
	FeeCode string
	Ref     string    // one payment, by its canonical reference
	By      DateBy    // the date From and To apply to
	From    time.Time // at or after
	To      time.Time // before
	Limit   int
	Offset  int
}

// ListPayments returns payments newest first and how many match in all.
func ListPayments(ctx context.Context, db bun.IDB, f Filter) ([]Payment, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var out []Payment
	q := filtered(db.NewSelect().Model(&out), f).
		OrderExpr("created_at DESC, id DESC").Limit(int64(f.Limit)).Offset(int64(f.Offset))
	n, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("payments.ListPayments: %w", err)
	}
	return out, int(n), nil
}

func filtered(q *bun.SelectQuery, f Filter) *bun.SelectQuery {
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.FeeCode != "" {
		q = q.Where("fee_code = ?", f.FeeCode)
	}
	if f.Ref != "" {
		q = q.Where("ref = ?", f.Ref)
	}
	if f.From.IsZero() && f.To.IsZero() {
		return q
	}
	switch f.By {
	case ByRefund:
		return q.Where("id IN (?)", refundsIn(q.DB().NewSelect().Model((*Refund)(nil)).Column("payment_id"), f))
	case ByPaid:
		return period(q, "paid_at", f)
	}
	return period(q, "created_at", f)
}

// refundDate is the date a refund counts on: when Stripe answered, or,
// while it waits, when it was asked for.
const refundDate = "COALESCE(completed_at, created_at)"

func refundsIn(q *bun.SelectQuery, f Filter) *bun.SelectQuery {
	return period(q, refundDate, f)
}

func period(q *bun.SelectQuery, column string, f Filter) *bun.SelectQuery {
	if !f.From.IsZero() {
		q = q.Where(column+" >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where(column+" < ?", f.To.UTC())
	}
	return q
}
