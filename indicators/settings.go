package indicators

import (
	"context"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// Setting keys.
const (
	// settingJump is the share of change against the previous period above
	// which the entry form warns (0.3 = 30%).
	settingJump = "jump_warning_share"
	// settingUnitsVersion changes whenever the unit hierarchy or the
	// successor mappings change, so that precomputed roll-ups know to rebuild.
	settingUnitsVersion = "units_version"
	// settingRollupVersion is the units version the stored roll-ups were
	// built from.
	settingRollupVersion = "rollup_units_version"
	// settingRollupHierarchies lists the hierarchies (see hierarchies) the
	// stored roll-ups hold, comma-separated.
	settingRollupHierarchies = "rollup_hierarchies"
	// settingComplete is the share of the expected units that must have
	// counted figures for a month to be the dashboards' latest.
	settingComplete = "latest_complete_share"
)

// DefaultCompleteShare is the share a month's reporting must reach to be
// the latest one shown, until an admin sets another.
const DefaultCompleteShare = 0.8

// CompleteShare returns the share of the expected units whose figures
// make a month complete enough to head the dashboards.
func CompleteShare(ctx context.Context, db bun.IDB) (float64, error) {
	v, err := getSetting(ctx, db, settingComplete, "")
	if err != nil || v == "" {
		return DefaultCompleteShare, err
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !validCompleteShare(f) {
		return DefaultCompleteShare, nil
	}
	return f, nil
}

// DefaultJumpShare is the warning threshold until an admin sets another.
const DefaultJumpShare = 0.3

// getSetting returns a setting's value, or def when it is not set.
func getSetting(ctx context.Context, db bun.IDB, key, def string) (string, error) {
	var s setting
	err := db.NewSelect().Model(&s).Where("key = ?", key).Scan(ctx)
	if database.IsNoRows(err) {
		return def, nil
	}
	if err != nil {
		return "", fmt.Errorf("indicators.getSetting %s: %w", key, err)
	}
	return s.Value, nil
}

func putSetting(ctx context.Context, db bun.IDB, key, value string) error {
	s := setting{Key: key, Value: value}
	if _, err := db.NewInsert().Model(&s).On("CONFLICT (key) DO UPDATE").Set("value = EXCLUDED.value").Exec(ctx); err != nil {
		return fmt.Errorf("indicators.putSetting %s: %w", key, err)
	}
	return nil
}

// JumpShare returns the share of change that triggers a warning on entry.
func JumpShare(ctx context.Context, db bun.IDB) (float64, error) {
	v, err := getSetting(ctx, db, settingJump, "")
	if err != nil || v == "" {
		return DefaultJumpShare, err
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 {
		return DefaultJumpShare, nil
	}
	return f, nil
}

// bumpUnitsVersion records that units or mappings changed.
func bumpUnitsVersion(ctx context.Context, db bun.IDB) error {
	v, err := getSetting(ctx, db, settingUnitsVersion, "0")
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(v)
	return putSetting(ctx, db, settingUnitsVersion, strconv.Itoa(n+1))
}
