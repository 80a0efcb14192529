package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// DataHolder is a part of the portal that keeps personal data under a user
// account (lesson progress, certificates, assessments). Each registers one
// so that export and deletion reach everything.
type DataHolder interface {
	// ExportUser returns what the part holds about the user, ready for JSON.
	ExportUser(ctx context.Context, db bun.IDB, userID int64) (any, error)
	// ForgetUser removes the user's data or cuts it loose from the account,
	// as the account-deletion page explains.
	ForgetUser(ctx context.Context, db bun.IDB, userID int64) error
}

// Export is everything the portal holds about one user.
type Export struct {
	ExportedAt time.Time       `json:"exported_at"`
	Account    ExportAccount   `json:"account"`
	Consents   []ExportConsent `json:"consents"`
	Activity   []ExportEvent   `json:"activity"`
	Sessions   []ExportSession `json:"sessions"`
	Parts      map[string]any  `json:"parts"`
}

// ExportConsent is one consent record; an active one has no withdrawn_at.
type ExportConsent struct {
	Purpose     string     `json:"purpose"`
	Version     int        `json:"version"`
	GrantedAt   time.Time  `json:"granted_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
}

// ExportSession is one live session of the user, as the sessions page
// shows it.
type ExportSession struct {
	Device   string    `json:"device,omitempty"`
	Network  string    `json:"network,omitempty"`
	LastSeen time.Time `json:"last_seen"`
}

// ExportAccount is the account's own fields, without secrets.
type ExportAccount struct {
	Email       string    `json:"email,omitempty"`
	Username    string    `json:"username,omitempty"`
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	Unit        string    `json:"unit,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	TOTPEnabled bool      `json:"second_factor_enabled"`
}

// ExportEvent is one audit entry by the user or about their account:
// their own actions, sign-ins tried against it (with the address they came
// from), and what admins did to it (without the admin's address).
type ExportEvent struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	BySelf bool      `json:"by_self"`
	IP     string    `json:"ip,omitempty"`
}

// ExportUser gathers everything the portal holds about who, from the
// account and every holder, and audits the export, in one transaction so
// that the export is one consistent picture (Law 91/2025/QH15: the data
// subject's right to their data). The export's own audit line is not in
// it.
func ExportUser(ctx context.Context, db bun.IDB, who Actor, holders map[string]DataHolder) (*Export, error) {
	if who.UserID == 0 {
		return nil, ErrSignInRequired
	}
	var x *Export
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if x, err = exportUser(ctx, tx, who.UserID, holders); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditDataExported, ObjectType: "user", ObjectID: strconv.FormatInt(who.UserID, 10)})
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

func exportUser(ctx context.Context, db bun.IDB, userID int64, holders map[string]DataHolder) (*Export, error) {
	u, err := UserByID(ctx, db, userID)
	if err != nil {
		return nil, err
	}
	consents, err := ConsentHistory(ctx, db, userID)
	if err != nil {
		return nil, err
	}
	// Every entry, however many: the export is complete or it is nothing.
	var entries []AuditEntry
	if err := db.NewSelect().Model(&entries).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("actor_id = ?", userID).
				WhereOr("object_type = 'user' AND object_id = ?", strconv.FormatInt(userID, 10))
		}).
		OrderExpr("at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts.ExportUser: audit: %w", err)
	}
	x := &Export{
		ExportedAt: time.Now().UTC(),
		Account: ExportAccount{Email: u.Email, Username: u.Username, Name: u.Name, Role: u.Role, Unit: u.UnitCode,
			CreatedAt: u.CreatedAt, TOTPEnabled: u.TOTPEnabled},
		Consents: []ExportConsent{},
		Activity: []ExportEvent{},
		Sessions: []ExportSession{},
		Parts:    map[string]any{},
	}
	for _, c := range consents {
		ec := ExportConsent{Purpose: c.Purpose, Version: c.Version, GrantedAt: c.GrantedAt}
		if !c.WithdrawnAt.IsZero() {
			at := c.WithdrawnAt
			ec.WithdrawnAt = &at
		}
		x.Consents = append(x.Consents, ec)
	}
	for _, e := range entries {
		ev := ExportEvent{At: e.At, Action: e.Action, BySelf: e.ActorID == userID}
		if ev.BySelf || e.Action == AuditSignInFailed || e.Action == AuditSignInSlowed {
			ev.IP = e.IP
		}
		x.Activity = append(x.Activity, ev)
	}
	var sessions []struct {
		Device   string    `bun:"device"`
		Address  string    `bun:"address"`
		LastSeen time.Time `bun:"last_seen"`
	}
	if err := db.NewSelect().TableExpr("sessions").Column("device", "address", "last_seen").
		Where("user_id = ?", userID).Where("ended = ?", false).Where("expiry > ?", time.Now().UTC()).
		OrderExpr("last_seen DESC").Scan(ctx, &sessions); err != nil {
		return nil, fmt.Errorf("accounts.ExportUser: sessions: %w", err)
	}
	for _, se := range sessions {
		x.Sessions = append(x.Sessions, ExportSession{Device: se.Device, Network: se.Address, LastSeen: se.LastSeen})
	}
	for name, h := range holders {
		data, err := h.ExportUser(ctx, db, userID)
		if err != nil {
			return nil, fmt.Errorf("accounts.ExportUser: %s: %w", name, err)
		}
		x.Parts[name] = data
	}
	return x, nil
}

