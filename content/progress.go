package content

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// ProgressPurpose is the accounts consent under which lesson progress is
// kept under an account (accounts.Purposes). Without it a signed-in user
// learns as a visitor does: the progress belongs to the browser's session
// and its resume code, and nothing links it to the account.
const ProgressPurpose = "progress"

// ErrNoConsent: the user has not consented to keeping progress under the
// account, so no learner of theirs is made.
var ErrNoConsent = errors.New("content: no consent to keep progress under the account")

// KeepsProgress reports whether the user consents now to keeping lesson
// progress under the account.
func KeepsProgress(ctx context.Context, db bun.IDB, userID int64) (bool, error) {
	return accounts.HasConsent(ctx, db, userID, ProgressPurpose)
}

// Learner is whoever takes lessons: a visitor without an account, known by
// the session and by a resume code, or a user, known by the user ID. No
// name or other personal data is kept.
type Learner struct {
	bun.BaseModel `bun:"table:lesson_learners"`
	ID            int64     `bun:"id,pk,autoincrement"`
	ResumeCode    string    `bun:"resume_code,nullzero"` // canonical; empty for a user
	UserID        int64     `bun:"user_id,nullzero"`     // 0 without an account
	CreatedAt     time.Time `bun:"created_at,notnull"`
	LastSeenAt    time.Time `bun:"last_seen_at,notnull"`
}

// completion is one lesson passed by one learner.
type completion struct {
	bun.BaseModel `bun:"table:lesson_completions"`
	LearnerID     int64     `bun:"learner_id,pk"`
	Slug          string    `bun:"slug,pk"`
	CompletedAt   time.Time `bun:"completed_at,notnull"`
}

// codeAttempts is how often to draw a new code when one is already taken;
// with 31⁹ resume codes a second draw is already a curiosity.
const codeAttempts = 5

// NewLearner creates a learner without an account, with a fresh resume code.
func NewLearner(ctx context.Context, db bun.IDB, now time.Time) (*Learner, error) {
	for range codeAttempts {
		code, err := NewResumeCode()
		if err != nil {
			return nil, err
		}
		l := &Learner{ResumeCode: code, CreatedAt: now.UTC(), LastSeenAt: now.UTC()}
		_, err = db.NewInsert().Model(l).Exec(ctx)
		if err == nil {
			return l, nil
		}
		// Only a taken code is worth another draw.
		if taken, cerr := db.NewSelect().Model((*Learner)(nil)).Where("resume_code = ?", code).Exists(ctx); cerr != nil || !taken {
			return nil, fmt.Errorf("content.NewLearner: %w", err)
		}
	}
	return nil, fmt.Errorf("content.NewLearner: no free resume code after %d attempts", codeAttempts)
}

// LearnerByID returns a learner or database.ErrNotFound.
func LearnerByID(ctx context.Context, db bun.IDB, id int64) (*Learner, error) {
	l := new(Learner)
	if err := db.NewSelect().Model(l).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound("content.LearnerByID", err)
	}
	return l, nil
}

// LearnerByResumeCode returns the learner with a resume code (canonical, as
// ParseResumeCode returns it) or database.ErrNotFound.
func LearnerByResumeCode(ctx context.Context, db bun.IDB, code string) (*Learner, error) {
	l := new(Learner)
	if err := db.NewSelect().Model(l).Where("resume_code = ?", code).Scan(ctx); err != nil {
		return nil, notFound("content.LearnerByResumeCode", err)
	}
	return l, nil
}

// LearnerForUser returns the learner of a user or database.ErrNotFound.
func LearnerForUser(ctx context.Context, db bun.IDB, userID int64) (*Learner, error) {
	l := new(Learner)
	if err := db.NewSelect().Model(l).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return nil, notFound("content.LearnerForUser", err)
	}
	return l, nil
}

// EnsureUserLearner returns the learner of a user, creating it if needed,
// when the user consents to keeping progress (ErrNoConsent otherwise).
func EnsureUserLearner(ctx context.Context, db bun.IDB, userID int64, now time.Time) (*Learner, error) {
	ok, err := KeepsProgress(ctx, db, userID)
	if err != nil {
		return nil, fmt.Errorf("content.EnsureUserLearner: %w", err)
	}
	if !ok {
		return nil, ErrNoConsent
	}
	l := &Learner{UserID: userID, CreatedAt: now.UTC(), LastSeenAt: now.UTC()}
	if _, err := db.NewInsert().Model(l).On("CONFLICT (user_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, fmt.Errorf("content.EnsureUserLearner: %w", err)
	}
	return LearnerForUser(ctx, db, userID)
}

