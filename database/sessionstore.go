package database

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// SessionStore keeps alexedwards/scs sessions in the sessions table, on
// either database, so that every app instance sees every session.
//
// A deleted session leaves a tombstone (ended = TRUE) for tombstoneFor:
// scs saves a session at the end of every request, and a request that was
// in flight when the session was ended (sign-out on another tab, another
// instance) would otherwise write it back and bring the old cookie to life.
// Saving inserts a new token or updates a live one; it never touches a
// tombstone.
type SessionStore struct {
	db *bun.DB
}

// NewSessionStore returns a store over db.
func NewSessionStore(db *bun.DB) *SessionStore { return &SessionStore{db: db} }

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`
	Token         string    `bun:"token,pk"`
	Data          []byte    `bun:"data,notnull"`
	Expiry        time.Time `bun:"expiry,notnull"`
	Ended         bool      `bun:"ended,notnull"`
}

// tombstoneFor is how long an ended session's token stays refused: far
// longer than any request runs (the server's write timeout), and as long as
// a session may live, so that a token is never reused within its life.
const tombstoneFor = 13 * time.Hour

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row sessionRow
	err := s.db.NewSelect().Model(&row).
		Where("token = ?", token).
		Where("ended = ?", false).
		Where("expiry > ?", time.Now().UTC()).
		Scan(ctx)
	if errors.Is(err, errNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("SessionStore.Find: %w", err)
	}
	return row.Data, true, nil
}

// CommitCtx writes a session: a new token is inserted, a live one updated,
// and an ended one left ended, in one statement so that no sign-out can
// slip between a check and the write.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry, ended) VALUES (?, ?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry
		WHERE sessions.ended = ?`, token, data, expiry.UTC(), false, false)
	if err != nil {
		return fmt.Errorf("SessionStore.Commit: %w", err)
	}
	return nil
}

// DeleteCtx ends a session: its data goes and its token is refused from
// now on, whatever request still holds it.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	until := time.Now().UTC().Add(tombstoneFor)
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry, ended) VALUES (?, ?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry, ended = excluded.ended`,
		token, []byte{}, until, true)
	if err != nil {
		return fmt.Errorf("SessionStore.Delete: %w", err)
	}
	return nil
}

// Find, Commit and Delete satisfy scs.Store for callers without a context.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit writes a session without a request context.
func (s *SessionStore) Commit(token string, data []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, data, expiry)
}

// Delete removes a session without a request context.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteExpired removes sessions and tombstones past their expiry and
// returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	res, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("expiry <= ?", time.Now().UTC()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("SessionStore.DeleteExpired: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
