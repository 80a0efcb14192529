package indicators

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Bounds of the checked files kept between a dry run and its commit: each
// clean dry run keeps its rows, so without them anyone allowed to import
// could fill the database by checking files again and again.
const (
	// MaxPendingUploads is how many checked files one person keeps; a
	// new one drops the oldest. Three allow checking a corrected file, or
	// the files of two months, before committing the first.
	MaxPendingUploads = 3
	// UploadLifetime is how long a checked file waits for its commit. The
	// maintenance loop removes older ones (SweepUploads), and so does the
	// next dry run of anyone.
	UploadLifetime = 24 * time.Hour
)

// keepNewestUploads removes userID's checked files but the newest
// MaxPendingUploads.
func keepNewestUploads(ctx context.Context, db bun.IDB, userID int64) error {
	newest := db.NewSelect().Model((*upload)(nil)).Column("token").Where("user_id = ?", userID).
		OrderExpr("created_at DESC, token DESC").Limit(MaxPendingUploads)
	_, err := db.NewDelete().Model((*upload)(nil)).Where("user_id = ?", userID).Where("token NOT IN (?)", newest).Exec(ctx)
	return err
}

// SweepUploads removes the checked files older than UploadLifetime at now
// and returns how many; the maintenance loop calls it, so files nobody
// commits go even when nobody checks another.
func SweepUploads(ctx context.Context, db bun.IDB, now time.Time) (int64, error) {
	res, err := db.NewDelete().Model((*upload)(nil)).Where("created_at < ?", now.UTC().Add(-UploadLifetime)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("indicators.SweepUploads: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// UploadHoldings is what the checked files waiting for their commit take.
type UploadHoldings struct {
	Files int64 // files kept
	Bytes int64 // bytes of their rows as stored
}

// PendingUploads counts the checked files kept and the bytes of their
// rows, for the portal's metrics.
func PendingUploads(ctx context.Context, db bun.IDB) (UploadHoldings, error) {
	var h UploadHoldings
	err := db.NewSelect().Model((*upload)(nil)).
		ColumnExpr("count(*)").ColumnExpr("COALESCE(SUM(length(data)), 0)").
		Scan(ctx, &h.Files, &h.Bytes)
	if err != nil {
		return h, fmt.Errorf("indicators.PendingUploads: %w", err)
	}
	return h, nil
}
