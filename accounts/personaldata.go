package accounts

import (
	"context"
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
	ExportedAt time.Time      `json:"exported_at"`
	Account    ExportAccount  `json:"account"`
	Consents   []Consent      `json:"consents"`
	Activity   []ExportEvent  `json:"activity"`
	Parts      map[string]any `json:"parts"`
}

// ExportAccount is the account's own fields, without secrets.
type ExportAccount struct {
	Email       string    `json:"email"`
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	Unit        string    `json:"unit,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	TOTPEnabled bool      `json:"second_factor_enabled"`
}

// ExportEvent is one audit entry about the user's own account.
type ExportEvent struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
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
	entries, err := ListAudit(ctx, db, AuditFilter{ActorID: userID, Limit: 200})
	if err != nil {
		return nil, err
	}
	x := &Export{
		ExportedAt: time.Now().UTC(),
		Account:    ExportAccount{Email: u.Email, Name: u.Name, Role: u.Role, Unit: u.UnitCode, CreatedAt: u.CreatedAt, TOTPEnabled: u.TOTPEnabled},
		Consents:   consents,
		Parts:      map[string]any{},
	}
	for _, e := range entries {
		x.Activity = append(x.Activity, ExportEvent{At: e.At, Action: e.Action, IP: e.IP})
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
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		for name, h := range holders {
			if err := h.ForgetUser(ctx, tx, userID); err != nil {
				return fmt.Errorf("accounts.DeleteUser: %s: %w", name, err)
			}
		}
		if _, err := tx.NewUpdate().Model((*AuditEntry)(nil)).
			Set("actor_email = ?", "deleted-"+strconv.FormatInt(userID, 10)).
			Set("ip = ''").
			Where("actor_id = ?", userID).
			Exec(ctx); err != nil {
			return fmt.Errorf("accounts.DeleteUser: audit: %w", err)
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
		return RecordAudit(ctx, tx, AuditEntry{Action: AuditAccountDeleted, ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10)})
	})
}
