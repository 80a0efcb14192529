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
