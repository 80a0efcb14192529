package accounts

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// ActiveConsents returns, in one query, every purpose the user consents to
// now for its current text (HasConsent for all purposes at once, as the
// account page shows them).
func ActiveConsents(ctx context.Context, db bun.IDB, userID int64) (map[string]bool, error) {
	var rows []Consent
	err := db.NewSelect().Model(&rows).Column("purpose", "version").
		Where("user_id = ?", userID).Where("withdrawn_at IS NULL").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("accounts.ActiveConsents: %w", err)
	}
	out := map[string]bool{}
	for _, c := range rows {
		if p, ok := PurposeByID(c.Purpose); ok && c.Version == p.Version {
			out[c.Purpose] = true
		}
	}
	return out, nil
}