// notFound turns "no rows" into database.ErrNotFound, wrapped with where.
func notFound(where string, err error) error {
	if database.IsNoRows(err) {
		return fmt.Errorf("%s: %w", where, database.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", where, err)
}

// Completions returns when the learner first passed each lesson, by slug.
func Completions(ctx context.Context, db bun.IDB, learnerID int64) (map[string]time.Time, error) {
	var rows []completion
	if err := db.NewSelect().Model(&rows).Where("learner_id = ?", learnerID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("content.Completions: %w", err)
	}
	out := make(map[string]time.Time, len(rows))
	for _, r := range rows {
		out[r.Slug] = r.CompletedAt
	}
	return out, nil
}

// RecordPass notes that the learner passed the lesson's quiz. Only the first
// pass counts, as a completion in this month's usage; first reports whether
// this was it. It runs in one transaction.
func RecordPass(ctx context.Context, db bun.IDB, learnerID int64, slug string, now time.Time) (first bool, err error) {
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c := &completion{LearnerID: learnerID, Slug: slug, CompletedAt: now.UTC()}
		res, err := tx.NewInsert().Model(c).On("CONFLICT (learner_id, slug) DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			first = true
			if err := addUsage(ctx, tx, slug, now, 0, 1); err != nil {
				return err
			}
		}
		_, err = tx.NewUpdate().Model((*Learner)(nil)).Set("last_seen_at = ?", now.UTC()).Where("id = ?", learnerID).Exec(ctx)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("content.RecordPass: %w", err)
	}
	return first, nil
}

// ErrNotAnonymous: a learner that belongs to a user cannot be merged into
// another learner, so a resume code can never take over an account's
// progress.
var ErrNotAnonymous = errors.New("content: learner belongs to an account")

// MergeLearners moves everything of the anonymous learner from into the
// learner into: completions (the earlier date wins), certificates. Then it
// deletes from, so its resume code stops working. One transaction.
func MergeLearners(ctx context.Context, db bun.IDB, from, into int64) error {
	if from == into {
		return nil
	}
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		src, err := LearnerByID(ctx, tx, from)
		if err != nil {
			return err
		}
		if src.UserID != 0 {
			return ErrNotAnonymous
		}
		if _, err := LearnerByID(ctx, tx, into); err != nil {
			return err
		}
		theirs, err := Completions(ctx, tx, from)
		if err != nil {
			return err
		}
		ours, err := Completions(ctx, tx, into)
		if err != nil {
			return err
		}
		for slug, at := range theirs {
			if mine, ok := ours[slug]; ok && !at.Before(mine) {
				continue
			}
			c := &completion{LearnerID: into, Slug: slug, CompletedAt: at.UTC()}
			if _, err := tx.NewInsert().Model(c).On("CONFLICT (learner_id, slug) DO UPDATE").Set("completed_at = EXCLUDED.completed_at").Exec(ctx); err != nil {
				return err
			}
		}
		if _, err := tx.NewUpdate().Model((*Certificate)(nil)).Set("learner_id = ?", into).Where("learner_id = ?", from).Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewDelete().Model((*Learner)(nil)).Where("id = ?", from).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("content.MergeLearners: %w", err)
	}
	return nil
}

// MergeProgress is called at sign-in: the progress of the session's
// anonymous learner (fromLearnerID, 0 when the session had none) joins the
// user's own, and the user's learner ID is returned. A fromLearnerID that
// belongs to an account is left alone. Without the user's consent to keep
// progress nothing is merged and 0 is returned: the progress stays the
// session's.
func MergeProgress(ctx context.Context, db bun.IDB, fromLearnerID, userID int64, now time.Time) (int64, error) {
	ok, err := KeepsProgress(ctx, db, userID)
	if err != nil || !ok {
		return 0, err
	}
	var id int64
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l, err := EnsureUserLearner(ctx, tx, userID, now)
		if err != nil {
			return err
		}
		id = l.ID
		if fromLearnerID == 0 || fromLearnerID == l.ID {
			return nil
		}
		err = MergeLearners(ctx, tx, fromLearnerID, l.ID)
		if errors.Is(err, ErrNotAnonymous) || errors.Is(err, database.ErrNotFound) {
			return nil // a stale or foreign session value: nothing to merge
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("content.MergeProgress: %w", err)
	}
	return id, nil
}

// DetachUserLearner cuts a user's learner loose from the account when the
// consent is withdrawn: it becomes a visitor's learner with a fresh resume
// code, and its ID is returned (0 when the user had none) so that the
// browser that withdrew keeps its progress. Unseen, it goes with the other
// stale learners.
func DetachUserLearner(ctx context.Context, db bun.IDB, userID int64) (int64, error) {
	l, err := LearnerForUser(ctx, db, userID)
	if errors.Is(err, database.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	code, err := NewResumeCode()
	if err != nil {
		return 0, err
	}
	if _, err := db.NewUpdate().Model((*Learner)(nil)).Set("user_id = NULL").Set("resume_code = ?", code).Where("id = ?", l.ID).Exec(ctx); err != nil {
		return 0, fmt.Errorf("content.DetachUserLearner: %w", err)
	}
	return l.ID, nil
}

// DeleteUserProgress erases a user's lesson data when the account is
// deleted: the certificates issued to the user are withdrawn (the name on
// them erased) and the learner with its completions is deleted. Usage
// counts, which name nobody, stay.
func DeleteUserProgress(ctx context.Context, db bun.IDB, userID int64, now time.Time) error {
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l, err := LearnerForUser(ctx, tx, userID)
		if errors.Is(err, database.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := withdrawWhere(ctx, tx, now, "learner_id = ?", l.ID); err != nil {
			return err
		}
		_, err = tx.NewDelete().Model((*Learner)(nil)).Where("id = ?", l.ID).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("content.DeleteUserProgress: %w", err)
	}
	return nil
}

// DeleteStaleLearners deletes anonymous learners not seen since before,
// with their completions; their certificates stay valid. It returns how
// many it deleted. A resume code is meant for days or weeks, not years.
func DeleteStaleLearners(ctx context.Context, db bun.IDB, before time.Time) (int64, error) {
	res, err := db.NewDelete().Model((*Learner)(nil)).Where("user_id IS NULL").Where("last_seen_at < ?", before.UTC()).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("content.DeleteStaleLearners: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// Touch notes that a learner came back, which keeps DeleteStaleLearners
// away from them.
func Touch(ctx context.Context, db bun.IDB, learnerID int64, now time.Time) error {
	if _, err := db.NewUpdate().Model((*Learner)(nil)).Set("last_seen_at = ?", now.UTC()).Where("id = ?", learnerID).Exec(ctx); err != nil {
		return fmt.Errorf("content.Touch: %w", err)
	}
	return nil
}
