package indicators

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/database/dbtest"
)

// TestKeptUploadsAreBounded: a person keeps only the newest
// MaxPendingUploads checked files, others' files stay, and SweepUploads
// removes what is older than UploadLifetime.
func TestKeptUploadsAreBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		rows := []ImportRow{{Row: 2, UnitCode: "26506", Period: "2024-01", Values: Values{1: 1000}}}
		theirs, err := KeepUpload(ctx, db, 8, "b.csv", rows)
		if err != nil {
			t.Fatal(err)
		}
		var mine []string
		for range MaxPendingUploads + 4 {
			token, err := KeepUpload(ctx, db, 7, "a.csv", rows)
			if err != nil {
				t.Fatal(err)
			}
			mine = append(mine, token)
		}
		h, err := PendingUploads(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if h.Files != MaxPendingUploads+1 || h.Bytes <= 0 {
			t.Errorf("kept %+v, want %d files", h, MaxPendingUploads+1)
		}
		dropped := len(mine) - MaxPendingUploads
		for i, token := range mine {
			_, _, err := TakeUpload(ctx, db, 7, token)
			if i < dropped && !errors.Is(err, database.ErrNotFound) {
				t.Errorf("check %d of %d is still kept (%v), want it dropped", i+1, len(mine), err)
			}
			if i >= dropped && err != nil {
				t.Errorf("check %d of %d: %v, want it kept", i+1, len(mine), err)
			}
		}
		if n, err := SweepUploads(ctx, db, time.Now()); err != nil || n != 0 {
			t.Errorf("SweepUploads now = %d, %v; want nothing removed", n, err)
		}
		if n, err := SweepUploads(ctx, db, time.Now().Add(UploadLifetime+time.Minute)); err != nil || n != 1 {
			t.Errorf("SweepUploads a day later = %d, %v; want the other person's file removed", n, err)
		}
		if _, _, err := TakeUpload(ctx, db, 8, theirs); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("a swept file was taken: %v", err)
		}
	})
}
