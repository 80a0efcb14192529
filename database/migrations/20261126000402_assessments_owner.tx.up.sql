-- A series may be kept under a user account: only when the signed-in user
-- has given the separate, versioned consent "assessments" (accounts'
-- consents), set when they start or resume it. Without it the column stays
-- NULL and the series is anonymous, opened by its resume code alone.
-- Withdrawing that consent or deleting the account sets it back to NULL;
-- the results stay, anonymous.
ALTER TABLE assessment_series ADD COLUMN owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
--bun:split
CREATE INDEX assessment_series_owner_idx ON assessment_series (owner_id);
