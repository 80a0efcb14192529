-- A unit list or successor mapping checked by the admin page and imported
-- by a worker of the portal, not inside the request: a national import and
-- its roll-up rebuild take longer than a request may. data holds the rows
-- read from the file, as JSON, not the file itself (see indicator_uploads).
-- status is queued, running, done or failed; exactly one instance moves a
-- job from queued to running. progress is a message ID with its counts;
-- result is the import's counts as JSON; error a message ID.
CREATE TABLE indicator_jobs (
	id          {{.ID}},
	kind        TEXT NOT NULL,
	day         TEXT NOT NULL,
	complete    BOOLEAN NOT NULL DEFAULT FALSE,
	name        TEXT NOT NULL DEFAULT '',
	data        TEXT NOT NULL,
	status      TEXT NOT NULL,
	progress    TEXT NOT NULL DEFAULT '',
	done        INTEGER NOT NULL DEFAULT 0,
	total       INTEGER NOT NULL DEFAULT 0,
	result      TEXT NOT NULL DEFAULT '',
	error       TEXT NOT NULL DEFAULT '',
	problems    TEXT NOT NULL DEFAULT '',
	user_id     BIGINT NOT NULL DEFAULT 0,
	email       TEXT NOT NULL DEFAULT '',
	created_at  {{.Time}} NOT NULL,
	started_at  {{.Time}},
	finished_at {{.Time}}
);
--bun:split
CREATE INDEX indicator_jobs_status_idx ON indicator_jobs (status, id);
--bun:split
-- The rows of a queued job, a thousand at a time as JSON: one value of a
-- country's list would be a query of tens of megabytes, built and copied
-- several times over. They go when the job ends.
CREATE TABLE indicator_job_rows (
	job_id BIGINT NOT NULL,
	seq    INTEGER NOT NULL,
	data   TEXT NOT NULL,
	PRIMARY KEY (job_id, seq)
);
