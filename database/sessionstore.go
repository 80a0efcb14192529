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

// CommitCtx writes a session, replacing an older version of it.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	row := sessionRow{Token: token, Data: data, Expiry: expiry.UTC()}
	_, err := s.db.NewInsert().Model(&row).
		On("CONFLICT (token) DO UPDATE").
		Set("data = EXCLUDED.data").
		Set("expiry = EXCLUDED.expiry").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("SessionStore.Commit: %w", err)
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
