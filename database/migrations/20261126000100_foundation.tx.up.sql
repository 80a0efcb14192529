-- Sessions of alexedwards/scs, kept in the database so that several app
-- instances share them.
CREATE TABLE sessions (
	token  TEXT PRIMARY KEY,
	data   {{.Bytes}} NOT NULL,
	expiry {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX sessions_expiry_idx ON sessions (expiry);
