package accounts

import (
	"context"
	"fmt"
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

// TOTPRequired returns the roles that must use a second factor.
func TOTPRequired(ctx context.Context, db bun.IDB) (map[Role]bool, error) {
	var row settingRow
	err := db.NewSelect().Model(&row).Where("key = ?", settingTOTPRequired).Scan(ctx)
	out := map[Role]bool{}
	if database.IsNoRows(err) {
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

// SetTOTPRequired stores the roles that must use a second factor. Only
// privileged roles can be made to.
func SetTOTPRequired(ctx context.Context, db bun.IDB, roles []Role) error {
	var names []string
	for _, r := range Roles() {
		for _, x := range roles {
			if x == r && r.Privileged() {
				names = append(names, string(r))
			}
		}
	}
	row := settingRow{Key: settingTOTPRequired, Value: strings.Join(names, ",")}
	if _, err := db.NewInsert().Model(&row).On("CONFLICT (key) DO UPDATE").Set("value = EXCLUDED.value").Exec(ctx); err != nil {
		return fmt.Errorf("accounts.SetTOTPRequired: %w", err)
	}
	return nil
}
