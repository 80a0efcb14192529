package teams

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"digiportal/accounts"
)

// SeedDemo gives a commune of the demo portal a team with a help desk, so
// that the team pages and the public "find help near you" page have one
// to show. It is idempotent: a commune that has a team
// already gets none.
func SeedDemo(ctx context.Context, db bun.IDB, commune string) error {
	if commune == "" {
		return nil
	}
	n, err := db.NewSelect().Model((*Team)(nil)).Where("unit_code = ?", commune).Count(ctx)
	if err != nil {
		return fmt.Errorf("teams.SeedDemo: %w", err)
	}
	if n > 0 {
		return nil
	}
	_, err = Create(ctx, db, accounts.Actor{System: "portal seed"}, commune, Input{Name: "Tổ công nghệ số thôn Đông", Households: "245",
		DeskPlace: "Nhà văn hóa thôn Đông", DeskHours: "Sáng thứ Bảy, 7:30–11:00"})
	return err
}
