-- Online fee-payment practice (Stripe TEST mode). No personal data: a
-- payment holds a fee, an amount, Stripe's identifiers and times.
CREATE TABLE payments (
	id                 {{.ID}},
	ref                TEXT NOT NULL UNIQUE,
	fee_code           TEXT NOT NULL,
	amount             BIGINT NOT NULL CHECK (amount > 0),
	currency           TEXT NOT NULL,
	status             TEXT NOT NULL,
	lang               TEXT NOT NULL,
	attempt            INTEGER NOT NULL DEFAULT 1,
	session_id         TEXT UNIQUE,
	session_url        TEXT NOT NULL DEFAULT '',
	session_expires_at {{.Time}},
	payment_intent_id  TEXT NOT NULL DEFAULT '',
	-- refunded_amount is what Stripe confirmed; refund_held is what refunds
	-- in flight have reserved. Their sum never passes the amount, which is
	-- the guard that stops two racing refunds from returning too much.
	refunded_amount    BIGINT NOT NULL DEFAULT 0,
	refund_held        BIGINT NOT NULL DEFAULT 0,
	demo               BOOLEAN NOT NULL DEFAULT FALSE,
	created_at         {{.Time}} NOT NULL,
	updated_at         {{.Time}} NOT NULL,
	paid_at            {{.Time}},
	closed_at          {{.Time}},
	refunded_at        {{.Time}},
	CHECK (refunded_amount >= 0 AND refund_held >= 0 AND refunded_amount + refund_held <= amount)
);
--bun:split
CREATE INDEX payments_created_idx ON payments (created_at);
--bun:split
CREATE INDEX payments_paid_idx ON payments (paid_at);
--bun:split
CREATE INDEX payments_status_idx ON payments (status, created_at);
--bun:split
CREATE INDEX payments_intent_idx ON payments (payment_intent_id);
--bun:split
-- Every Stripe event received, stored in the same transaction as the change
-- it caused: the unique event_id makes a second delivery change nothing.
CREATE TABLE payment_events (
	id                {{.ID}},
	event_id          TEXT NOT NULL UNIQUE,
	type              TEXT NOT NULL,
	api_version       TEXT NOT NULL,
	payment_id        BIGINT REFERENCES payments (id),
	outcome           TEXT NOT NULL,
	from_status       TEXT NOT NULL DEFAULT '',
	to_status         TEXT NOT NULL DEFAULT '',
	stripe_created_at {{.Time}} NOT NULL,
	received_at       {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX payment_events_payment_idx ON payment_events (payment_id, received_at);
--bun:split
-- Refunds asked for by officials. The idempotency key comes from the refund
-- form, so a form sent twice makes one refund, at Stripe as here.
CREATE TABLE payment_refunds (
	id               {{.ID}},
	payment_id       BIGINT NOT NULL REFERENCES payments (id),
	amount           BIGINT NOT NULL CHECK (amount > 0),
	reason           TEXT NOT NULL,
	idempotency_key  TEXT NOT NULL UNIQUE,
	stripe_refund_id TEXT UNIQUE,
	status           TEXT NOT NULL,
	actor_id         BIGINT NOT NULL,
	created_at       {{.Time}} NOT NULL,
	completed_at     {{.Time}}
);
--bun:split
CREATE INDEX payment_refunds_payment_idx ON payment_refunds (payment_id, created_at);
