-- Adoption indicators, part 2: precomputed roll-ups of the values along the
-- hierarchy of one day (the setting rollup_day), kept right on every change
-- of a report's state, so that dashboards and the national roll-up read a
-- few hundred rows instead of millions. unit_id 0 is the whole country.
CREATE TABLE indicator_rollups (
	unit_id     BIGINT NOT NULL,
	period      TEXT NOT NULL,
	element_id  BIGINT NOT NULL,
	-- sums of approved values, and of submitted plus approved ones
	approved    DOUBLE PRECISION NOT NULL DEFAULT 0,
	counted     DOUBLE PRECISION NOT NULL DEFAULT 0,
	-- values left out because an old unit was split without a stated share
	approved_nc INTEGER NOT NULL DEFAULT 0,
	counted_nc  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_id, period, element_id)
);
--bun:split
CREATE INDEX indicator_rollups_period_idx ON indicator_rollups (period, element_id);
--bun:split
-- How many reporting units below a unit were expected to report for a
-- period, how many did (submitted or approved) and how many were approved.
CREATE TABLE indicator_completeness (
	unit_id  BIGINT NOT NULL,
	period   TEXT NOT NULL,
	expected INTEGER NOT NULL DEFAULT 0,
	reported INTEGER NOT NULL DEFAULT 0,
	approved INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_id, period)
);
