package accounts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Audit actions written by this package. Other parts name their own
// ("indicators.approve", "payments.refund"…) in the same dotted form.
const (
	AuditSignIn         = "account.signin"
	AuditSignInFailed   = "account.signin_failed"
	AuditSignInSlowed   = "account.signin_slowed"
	AuditSignOut        = "account.signout"
	AuditSignUp         = "account.signup"
	AuditUserCreated    = "account.created"
	AuditRoleChanged    = "account.role_changed"
	AuditDisabled       = "account.disabled"
	AuditEnabled        = "account.enabled"
	AuditPasswordSet    = "account.password_set"
	AuditTOTPEnabled    = "account.totp_enabled"
	AuditTOTPReset      = "account.totp_reset"
	AuditRecoveryUsed   = "account.recovery_code_used"
	AuditConsent        = "account.consent"
	AuditDataExported   = "account.data_exported"
	AuditAccountDeleted = "account.deleted"
	AuditSettingChanged = "admin.setting_changed"
	AuditSessionsEnded  = "account.sessions_ended"
	AuditResetRequested = "account.reset_requested"
	AuditAssistedReset  = "account.assisted_reset"
)

// AuditEntry is one line of the audit log: who did what to which object,
// when and from where, with the value before and after when it changed.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log"`

	ID         int64     `bun:"id,pk,autoincrement"`
	At         time.Time `bun:"at,notnull"`
	ActorID    int64     `bun:"actor_id,nullzero"`
	ActorEmail string    `bun:"actor_email,notnull"`
	Action     string    `bun:"action,notnull"`
	ObjectType string    `bun:"object_type,notnull"`
	ObjectID   string    `bun:"object_id,notnull"`
	Old        string    `bun:"old_value,notnull"`
	New        string    `bun:"new_value,notnull"`
	IP         string    `bun:"ip,notnull"`
	Detail     string    `bun:"detail,notnull"`
}

// auditFieldMax bounds each text field so that a caller passing a large
// value cannot bloat the log.
const auditFieldMax = 2000

// RecordAudit writes e. Call it with the transaction that makes the change
// it records, so that the change and its record commit or fail together.
func RecordAudit(ctx context.Context, db bun.IDB, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC()
	e.ID = 0
	for _, f := range []*string{&e.ActorEmail, &e.Action, &e.ObjectType, &e.ObjectID, &e.Old, &e.New, &e.IP, &e.Detail} {
		if len(*f) > auditFieldMax {
			*f = strings.ToValidUTF8((*f)[:auditFieldMax], "") + "…"
		}
	}
	if e.Action == "" {
		return fmt.Errorf("accounts.RecordAudit: empty action")
	}
	if _, err := db.NewInsert().Model(&e).Exec(ctx); err != nil {
		return fmt.Errorf("accounts.RecordAudit: %w", err)
	}
	return nil
}

// AuditFilter narrows ListAudit. Zero fields do not filter.
type AuditFilter struct {
	Action  string // exact action, or a prefix ending in "." such as "account."
	ActorID int64
	Object  string // object id
	From    time.Time
	To      time.Time // exclusive
	Limit   int
	Offset  int
}

// ListAudit returns entries, newest first, at most f.Limit (100 when unset).
func ListAudit(ctx context.Context, db bun.IDB, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 100
	}
	var out []AuditEntry
	q := db.NewSelect().Model(&out).OrderExpr("at DESC, id DESC").Limit(int64(f.Limit)).Offset(int64(f.Offset))
	switch {
	case strings.HasSuffix(f.Action, "."):
		q = q.Where("action LIKE ? ESCAPE '\\'", escapeLike(f.Action)+"%")
	case f.Action != "":
		q = q.Where("action = ?", f.Action)
	}
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Object != "" {
		q = q.Where("object_id = ?", f.Object)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts.ListAudit: %w", err)
	}
	return out, nil
}
