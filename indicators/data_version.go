package indicators

import (
	"context"

	"github.com/uptrace/bun"
)

// DataVersion names the state of everything the public indicator pages
// show besides the clock: approved figures and their roll-ups, units and
// mappings, definitions, targets and settings. Every change of these
// writes a new one in its transaction, so a page kept under one version is
// never shown for another, whichever instance made the change. It is ""
// before anything has changed.
func DataVersion(ctx context.Context, db bun.IDB) (string, error) {
	return getSetting(ctx, db, settingDataChanged, "")
}
