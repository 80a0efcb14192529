-- Residents without e-mail sign up with a username instead. An account
-- has an e-mail address or a username (or, for the ones admins make, an
-- address); each is unique when present.
ALTER TABLE users ADD COLUMN username TEXT NOT NULL DEFAULT '';
--bun:split
DROP INDEX users_email_idx;
--bun:split
CREATE UNIQUE INDEX users_email_idx ON users (email) WHERE email <> '';
--bun:split
CREATE UNIQUE INDEX users_username_idx ON users (username) WHERE username <> '';
