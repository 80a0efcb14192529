-- Adoption indicators, part 1: organisation units through the 2025
-- reorganisation, definitions and targets, values and their workflow.
--
-- Dates of validity are ISO days ('2025-07-01') in TEXT so that they compare
-- the same way on both databases; valid_to is exclusive and '9999-12-31'
-- means "still valid".
CREATE TABLE org_units (
	id         {{.ID}},
	code       TEXT NOT NULL,
	name       TEXT NOT NULL,
	name_en    TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL,
	level      INTEGER NOT NULL,
	-- the parent is named by code: the parent is the version of that code
	-- valid on the same day, so renaming a district does not re-version its
	-- communes.
	parent_code TEXT NOT NULL DEFAULT '',
	valid_from TEXT NOT NULL,
	valid_to   TEXT NOT NULL DEFAULT '9999-12-31',
	-- path holds the codes of the unit's ancestors and itself, "/77/747/26506/",
	-- so a subtree on a day is one range scan.
	path       TEXT NOT NULL DEFAULT '',
	-- search holds the name without diacritics, lower case, for search.
	search     TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT '',
	UNIQUE (code, valid_from)
);
--bun:split
CREATE INDEX org_units_valid_idx ON org_units (valid_from, valid_to);
--bun:split
CREATE INDEX org_units_path_idx ON org_units (path);
--bun:split
CREATE INDEX org_units_code_idx ON org_units (code);
--bun:split
-- A successor mapping carries an old unit's figures onto the unit(s) that
-- replaced it: a full merge (the old unit lies wholly inside the new one) or
-- a partial one, with the share of the old unit that went to the new one when
-- it is known.
CREATE TABLE org_unit_successors (
	id          {{.ID}},
	old_unit_id BIGINT NOT NULL REFERENCES org_units (id),
	new_unit_id BIGINT NOT NULL REFERENCES org_units (id),
	full_merge  BOOLEAN NOT NULL,
	weight      DOUBLE PRECISION,
	note        TEXT NOT NULL DEFAULT '',
	UNIQUE (old_unit_id, new_unit_id)
);
--bun:split
CREATE INDEX org_unit_successors_new_idx ON org_unit_successors (new_unit_id);
--bun:split
CREATE TABLE indicator_elements (
	id          {{.ID}},
	code        TEXT NOT NULL UNIQUE,
	name_vi     TEXT NOT NULL,
	name_en     TEXT NOT NULL,
	-- what is counted: households or persons
	counts      TEXT NOT NULL,
	-- age band of the persons counted, when the element is about an age group;
	-- the age that makes an "adult" is a setting, not a constant.
	min_age     INTEGER,
	max_age     INTEGER,
	-- entered by communes, or derived from the portal's own use
	source      TEXT NOT NULL DEFAULT 'entered',
	sort_order  INTEGER NOT NULL DEFAULT 0,
	active      BOOLEAN NOT NULL DEFAULT TRUE
);
--bun:split
CREATE TABLE indicator_definitions (
	id             {{.ID}},
	code           TEXT NOT NULL UNIQUE,
	name_vi        TEXT NOT NULL,
	name_en        TEXT NOT NULL,
	numerator_id   BIGINT NOT NULL REFERENCES indicator_elements (id),
	denominator_id BIGINT NOT NULL REFERENCES indicator_elements (id),
	factor         DOUBLE PRECISION NOT NULL DEFAULT 100,
	sort_order     INTEGER NOT NULL DEFAULT 0,
	active         BOOLEAN NOT NULL DEFAULT TRUE
);
--bun:split
CREATE TABLE indicator_targets (
	id           {{.ID}},
	indicator_id BIGINT NOT NULL REFERENCES indicator_definitions (id),
	year         INTEGER NOT NULL,
	-- the target value in percent; strict means "over", not "at least"
	value        DOUBLE PRECISION NOT NULL,
	strict       BOOLEAN NOT NULL DEFAULT FALSE,
	-- empty for a national target, else the code of the unit that set it
	unit_code    TEXT NOT NULL DEFAULT '',
	source_vi    TEXT NOT NULL,
	source_en    TEXT NOT NULL,
	UNIQUE (indicator_id, year, unit_code)
);
--bun:split
CREATE TABLE indicator_settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
--bun:split
-- One report: a unit's values for one period, moving through
-- draft → submitted → approved (locked) or returned → submitted again.
CREATE TABLE indicator_reports (
	id           {{.ID}},
	unit_id      BIGINT NOT NULL REFERENCES org_units (id),
	period       TEXT NOT NULL,
	status       TEXT NOT NULL,
	comment      TEXT NOT NULL DEFAULT '',
	updated_at   {{.Time}} NOT NULL,
	updated_by   BIGINT NOT NULL DEFAULT 0,
	submitted_at {{.Time}},
	approved_at  {{.Time}},
	UNIQUE (unit_id, period)
);
--bun:split
CREATE INDEX indicator_reports_period_idx ON indicator_reports (period, status);
--bun:split
CREATE TABLE indicator_values (
	report_id  BIGINT NOT NULL REFERENCES indicator_reports (id),
	element_id BIGINT NOT NULL REFERENCES indicator_elements (id),
	value      BIGINT NOT NULL,
	PRIMARY KEY (report_id, element_id)
);
