package database

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// SessionStore keeps alexedwards/scs sessions in the sessions table, on
// either database, so that every app instance sees every session.
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
}

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row sessionRow
	err := s.db.NewSelect().Model(&row).
		Where("token = ?", token).
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

// touchSlack is how much of a session's idle time a request may leave
// unwritten: a session whose data did not change is written again only
// when its new expiry is more than this past the stored one.
const touchSlack = time.Minute

// CommitCtx writes a session, replacing an older version of it.
//
// Every request touches its session, to move its idle expiry on, and so
// commits it even when nothing in it changed. Such a touch is written at
// most once a minute, and a touch the database is too busy to take is
// dropped: on SQLite a write waits for the one write lock, which an
// import holds for many seconds, so every signed-in page view, a GET
// included, waited five seconds and then failed with a 503 while a unit
// list was imported. A change to the session's data is always written,
// and fails as before when the database is busy.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	var old sessionRow
	err := s.db.NewSelect().Model(&old).Where("token = ?", token).Scan(ctx)
	if err != nil && !errors.Is(err, errNoRows) {
		return fmt.Errorf("SessionStore.Commit: %w", err)
	}
	touch := err == nil && bytes.Equal(old.Data, data)
	if touch && !old.Expiry.Before(expiry.Add(-touchSlack)) {
		return nil
	}
	row := sessionRow{Token: token, Data: data, Expiry: expiry.UTC()}
	_, err = s.db.NewInsert().Model(&row).
		On("CONFLICT (token) DO UPDATE").
		Set("data = EXCLUDED.data").
		Set("expiry = EXCLUDED.expiry").
		Exec(ctx)
	if touch && Busy(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("SessionStore.Commit: %w", busy(err))
	}
	return nil
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("token = ?", token).Exec(ctx); err != nil {
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

// DeleteExpired removes sessions past their expiry and returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	res, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("expiry <= ?", time.Now().UTC()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("SessionStore.DeleteExpired: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
