package content

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// DataHolder lets account export and deletion reach lesson data (it
// satisfies accounts.DataHolder): the lessons a user passed and the
// certificates issued to them.
type DataHolder struct{}

// UserExport is what the lessons part holds about a user.
type UserExport struct {
	Completions  []ExportCompletion  `json:"lessons_completed"`
	Certificates []ExportCertificate `json:"certificates"`
}

// ExportCompletion is one lesson a user passed.
type ExportCompletion struct {
	Lesson      string    `json:"lesson"`
	CompletedAt time.Time `json:"completed_at"`
}

// ExportCertificate is one certificate issued to a user.
type ExportCertificate struct {
	Code       string    `json:"code"`
	Path       string    `json:"learning_path"`
	HolderName string    `json:"name_printed"`
	IssuedAt   time.Time `json:"issued_at"`
}

// ExportUser returns the user's completions and certificates.
func (DataHolder) ExportUser(ctx context.Context, db bun.IDB, userID int64) (any, error) {
	out := UserExport{Completions: []ExportCompletion{}, Certificates: []ExportCertificate{}}
	l, err := LearnerForUser(ctx, db, userID)
	if errors.Is(err, database.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("content.ExportUser: %w", err)
	}
	var rows []completion
	if err := db.NewSelect().Model(&rows).Where("learner_id = ?", l.ID).Order("completed_at", "slug").Scan(ctx); err != nil {
		return nil, fmt.Errorf("content.ExportUser: %w", err)
	}
	for _, r := range rows {
		out.Completions = append(out.Completions, ExportCompletion{Lesson: r.Slug, CompletedAt: r.CompletedAt})
	}
	certs, err := CertificatesOf(ctx, db, l.ID)
	if err != nil {
		return nil, fmt.Errorf("content.ExportUser: %w", err)
	}
	for _, c := range certs {
		out.Certificates = append(out.Certificates, ExportCertificate{Code: FormatCode(c.Code), Path: c.PathSlug, HolderName: c.HolderName, IssuedAt: c.IssuedAt})
	}
	return out, nil
}

// ForgetUser withdraws the user's certificates (erasing the names on them)
// and deletes their progress.
func (DataHolder) ForgetUser(ctx context.Context, db bun.IDB, userID int64) error {
	return DeleteUserProgress(ctx, db, userID, time.Now())
}
