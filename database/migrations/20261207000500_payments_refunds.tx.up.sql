-- Refunds tracked one by one by Stripe's refund ID, wherever they were
-- made: refunds made in Stripe's Dashboard come in by their events with
-- source 'stripe'. note is the official's own words beside Stripe's reason.
ALTER TABLE payment_refunds ADD COLUMN source TEXT NOT NULL DEFAULT 'portal';
--bun:split
ALTER TABLE payment_refunds ADD COLUMN note TEXT NOT NULL DEFAULT '';
--bun:split
-- refund_unmatched is what Stripe reported refunded (charge.refunded's
-- amount_refunded) beyond the refunds known one by one: a refund made
-- outside the portal whose own event has not come yet.
ALTER TABLE payments ADD COLUMN refund_unmatched BIGINT NOT NULL DEFAULT 0;
--bun:split
-- A dispute (chargeback) opened at the card issuer, shown to officials.
ALTER TABLE payments ADD COLUMN dispute_id TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE payments ADD COLUMN disputed_at {{.Time}};
--bun:split
CREATE INDEX payment_refunds_pending_idx ON payment_refunds (status, created_at);
