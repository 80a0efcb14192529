package accounts

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// settingRow is one portal-wide setting.
type settingRow struct {
	bun.BaseModel `bun:"table:settings"`
	Key           string `bun:"key,pk"`
	Value         string `bun:"value,notnull"`
}

const settingTOTPRequired = "totp_required_roles"

// TOTPRequired returns the roles that must use a second factor. Until an
// admin says otherwise (SetTOTPRequired, audited), every privileged role
// must: an admin's or an official's password alone guards too much.
func TOTPRequired(ctx context.Context, db bun.IDB) (map[Role]bool, error) {
	var row settingRow
	err := db.NewSelect().Model(&row).Where("key = ?", settingTOTPRequired).Scan(ctx)
	out := map[Role]bool{}
	if database.IsNoRows(err) {
		for _, r := range Roles() {
			out[r] = r.Privileged()
		}
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("accounts.TOTPRequired: %w", err)
	}
	for _, r := range strings.Split(row.Value, ",") {
		if Role(r).Privileged() {
			out[Role(r)] = true
		}
	}
	return out, nil
}

// SetTOTPRequired stores the roles that must use a second factor and
// audits the change, in one transaction. Only privileged roles can be made
// to: any other is a *ValidationError on "roles" and changes nothing.
func SetTOTPRequired(ctx context.Context, db bun.IDB, who Actor, roles []Role) error {
	for _, r := range roles {
		if !r.Privileged() {
			return refuse("roles", ErrInvalidRole)
		}
	}
	var names []string
	for _, r := range Roles() {
		if slices.Contains(roles, r) {
			names = append(names, string(r))
		}
	}
	value := strings.Join(names, ",")
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		row := settingRow{Key: settingTOTPRequired, Value: value}
		if _, err := tx.NewInsert().Model(&row).On("CONFLICT (key) DO UPDATE").Set("value = EXCLUDED.value").Exec(ctx); err != nil {
			return fmt.Errorf("accounts.SetTOTPRequired: %w", err)
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditSettingChanged, ObjectType: "setting", ObjectID: settingTOTPRequired, New: value})
	})
}
