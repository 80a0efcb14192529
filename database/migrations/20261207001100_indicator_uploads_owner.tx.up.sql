-- Checked files are kept a few per person (the oldest dropped) and swept
-- when a day old: both look them up by owner or age.
CREATE INDEX indicator_uploads_user_idx ON indicator_uploads (user_id, created_at);
--bun:split
CREATE INDEX indicator_uploads_created_idx ON indicator_uploads (created_at);
