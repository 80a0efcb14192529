package indicators

import (
	"context"

	"github.com/uptrace/bun"
)

// UnitsVersion names the state of the unit hierarchy and its successor
// mappings: every import of units or mappings that changes anything
// writes a new one in its transaction. A copy of the units kept in memory
// (the "find help near you" search) is current while it is unchanged.
func UnitsVersion(ctx context.Context, db bun.IDB) (string, error) {
	return getSetting(ctx, db, settingUnitsVersion, "0")
}
