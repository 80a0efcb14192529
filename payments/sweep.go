package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// AbandonAfter is how long a payment may stay created (never sent to
// Stripe) before the sweep cancels it as abandoned.
const AbandonAfter = 24 * time.Hour

// sweepGrace is how long after its page expired an open payment waits for
// Stripe's checkout.session.expired before the sweep asks Stripe itself.
const sweepGrace = 10 * time.Minute

// Sweep closes what residents left behind, so the officials' list does not
// fill with payments waiting for ever: it cancels payments created more
// than AbandonAfter ago and never sent to Stripe, and asks Stripe (Sync)
// about open payments whose page expired without an event saying so. It
// returns how many payments it changed. Run it now and then (every few
// minutes is plenty); a Stripe that does not answer is left for the next
// run.
func (s *Service) Sweep(ctx context.Context, db *bun.DB, now time.Time) (int, error) {
	changed := 0
	var abandoned []Payment
	if err := db.NewSelect().Model(&abandoned).Column("id", "ref").
		Where("status = ? AND created_at < ?", StatusCreated, now.Add(-AbandonAfter).UTC()).
		Limit(200).Scan(ctx); err != nil {
		return 0, fmt.Errorf("payments.Sweep: %w", err)
	}
	for _, a := range abandoned {
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			p, err := lockPayment(ctx, tx, "id = ?", a.ID)
			if err != nil || p.Status != StatusCreated {
				return err
			}
			changed++
			return advance(ctx, tx, p, StatusCanceled, now, now)
		})
		if err != nil {
			return changed, fmt.Errorf("payments.Sweep: %w", err)
		}
	}
	if !s.Configured() {
		return changed, nil
	}
	var stale []Payment
	if err := db.NewSelect().Model(&stale).Column("ref").
		Where("status = ? AND session_expires_at < ?", StatusOpen, now.Add(-sweepGrace).UTC()).
		Limit(200).Scan(ctx); err != nil {
		return changed, fmt.Errorf("payments.Sweep: %w", err)
	}
	for _, st := range stale {
		p, err := s.Sync(ctx, db, st.Ref)
		switch {
		case errors.Is(err, ErrStripe), errors.Is(err, ErrMismatch):
			continue // the next run asks again; a mismatch stays for an official
		case err != nil:
			return changed, err
		case p.Status != StatusOpen:
			changed++
		}
	}
	return changed, nil
}
