-- Classes a community digital technology team holds ("Bình dân học vụ
-- số"): where and when, for how many, and which lessons of the portal's
-- catalogue (their slugs, separated by spaces). No names, no ID or phone
-- numbers: place and note are short texts checked like the help log's
-- note. day is the start's date in Vietnam, for totals by month. After the
-- class, the helper records attendance by age band (as the help log counts
-- people) and the lessons actually covered; held_at says when, NULL until
-- then. A cancelled class keeps its row, with cancelled_at set.
CREATE TABLE team_classes (
	id             {{.ID}},
	team_id        BIGINT NOT NULL REFERENCES teams (id),
	place          TEXT NOT NULL,
	day            TEXT NOT NULL,
	starts_at      {{.Time}} NOT NULL,
	ends_at        {{.Time}} NOT NULL,
	capacity       INTEGER NOT NULL,
	lessons        TEXT NOT NULL DEFAULT '',
	note           TEXT NOT NULL DEFAULT '',
	cancelled_at   {{.Time}},
	held_at        {{.Time}},
	attended_15_59 INTEGER NOT NULL DEFAULT 0,
	attended_60    INTEGER NOT NULL DEFAULT 0,
	covered        TEXT NOT NULL DEFAULT '',
	created_at     {{.Time}} NOT NULL,
	updated_at     {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX team_classes_team_start_idx ON team_classes (team_id, starts_at);
--bun:split
CREATE INDEX team_classes_day_idx ON team_classes (day);
