-- Lessons: learners' progress, certificates and monthly usage counts.
--
-- A learner is whoever passes quizzes: a visitor without an account (found
-- by the session, or on another device by the resume code) or a user (found
-- by user_id; no resume code). No name, e-mail or address is kept here.
CREATE TABLE lesson_learners (
	id           {{.ID}},
	resume_code  TEXT UNIQUE,
	user_id      BIGINT UNIQUE,
	created_at   {{.Time}} NOT NULL,
	last_seen_at {{.Time}} NOT NULL
);
--bun:split
-- Completing a lesson means passing its quiz; the first pass counts.
CREATE TABLE lesson_completions (
	learner_id   BIGINT NOT NULL REFERENCES lesson_learners (id) ON DELETE CASCADE,
	slug         TEXT NOT NULL,
	completed_at {{.Time}} NOT NULL,
	PRIMARY KEY (learner_id, slug)
);
--bun:split
-- A certificate keeps a copy of what it certifies (the path's names and the
-- lessons with their titles at the time), so that the public verify page
-- shows what was issued even after the content changes. The holder's name
-- is the only personal datum; withdrawing the certificate erases it.
CREATE TABLE lesson_certificates (
	code         TEXT PRIMARY KEY,
	learner_id   BIGINT REFERENCES lesson_learners (id) ON DELETE SET NULL,
	path_slug    TEXT NOT NULL,
	path_name_vi TEXT NOT NULL,
	path_name_en TEXT NOT NULL,
	holder_name  TEXT NOT NULL,
	lessons      TEXT NOT NULL,
	issued_at    {{.Time}} NOT NULL,
	withdrawn_at {{.Time}}
);
--bun:split
CREATE INDEX lesson_certificates_learner_idx ON lesson_certificates (learner_id);
--bun:split
CREATE INDEX lesson_certificates_issued_idx ON lesson_certificates (issued_at);
--bun:split
-- Views and completions per lesson and calendar month (Asia/Ho_Chi_Minh),
-- as plain counters: nothing here identifies a person.
CREATE TABLE lesson_usage (
	month       TEXT NOT NULL,
	slug        TEXT NOT NULL,
	views       BIGINT NOT NULL DEFAULT 0,
	completions BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (month, slug)
);
