package payments

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// LineKind is what one line of the reconciliation is.
type LineKind string

// The kinds of reconciliation lines.
const (
	LinePayment       LineKind = "payment"          // a payment, whatever its status
	LineRefund        LineKind = "refund"           // a refund Stripe accepted
	LineRefundPending LineKind = "refund_pending"   // a refund waiting for Stripe's answer: its amount is held
	LineRefundFailed  LineKind = "refund_failed"    // a refund Stripe refused, or that failed later
	LineUnmatched     LineKind = "refund_unmatched" // refunded at Stripe, not yet known one by one
)

// Line is one line of the reconciliation: a payment, followed by its
// refunds. Refund is nil on payment and unmatched lines; Amount is the
// line's own amount in whole đồng.
type Line struct {
	Kind    LineKind
	Payment *Payment
	Refund  *Refund
	Amount  int64
}

// Totals add up the lines of a reconciliation: Collected is what the
// listed payments took (those Stripe confirmed), Refunded what the listed
// refunds returned, Held what refunds still waiting for Stripe hold.
type Totals struct {
	Payments  int
	Collected int64
	Refunded  int64
	Held      int64
}

// Net is what the period leaves with the province.
func (t Totals) Net() int64 { return t.Collected - t.Refunded }

// reconcileBatch is how many payments are read at a time, so an export of
// any size runs in bounded memory.
const reconcileBatch = 500

// Reconcile gives yield, one at a time, the payments matching f (Limit and
// Offset ignored), each followed by its refunds, for matching against
// Stripe's balance report, and returns their totals. With f.By ByRefund
// the period chooses refunds: only the refunds made in it are listed, with
// their payments. A month by paid date gives the charges of Stripe's
// balance report for the month; by refund date, its refunds.
func Reconcile(ctx context.Context, db bun.IDB, f Filter, yield func(Line) error) (Totals, error) {
	var tot Totals
	var last int64
	for {
		var batch []Payment
		q := filtered(db.NewSelect().Model(&batch), f).Where("id > ?", last).Order("id").Limit(reconcileBatch)
		if err := q.Scan(ctx); err != nil {
			return tot, fmt.Errorf("payments.Reconcile: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		ids := make([]int64, len(batch))
		for i := range batch {
			ids[i] = batch[i].ID
		}
		var refunds []Refund
		rq := db.NewSelect().Model(&refunds).Where("payment_id IN (?)", bun.List(ids)).OrderExpr("payment_id, created_at, id")
		if f.By == ByRefund {
			rq = refundsIn(rq, f)
		}
		if err := rq.Scan(ctx); err != nil {
			return tot, fmt.Errorf("payments.Reconcile: %w", err)
		}
		next := 0
		for i := range batch {
			p := &batch[i]
			tot.Payments++
			if p.Status.Settled() {
				tot.Collected += p.Amount
			}
			if err := yield(Line{Kind: LinePayment, Payment: p, Amount: p.Amount}); err != nil {
				return tot, err
			}
			for ; next < len(refunds) && refunds[next].PaymentID == p.ID; next++ {
				rf := &refunds[next]
				kind := LineRefund
				switch rf.Status {
				case RefundSucceeded:
					tot.Refunded += rf.Amount
				case RefundPending:
					kind = LineRefundPending
					tot.Held += rf.Amount
				default:
					kind = LineRefundFailed
				}
				if err := yield(Line{Kind: kind, Payment: p, Refund: rf, Amount: rf.Amount}); err != nil {
					return tot, err
				}
			}
			if p.RefundUnmatched > 0 && f.By != ByRefund {
				tot.Refunded += p.RefundUnmatched
				if err := yield(Line{Kind: LineUnmatched, Payment: p, Amount: p.RefundUnmatched}); err != nil {
					return tot, err
				}
			}
		}
		if len(batch) < reconcileBatch {
			break
		}
		last = batch[len(batch)-1].ID
	}
	return tot, nil
}
