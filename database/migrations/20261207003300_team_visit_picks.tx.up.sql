-- Which online public services (codes of the fee catalogue, package
-- payments) and which lessons (slugs of the lesson catalogue, package
-- content) an entry of the help log says were filed or taken together:
-- one row for each, so that a month's entries can be counted by service
-- or lesson. Only codes, never anything about a resident.
CREATE TABLE team_visit_picks (
	visit_id BIGINT NOT NULL REFERENCES team_visits (id),
	kind     TEXT NOT NULL,
	code     TEXT NOT NULL,
	PRIMARY KEY (visit_id, kind, code)
);
