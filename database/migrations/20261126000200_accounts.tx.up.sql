-- Accounts: users, second factors, sign-in throttling, one-time links,
-- consent records, portal settings and the audit log.
CREATE TABLE users (
	id                   {{.ID}},
	email                TEXT NOT NULL,
	name                 TEXT NOT NULL DEFAULT '',
	role                 TEXT NOT NULL,
	unit_code            TEXT NOT NULL DEFAULT '',
	password_hash        TEXT NOT NULL DEFAULT '',
	disabled             BOOLEAN NOT NULL DEFAULT FALSE,
	totp_secret          TEXT NOT NULL DEFAULT '',
	totp_enabled         BOOLEAN NOT NULL DEFAULT FALSE,
	created_at           {{.Time}} NOT NULL,
	sessions_valid_after {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX users_email_idx ON users (email);
--bun:split
CREATE TABLE recovery_codes (
	id        {{.ID}},
	user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash TEXT NOT NULL,
	used_at   {{.Time}}
);
--bun:split
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);
--bun:split
-- Failed sign-ins per account and per client address. Kept in the database
-- so that the limit holds across app instances.
CREATE TABLE signin_throttle (
	key           TEXT PRIMARY KEY,
	failures      INTEGER NOT NULL,
	window_start  {{.Time}} NOT NULL,
	blocked_until {{.Time}}
);
--bun:split
CREATE TABLE password_tokens (
	token_hash TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	expires_at {{.Time}} NOT NULL,
	used_at    {{.Time}}
);
--bun:split
CREATE TABLE consents (
	id           {{.ID}},
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose      TEXT NOT NULL,
	version      INTEGER NOT NULL,
	granted_at   {{.Time}} NOT NULL,
	withdrawn_at {{.Time}}
);
--bun:split
CREATE INDEX consents_user_idx ON consents (user_id, purpose);
--bun:split
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
--bun:split
-- The audit log keeps the actor's id and e-mail as they were, so that an
-- entry still says who acted after the account is deleted.
CREATE TABLE audit_log (
	id          {{.ID}},
	at          {{.Time}} NOT NULL,
	actor_id    BIGINT,
	actor_email TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	old_value   TEXT NOT NULL DEFAULT '',
	new_value   TEXT NOT NULL DEFAULT '',
	ip          TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX audit_log_at_idx ON audit_log (at);
--bun:split
CREATE INDEX audit_log_action_idx ON audit_log (action, at);