// DeleteUser removes an account in one transaction: every holder forgets
// the user, audit entries keep what happened but lose the address and the
// e-mail, and the user row goes with its consents, codes and links.
func DeleteUser(ctx context.Context, db bun.IDB, userID int64, holders map[string]DataHolder) error {
	return deleteUser(ctx, db, Actor{}, userID, holders)
}

// DeleteAccount is an admin removing someone's account (an official who
// left), with the same guarantees as DeleteUser: what they did stays in the
// record (reports, audit entries), with nobody named as its author. The
// deletion is audited as the admin's. An admin cannot delete their own
// account (ErrOwnAccount).
func DeleteAccount(ctx context.Context, db bun.IDB, who Actor, userID int64, holders map[string]DataHolder) error {
	if userID == who.UserID {
		return ErrOwnAccount
	}
	return deleteUser(ctx, db, who, userID, holders)
}

func deleteUser(ctx context.Context, db bun.IDB, who Actor, userID int64, holders map[string]DataHolder) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		// The user's row first, as every change of links takes it: a
		// reset asked for meanwhile waits, then finds nobody.
		if err := lockUserLinks(ctx, tx, userID); errors.Is(err, ErrTokenInvalid) {
			return fmt.Errorf("accounts.DeleteUser: user %d: %w", userID, database.ErrNotFound)
		} else if err != nil {
			return err
		}
		for name, h := range holders {
			if err := h.ForgetUser(ctx, tx, userID); err != nil {
				return fmt.Errorf("accounts.DeleteUser: %s: %w", name, err)
			}
		}
		u, err := UserByID(ctx, tx, userID)
		if err != nil {
			return fmt.Errorf("accounts.DeleteUser: %w", err)
		}
		if err := forgetInAudit(ctx, tx, u); err != nil {
			return err
		}
		if _, err := database.EndUserSessions(ctx, tx, userID, ""); err != nil {
			return err
		}
		if err := forgetThrottles(ctx, tx, u); err != nil {
			return err
		}
		for _, m := range []any{(*Consent)(nil), (*recoveryCode)(nil), (*passwordToken)(nil)} {
			if _, err := tx.NewDelete().Model(m).Where("user_id = ?", userID).Exec(ctx); err != nil {
				return fmt.Errorf("accounts.DeleteUser: %w", err)
			}
		}
		res, err := tx.NewDelete().Model((*User)(nil)).Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("accounts.DeleteUser: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("accounts.DeleteUser: %w", err)
		}
		if n != 1 {
			return fmt.Errorf("accounts.DeleteUser: user %d: %w", userID, ErrForbidden)
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditAccountDeleted, ObjectType: "user"})
	})
}

// forgetInAudit keeps what happened and loses the person: entries by the
// user lose who and from where, entries about the user lose which user
// (and the free text that might name them), and failed sign-ins typed with
// the user's address or username lose it.
func forgetInAudit(ctx context.Context, db bun.IDB, u *User) error {
	id := strconv.FormatInt(u.ID, 10)
	steps := []*bun.UpdateQuery{
		db.NewUpdate().Model((*AuditEntry)(nil)).Set("actor_id = NULL").Set("actor_email = ''").Set("ip = ''").
			Where("actor_id = ?", u.ID),
		db.NewUpdate().Model((*AuditEntry)(nil)).Set("object_id = ''").Set("detail = ''").Set("ip = CASE WHEN actor_id IS NULL THEN '' ELSE ip END").
			Where("object_type = 'user'").Where("object_id = ?", id),
	}
	for _, login := range []string{u.Email, u.Username} {
		if login == "" {
			continue
		}
		steps = append(steps, db.NewUpdate().Model((*AuditEntry)(nil)).Set("object_id = ''").Set("ip = ''").
			Where("object_type = 'user'").Where("object_id = ?", login))
	}
	for _, q := range steps {
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("accounts.DeleteUser: audit: %w", err)
		}
	}
	return nil
}

// forgetThrottles drops the throttle counts kept on the user's address or
// username (those kept on client addresses name nobody, and expire).
func forgetThrottles(ctx context.Context, db bun.IDB, u *User) error {
	for _, login := range []string{u.Email, u.Username} {
		if login == "" {
			continue
		}
		for _, prefix := range []string{"acct:", "recover:", "reset-to:"} {
			if err := (&Throttle{}).Reset(ctx, db, prefix+login); err != nil {
				return fmt.Errorf("accounts.DeleteUser: %w", err)
			}
		}
	}
	return nil
}
