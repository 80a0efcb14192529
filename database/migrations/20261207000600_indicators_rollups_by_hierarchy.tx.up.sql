-- Adoption indicators: roll-ups stored for every hierarchy, not only
-- today's. A hierarchy is the set of unit versions valid between two days on
-- which some unit began or ended (before and after the 2025 reorganisation,
-- say), named by the first of those days. A dashboard for a day before the
-- reorganisation then reads stored rows as today's does, instead of summing
-- millions of raw values. The tables hold derived figures only: they are
-- made anew, and the next start of the portal rebuilds them.
DROP TABLE indicator_rollups;
--bun:split
CREATE TABLE indicator_rollups (
	hierarchy   TEXT NOT NULL,
	unit_id     BIGINT NOT NULL,
	period      TEXT NOT NULL,
	element_id  BIGINT NOT NULL,
	-- sums of approved values, and of submitted plus approved ones
	approved    DOUBLE PRECISION NOT NULL DEFAULT 0,
	counted     DOUBLE PRECISION NOT NULL DEFAULT 0,
	-- values left out because an old unit was split without a stated share
	approved_nc INTEGER NOT NULL DEFAULT 0,
	counted_nc  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hierarchy, unit_id, period, element_id)
);
--bun:split
CREATE INDEX indicator_rollups_period_idx ON indicator_rollups (hierarchy, period, element_id);
--bun:split
DROP TABLE indicator_completeness;
--bun:split
CREATE TABLE indicator_completeness (
	hierarchy TEXT NOT NULL,
	unit_id   BIGINT NOT NULL,
	period    TEXT NOT NULL,
	expected  INTEGER NOT NULL DEFAULT 0,
	reported  INTEGER NOT NULL DEFAULT 0,
	approved  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hierarchy, unit_id, period)
);
--bun:split
DELETE FROM indicator_settings WHERE key IN ('rollup_day', 'rollup_units_version');
