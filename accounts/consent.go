package accounts

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// Purpose is one thing a user may consent to (Law 91/2025/QH15 on personal
// data protection: consent per purpose, never implied, withdrawable). Each
// purpose's text is versioned in the message files as
// "accounts.consent.<purpose>.v<version>"; a new text means a new version
// and a fresh consent.
type Purpose struct {
	ID      string
	Version int
}

// Purposes lists what the portal asks consent for, with the current version
// of each text.
func Purposes() []Purpose {
	return []Purpose{
		{ID: "progress", Version: 1},    // keep lesson progress and certificates under the account
		{ID: "assessments", Version: 1}, // keep self-assessment results under the account
	}
}

// PurposeByID returns the current version of a purpose.
func PurposeByID(id string) (Purpose, bool) {
	for _, p := range Purposes() {
		if p.ID == id {
			return p, true
		}
	}
	return Purpose{}, false
}

// Consent is one recorded consent, withdrawn or not.
type Consent struct {
	bun.BaseModel `bun:"table:consents"`

	ID          int64     `bun:"id,pk,autoincrement" json:"-"`
	UserID      int64     `bun:"user_id,notnull" json:"-"`
	Purpose     string    `bun:"purpose,notnull" json:"purpose"`
	Version     int       `bun:"version,notnull" json:"version"`
	GrantedAt   time.Time `bun:"granted_at,notnull" json:"granted_at"`
	WithdrawnAt time.Time `bun:"withdrawn_at,nullzero" json:"withdrawn_at,omitempty"`
}

// Active reports whether the consent holds now for the current text.
func (c Consent) Active() bool {
	p, ok := PurposeByID(c.Purpose)
	return ok && c.WithdrawnAt.IsZero() && c.Version == p.Version
}

// GrantConsent records consent to the current version of purpose. An
// active consent to the same version is kept as it is.
func GrantConsent(ctx context.Context, db bun.IDB, userID int64, purpose string) error {
	p, ok := PurposeByID(purpose)
	if !ok {
		return fmt.Errorf("accounts.GrantConsent: unknown purpose %q", purpose)
	}
	active, err := HasConsent(ctx, db, userID, purpose)
	if err != nil || active {
		return err
	}
	c := Consent{UserID: userID, Purpose: p.ID, Version: p.Version, GrantedAt: time.Now().UTC()}
	if _, err := db.NewInsert().Model(&c).Exec(ctx); err != nil {
		return fmt.Errorf("accounts.GrantConsent: %w", err)
	}
	return nil
}

// WithdrawConsent ends every active consent of the user to purpose.
func WithdrawConsent(ctx context.Context, db bun.IDB, userID int64, purpose string) error {
	_, err := db.NewUpdate().Model((*Consent)(nil)).
		Set("withdrawn_at = ?", time.Now().UTC()).
		Where("user_id = ?", userID).Where("purpose = ?", purpose).Where("withdrawn_at IS NULL").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("accounts.WithdrawConsent: %w", err)
	}
	return nil
}

// HasConsent reports whether the user consents now to the current text.
func HasConsent(ctx context.Context, db bun.IDB, userID int64, purpose string) (bool, error) {
	p, ok := PurposeByID(purpose)
	if !ok {
		return false, nil
	}
	n, err := db.NewSelect().Model((*Consent)(nil)).
		Where("user_id = ?", userID).Where("purpose = ?", purpose).
		Where("version = ?", p.Version).Where("withdrawn_at IS NULL").
		Count(ctx)
	if err != nil {
		return false, fmt.Errorf("accounts.HasConsent: %w", err)
	}
	return n > 0, nil
}

// ConsentHistory returns every consent record of the user, oldest first.
func ConsentHistory(ctx context.Context, db bun.IDB, userID int64) ([]Consent, error) {
	var out []Consent
	if err := db.NewSelect().Model(&out).Where("user_id = ?", userID).OrderExpr("granted_at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts.ConsentHistory: %w", err)
	}
	return out, nil
}

// ConsentHook follows a change of one of a user's consents inside the same
// transaction: a part whose data hangs on the consent keeps or cuts its
// links to the account.
type ConsentHook func(ctx context.Context, tx bun.IDB, userID int64, purpose string, granted bool) error

// SaveConsents sets who's consent to each purpose in want (true grants,
// false withdraws); a purpose not in want stays as it is. Each change is
// recorded with the version of its text, followed by the hooks and
// audited, in one transaction. A purpose the portal does not ask for is a
// *ValidationError on "consents" and changes nothing.
func SaveConsents(ctx context.Context, db bun.IDB, who Actor, want map[string]bool, onChange ...ConsentHook) error {
	if who.UserID == 0 {
		return ErrSignInRequired
	}
	for purpose := range want {
		if _, ok := PurposeByID(purpose); !ok {
			return refuse("consents", ErrUnknownPurpose)
		}
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		for _, p := range Purposes() {
			granted, asked := want[p.ID]
			if !asked {
				continue
			}
			had, err := HasConsent(ctx, tx, who.UserID, p.ID)
			if err != nil {
				return err
			}
			if had == granted {
				continue
			}
			change := "withdrawn"
			if granted {
				change = "granted"
				err = GrantConsent(ctx, tx, who.UserID, p.ID)
			} else {
				err = WithdrawConsent(ctx, tx, who.UserID, p.ID)
			}
			if err != nil {
				return err
			}
			for _, hook := range onChange {
				if err := hook(ctx, tx, who.UserID, p.ID, granted); err != nil {
					return err
				}
			}
			if err := who.Record(ctx, tx, AuditEntry{Action: AuditConsent, ObjectType: "consent", ObjectID: p.ID,
				New: change + " v" + strconv.Itoa(p.Version)}); err != nil {
				return err
			}
		}
		return nil
	})
}
