-- What a user sees of their own sessions, so that one can be ended: whose
-- it is, the browser, the address it came from, when it was last used.
-- Written from the session's data at each save; gone with the session.
ALTER TABLE sessions ADD COLUMN user_id BIGINT;
--bun:split
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE sessions ADD COLUMN last_seen {{.Time}};
--bun:split
CREATE INDEX sessions_user_idx ON sessions (user_id);
