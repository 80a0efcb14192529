-- A sign-up with an e-mail address waits here until the link e-mailed to
-- that address is opened: the form answers alike whether or not the
-- address has an account, so it reveals none. Only the link's hash is kept;
-- a request lives 24 hours, and a newer one for the same address replaces
-- it.
CREATE TABLE signup_requests (
	token_hash    TEXT PRIMARY KEY,
	email         TEXT NOT NULL,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	consents      TEXT NOT NULL,
	created_at    {{.Time}} NOT NULL,
	expires_at    {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX signup_requests_email_idx ON signup_requests (email);
--bun:split
CREATE INDEX signup_requests_expires_idx ON signup_requests (expires_at);
