-- A session ended by sign-out, renewal or expiry stays as a tombstone until
-- its row expires, so that a request still in flight when it ended cannot
-- write it back: saving only ever updates a session that has not ended.
ALTER TABLE sessions ADD COLUMN ended BOOLEAN NOT NULL DEFAULT FALSE;
