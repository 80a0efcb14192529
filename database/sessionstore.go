package database

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
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
	// Describe, when set, reads from a session's data whose it is and
	// where it was last used, for the sessions a user sees and ends.
	Describe func(data []byte) SessionMeta
	// Same, when set, says whether two encodings hold the same session:
	// an encoding of a map need not come out the same bytes twice, and a
	// touch must not look like a change (see CommitCtx). Unset, the bytes
	// are compared.
	Same func(a, b []byte) bool

	// seen remembers, per token, the data and expiry this store last read
	// or wrote, so that a touch that need not be written is known without
	// reading the row again (see CommitCtx).
	seenMu sync.Mutex
	seen   map[string]seenSession
}

// seenSession is what the store last read or wrote of a session.
type seenSession struct {
	data   []byte
	expiry time.Time
}

// maxSeen bounds the sessions remembered; past it the memory starts again.
const maxSeen = 10000

func (s *SessionStore) remember(token string, data []byte, expiry time.Time) {
	s.seenMu.Lock()
	defer s.seenMu.Unlock()
	if s.seen == nil || len(s.seen) >= maxSeen {
		s.seen = make(map[string]seenSession)
	}
	s.seen[token] = seenSession{data: data, expiry: expiry}
}

func (s *SessionStore) forget(token string) {
	s.seenMu.Lock()
	delete(s.seen, token)
	s.seenMu.Unlock()
}

func (s *SessionStore) recall(token string) (seenSession, bool) {
	s.seenMu.Lock()
	defer s.seenMu.Unlock()
	x, ok := s.seen[token]
	return x, ok
}

// SessionMeta is what a user sees of one of their sessions.
type SessionMeta struct {
	UserID   int64 // 0 for a visitor
	Device   string
	Address  string
	LastSeen time.Time
}

// UserSession is one live session of a user.
type UserSession struct {
	Token string
	SessionMeta
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
	s.remember(token, row.Data, row.Expiry)
	return row.Data, true, nil
}

// touchSlack is how much of a session's idle time a request may leave
// unwritten: a session whose data did not change is written again only
// when its new expiry is more than this past the stored one.
const touchSlack = time.Minute

// CommitCtx writes a session: a new token is inserted, a live one updated,
// and an ended one left ended, in one statement so that no sign-out can
// slip between a check and the write.
//
// Every request touches its session, to move its idle expiry on, and so
// commits it even when nothing in it changed. Such a touch is written at
// most once a minute, and a touch the database is too busy to take is
// dropped: on SQLite a write waits for the one write lock, which an
// import holds for many seconds, so every signed-in page view, a GET
// included, waited five seconds and then failed with a 503 while a unit
// list was imported. A change to the session's data is always written,
// and fails as before when the database is busy.
//
// What the store last read or wrote of the session is remembered: a touch
// of data it saw, within a minute of the expiry it saw, is dropped without
// reading the row again. A stored expiry only ever moves on, so the row
// would say the same; and a row another instance changed since, or ended,
// is not overwritten with what this request read before.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	same := bytes.Equal
	if s.Same != nil {
		same = s.Same
	}
	if x, ok := s.recall(token); ok && !x.expiry.Before(expiry.Add(-touchSlack)) && same(x.data, data) {
		return nil
	}
	var old sessionRow
	err := s.db.NewSelect().Model(&old).Where("token = ?", token).Scan(ctx)
	if err != nil && !errors.Is(err, errNoRows) {
		return fmt.Errorf("SessionStore.Commit: %w", busy(err))
	}
	if err == nil && old.Ended {
		return nil // ended: the statement below would leave it so
	}
	touch := err == nil && same(old.Data, data)
	if touch && !old.Expiry.Before(expiry.Add(-touchSlack)) {
		return nil
	}
	var m SessionMeta
	if s.Describe != nil {
		m = s.Describe(data)
	}
	var uid any
	if m.UserID != 0 {
		uid = m.UserID
	}
	// A user's session is last seen when it is written: at least once a
	// minute while it is used (touchSlack).
	var seen any
	switch {
	case !m.LastSeen.IsZero():
		seen = m.LastSeen.UTC()
	case m.UserID != 0:
		seen = time.Now().UTC().Truncate(time.Second)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry, ended, user_id, device, address, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry,
			user_id = excluded.user_id, device = excluded.device, address = excluded.address, last_seen = excluded.last_seen
		WHERE sessions.ended = ?`, token, data, expiry.UTC(), false, uid, m.Device, m.Address, seen, false)
	if touch && Busy(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("SessionStore.Commit: %w", busy(err))
	}
	s.remember(token, data, expiry)
	return nil
}

// DeleteCtx ends a session: its data goes and its token is refused from
// now on, whatever request still holds it.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	s.forget(token)
	until := time.Now().UTC().Add(tombstoneFor)
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry, ended) VALUES (?, ?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry, ended = excluded.ended,
			user_id = NULL, device = '', address = '', last_seen = NULL`,
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

// UserSessions lists the live sessions of a user, the last used first.
func (s *SessionStore) UserSessions(ctx context.Context, userID int64) ([]UserSession, error) {
	var rows []struct {
		Token    string    `bun:"token"`
		Device   string    `bun:"device"`
		Address  string    `bun:"address"`
		LastSeen time.Time `bun:"last_seen"`
	}
	err := s.db.NewSelect().TableExpr("sessions").Column("token", "device", "address", "last_seen").
		Where("user_id = ?", userID).Where("ended = ?", false).Where("expiry > ?", time.Now().UTC()).
		OrderExpr("last_seen DESC, token").Limit(maxListedSessions).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("SessionStore.UserSessions: %w", err)
	}
	out := make([]UserSession, len(rows))
	for i, r := range rows {
		out[i] = UserSession{Token: r.Token, SessionMeta: SessionMeta{UserID: userID, Device: r.Device, Address: r.Address, LastSeen: r.LastSeen}}
	}
	return out, nil
}

// maxListedSessions bounds the list a user sees; sessions beyond it are
// still ended by "end the others".
const maxListedSessions = 100

// EndUserSessions ends every live session of a user but the one with the
// token except (none when empty), leaving tombstones, and returns how many
// it ended. It takes bun.IDB so that a use case ends them in its own
// transaction.
func EndUserSessions(ctx context.Context, db bun.IDB, userID int64, except string) (int64, error) {
	res, err := db.NewUpdate().TableExpr("sessions").
		Set("ended = ?", true).Set("data = ?", []byte{}).
		Set("user_id = NULL").Set("device = ''").Set("address = ''").Set("last_seen = NULL").
		Set("expiry = ?", time.Now().UTC().Add(tombstoneFor)).
		Where("user_id = ?", userID).Where("ended = ?", false).Where("token <> ?", except).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("database.EndUserSessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
