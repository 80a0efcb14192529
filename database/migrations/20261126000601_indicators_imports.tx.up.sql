-- An uploaded value file waiting between its dry run and its commit, so
-- that the person does not have to upload it twice and every app instance
-- can commit it. Rows older than a day are removed.
CREATE TABLE indicator_uploads (
	token      TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL,
	name       TEXT NOT NULL,
	data       {{.Bytes}} NOT NULL,
	created_at {{.Time}} NOT NULL
);
