package indicators

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// DataHolder lets account export and deletion reach what the indicators
// part keeps about an official (it satisfies accounts.DataHolder): the
// reports they last changed, and their uploads waiting to be committed.
type DataHolder struct{}

// UserExport is what the indicators part holds about a user.
type UserExport struct {
	Reports []ExportReport `json:"reports_last_changed"`
}

// ExportReport is one report the user last changed.
type ExportReport struct {
	ID        int64     `json:"id"`
	Period    string    `json:"period"`
	Status    string    `json:"status"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ExportUser returns the reports the user last changed.
func (DataHolder) ExportUser(ctx context.Context, db bun.IDB, userID int64) (any, error) {
	var rows []Report
	if err := db.NewSelect().Model(&rows).Where("updated_by = ?", userID).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("indicators.ExportUser: %w", err)
	}
	out := UserExport{Reports: []ExportReport{}}
	for _, r := range rows {
		out.Reports = append(out.Reports, ExportReport{ID: r.ID, Period: r.Period, Status: string(r.Status), UpdatedAt: r.UpdatedAt})
	}
	return out, nil
}

// ForgetUser keeps the reports, which are the province's record, with an
// anonymous author (0, as a report no one has touched), and drops the
// user's uploads waiting to be committed.
func (DataHolder) ForgetUser(ctx context.Context, db bun.IDB, userID int64) error {
	if _, err := db.NewUpdate().Model((*Report)(nil)).Set("updated_by = 0").Where("updated_by = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("indicators.ForgetUser: %w", err)
	}
	if _, err := db.NewDelete().TableExpr("indicator_uploads").Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("indicators.ForgetUser: uploads: %w", err)
	}
	return nil
}
