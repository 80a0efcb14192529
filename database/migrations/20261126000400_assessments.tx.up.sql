-- SME digital-readiness self-assessment (assessments/).
--
-- A series is one business's responses over time, opened by one resume code
-- of which only a hash is kept. Demo series (seeded demo data) are open to
-- every visitor.
CREATE TABLE assessment_series (
	id          TEXT PRIMARY KEY,
	resume_hash TEXT NOT NULL UNIQUE,
	demo        BOOLEAN NOT NULL DEFAULT FALSE,
	created_at  {{.Time}} NOT NULL
);
--bun:split
-- A response: the profile (no name, email or phone), the answers under the
-- model version it was asked in, and once submitted the result it scored.
-- Only responses with a consent_version join the province's statistics.
CREATE TABLE assessment_responses (
	id              TEXT PRIMARY KEY,
	series_id       TEXT NOT NULL REFERENCES assessment_series (id) ON DELETE CASCADE,
	previous_id     TEXT REFERENCES assessment_responses (id) ON DELETE SET NULL,
	model_version   TEXT NOT NULL,
	sector          TEXT NOT NULL DEFAULT '',
	employees       INTEGER NOT NULL DEFAULT 0,
	revenue_band    TEXT NOT NULL DEFAULT '',
	capital_band    TEXT NOT NULL DEFAULT '',
	size_class      TEXT NOT NULL DEFAULT '',
	area            TEXT NOT NULL DEFAULT '',
	answers         {{.JSON}} NOT NULL,
	consent_version TEXT NOT NULL DEFAULT '',
	consent_at      {{.Time}},
	score           DOUBLE PRECISION NOT NULL DEFAULT 0, -- these three mean something
	level           INTEGER NOT NULL DEFAULT 0,          -- once submitted_at is set
	pillar_scores   {{.JSON}},
	created_at      {{.Time}} NOT NULL,
	updated_at      {{.Time}} NOT NULL,
	submitted_at    {{.Time}}
);
--bun:split
CREATE INDEX assessment_responses_series_idx ON assessment_responses (series_id, created_at);
--bun:split
CREATE INDEX assessment_responses_stats_idx ON assessment_responses (model_version, submitted_at);
