package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// The throttle's keys name e-mail addresses, usernames and client
// addresses. They are stored as an HMAC under a secret of the portal, so
// the table says how often something was tried, never who or from where;
// the secret is made on first use and shared by every instance through the
// settings table.
const settingThrottleSecret = "throttle_secret"

// keyed returns the stored form of a throttle key.
func keyed(ctx context.Context, db bun.IDB, key string) (string, error) {
	secret, err := throttleSecret(ctx, db)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(key))
	return "h:" + hex.EncodeToString(m.Sum(nil)), nil
}

func throttleSecret(ctx context.Context, db bun.IDB) ([]byte, error) {
	return settingSecret(ctx, db, settingThrottleSecret)
}

// settingSecret returns the secret kept under key in the settings table,
// making it on first use; every instance reads the same one.
func settingSecret(ctx context.Context, db bun.IDB, key string) ([]byte, error) {
	var row settingRow
	err := db.NewSelect().Model(&row).Where("key = ?", key).Scan(ctx)
	if database.IsNoRows(err) {
		b := make([]byte, 32)
		rand.Read(b)
		fresh := settingRow{Key: key, Value: hex.EncodeToString(b)}
		if _, err := db.NewInsert().Model(&fresh).On("CONFLICT (key) DO NOTHING").Exec(ctx); err != nil {
			return nil, fmt.Errorf("accounts: secret %s: %w", key, err)
		}
		err = db.NewSelect().Model(&row).Where("key = ?", key).Scan(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: secret %s: %w", key, err)
	}
	return hex.DecodeString(row.Value)
}

// throttleKeep is how long a throttle row outlives its last failure: every
// window and wait is an hour at most.
const throttleKeep = 24 * time.Hour

// DeleteExpiredThrottles forgets throttle counts whose window ended and
// whose wait is over, and returns how many; the maintenance loop calls it.
func DeleteExpiredThrottles(ctx context.Context, db bun.IDB) (int64, error) {
	now := time.Now().UTC()
	res, err := db.NewDelete().Model((*throttleRow)(nil)).
		Where("window_start < ?", now.Add(-throttleKeep)).
		Where("blocked_until IS NULL OR blocked_until < ?", now).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("accounts.DeleteExpiredThrottles: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
