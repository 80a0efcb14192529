-- Community digital technology teams (Tổ công nghệ số cộng đồng): one per
-- hamlet or residential group of a commune, named freely, with the
-- hamlet's approximate household count so that visits can be read as
-- coverage.
CREATE TABLE teams (
	id         {{.ID}},
	unit_code  TEXT NOT NULL,
	name       TEXT NOT NULL,
	households INTEGER NOT NULL DEFAULT 0,
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX teams_unit_idx ON teams (unit_code);
--bun:split
-- A team's members: portal accounts with the role helper. A member who
-- leaves keeps the row, with the account taken off (user_id NULL) and the
-- name dropped, so the team's history stays and names no one.
CREATE TABLE team_members (
	id        {{.ID}},
	team_id   BIGINT NOT NULL REFERENCES teams (id),
	user_id   BIGINT,
	name      TEXT NOT NULL DEFAULT '',
	joined_at {{.Time}} NOT NULL,
	left_at   {{.Time}}
);
--bun:split
CREATE INDEX team_members_team_idx ON team_members (team_id);
--bun:split
CREATE INDEX team_members_user_idx ON team_members (user_id);
--bun:split
-- A help-desk session or a round of visits a helper records: no names, no
-- ID or phone numbers, only counts and what was done. member_id says which
-- place in the team recorded it (anonymous once the member leaves). An
-- entry can be corrected for 7 days after it was recorded, then it locks.
CREATE TABLE team_visits (
	id           {{.ID}},
	team_id      BIGINT NOT NULL REFERENCES teams (id),
	member_id    BIGINT NOT NULL REFERENCES team_members (id),
	day          TEXT NOT NULL,
	kind         TEXT NOT NULL,
	households   INTEGER NOT NULL DEFAULT 0,
	people_15_59 INTEGER NOT NULL DEFAULT 0,
	people_60    INTEGER NOT NULL DEFAULT 0,
	done_vneid   BOOLEAN NOT NULL DEFAULT FALSE,
	done_payment BOOLEAN NOT NULL DEFAULT FALSE,
	done_service BOOLEAN NOT NULL DEFAULT FALSE,
	done_cashless BOOLEAN NOT NULL DEFAULT FALSE,
	done_scam    BOOLEAN NOT NULL DEFAULT FALSE,
	done_lesson  BOOLEAN NOT NULL DEFAULT FALSE,
	note         TEXT NOT NULL DEFAULT '',
	created_at   {{.Time}} NOT NULL,
	updated_at   {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX team_visits_team_day_idx ON team_visits (team_id, day);
