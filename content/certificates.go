package content

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"digiportal/database"
	"digiportal/i18n"
)

// Certificate records that a learner finished a learning path. It keeps its
// own copy of the path's names and lessons, so that verifying it shows what
// was issued, whatever the content says later.
type Certificate struct {
	bun.BaseModel `bun:"table:lesson_certificates"`
	Code          string    `bun:"code,pk"` // canonical, see ParseCertificateCode
	LearnerID     int64     `bun:"learner_id,nullzero"`
	PathSlug      string    `bun:"path_slug,notnull"`
	PathNameVI    string    `bun:"path_name_vi,notnull"`
	PathNameEN    string    `bun:"path_name_en,notnull"`
	HolderName    string    `bun:"holder_name,notnull"`
	LessonsJSON   string    `bun:"lessons,notnull"`
	IssuedAt      time.Time `bun:"issued_at,notnull"`
	WithdrawnAt   time.Time `bun:"withdrawn_at,nullzero"`

	Lessons []CertifiedLesson `bun:"-"`
}

// CertifiedLesson is a lesson as a certificate records it.
type CertifiedLesson struct {
	Slug        string    `json:"slug"`
	TitleVI     string    `json:"title_vi"`
	TitleEN     string    `json:"title_en"`
	CompletedAt time.Time `json:"completed_at"`
}

// Title returns the lesson's recorded title in lang.
func (c CertifiedLesson) Title(lang i18n.Lang) string {
	if lang == i18n.EN {
		return c.TitleEN
	}
	return c.TitleVI
}

// PathName returns the recorded name of the path in lang.
func (c *Certificate) PathName(lang i18n.Lang) string {
	if lang == i18n.EN {
		return c.PathNameEN
	}
	return c.PathNameVI
}

// Withdrawn reports whether the holder withdrew the certificate.
func (c *Certificate) Withdrawn() bool { return !c.WithdrawnAt.IsZero() }

// FormattedCode is the code in groups of five, as printed.
func (c *Certificate) FormattedCode() string { return FormatCode(c.Code) }

// Errors of issuing a certificate.
var (
	// ErrPathIncomplete: the learner has not passed every lesson of the path.
	ErrPathIncomplete = errors.New("content: the learning path is not complete")
	// ErrHolderName: the name to print is empty, too long or holds
	// characters that do not belong in a name.
	ErrHolderName = errors.New("content: unsuitable name for a certificate")
)

// MaxHolderName is the longest name a certificate prints, in characters.
const MaxHolderName = 80

// CleanHolderName trims a name and joins its inner spaces, and refuses one
// that is empty, longer than MaxHolderName or holds control characters.
func CleanHolderName(s string) (string, error) {
	name := strings.Join(strings.Fields(s), " ")
	if name == "" || utf8.RuneCountInString(name) > MaxHolderName || !utf8.ValidString(name) {
		return "", ErrHolderName
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", ErrHolderName
		}
	}
	return name, nil
}

// IssueCertificate issues a certificate of the path to the learner under
// the name given, after checking that every lesson of the path is passed.
// A learner holds at most one certificate per path: asking again, under any
// name, returns the one already issued (a double click or a second visit
// makes no second certificate). To have another name printed, the learner
// withdraws the first certificate, which frees the path.
func IssueCertificate(ctx context.Context, db bun.IDB, lib *Library, learnerID int64, pathSlug, holder string, now time.Time) (*Certificate, error) {
	name, err := CleanHolderName(holder)
	if err != nil {
		return nil, err
	}
	path, ok := lib.Path(pathSlug)
	if !ok {
		return nil, fmt.Errorf("content.IssueCertificate: path %q: %w", pathSlug, database.ErrNotFound)
	}
	var cert *Certificate
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Two requests at once (a double click) queue on the learner's row,
		// so the second sees the first's certificate.
		var id int64
		if err := database.ForUpdate(tx.NewSelect().Model((*Learner)(nil)).Column("id").Where("id = ?", learnerID)).Scan(ctx, &id); err != nil {
			return notFound("learner", err)
		}
		done, err := Completions(ctx, tx, learnerID)
		if err != nil {
			return err
		}
		var lessons []CertifiedLesson
		for _, slug := range path.Lessons {
			at, ok := done[slug]
			if !ok {
				return ErrPathIncomplete
			}
			l, _ := lib.Lesson(slug)
			lessons = append(lessons, CertifiedLesson{Slug: slug, TitleVI: l.In(i18n.VI).Title, TitleEN: l.In(i18n.EN).Title, CompletedAt: at.UTC()})
		}
		existing := new(Certificate)
		err = tx.NewSelect().Model(existing).
			Where("learner_id = ?", learnerID).Where("path_slug = ?", pathSlug).
			Where("withdrawn_at IS NULL").
			Order("issued_at", "code").Limit(1).Scan(ctx)
		if err == nil {
			cert = existing
			return existing.decode()
		}
		if !database.IsNoRows(err) {
			return err
		}
		lj, err := json.Marshal(lessons)
		if err != nil {
			return err
		}
		for range codeAttempts {
			code, err := NewCertificateCode()
			if err != nil {
				return err
			}
			c := &Certificate{
				Code: code, LearnerID: learnerID, PathSlug: pathSlug,
				PathNameVI: path.Name[i18n.VI], PathNameEN: path.Name[i18n.EN],
				HolderName: name, LessonsJSON: string(lj), Lessons: lessons, IssuedAt: now.UTC(),
			}
			res, err := tx.NewInsert().Model(c).On("CONFLICT (code) DO NOTHING").Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				cert = c
				return nil
			}
		}
		return fmt.Errorf("no free certificate code after %d attempts", codeAttempts)
	})
	if err != nil {
		if errors.Is(err, ErrPathIncomplete) {
			return nil, err
		}
		return nil, fmt.Errorf("content.IssueCertificate: %w", err)
	}
	return cert, nil
}

func (c *Certificate) decode() error {
	if err := json.Unmarshal([]byte(c.LessonsJSON), &c.Lessons); err != nil {
		return fmt.Errorf("certificate %s: lessons: %w", c.Code, err)
	}
	return nil
}

// CertificateByCode returns the certificate with a canonical code, or
// database.ErrNotFound. A withdrawn certificate is returned too, with its
// name erased, so the verify page can say it was withdrawn.
func CertificateByCode(ctx context.Context, db bun.IDB, code string) (*Certificate, error) {
	c := new(Certificate)
	if err := db.NewSelect().Model(c).Where("code = ?", code).Scan(ctx); err != nil {
		return nil, notFound("content.CertificateByCode", err)
	}
	if err := c.decode(); err != nil {
		return nil, fmt.Errorf("content.CertificateByCode: %w", err)
	}
	return c, nil
}

// CertificatesOf returns the learner's certificates, newest first, withdrawn
// ones left out.
func CertificatesOf(ctx context.Context, db bun.IDB, learnerID int64) ([]*Certificate, error) {
	var out []*Certificate
	err := db.NewSelect().Model(&out).Where("learner_id = ?", learnerID).Where("withdrawn_at IS NULL").
		Order("issued_at DESC", "code").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("content.CertificatesOf: %w", err)
	}
	for _, c := range out {
		if err := c.decode(); err != nil {
			return nil, fmt.Errorf("content.CertificatesOf: %w", err)
		}
	}
	return out, nil
}

// WithdrawCertificate withdraws the learner's own certificate: the name on
// it is erased, and the verify page says it was withdrawn. A code that is
// not the learner's is database.ErrNotFound.
func WithdrawCertificate(ctx context.Context, db bun.IDB, code string, learnerID int64, now time.Time) error {
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		exists, err := tx.NewSelect().Model((*Certificate)(nil)).Where("code = ?", code).Where("learner_id = ?", learnerID).Where("withdrawn_at IS NULL").Exists(ctx)
		if err != nil {
			return err
		}
		if !exists {
			return database.ErrNotFound
		}
		return withdrawWhere(ctx, tx, now, "code = ?", code)
	})
	if err != nil {
		return fmt.Errorf("content.WithdrawCertificate: %w", err)
	}
	return nil
}

func withdrawWhere(ctx context.Context, db bun.IDB, now time.Time, where string, arg any) error {
	_, err := db.NewUpdate().Model((*Certificate)(nil)).
		Set("holder_name = ''").Set("withdrawn_at = ?", now.UTC()).
		Where(where, arg).Where("withdrawn_at IS NULL").Exec(ctx)
	return err
}

// CertificatesIssued counts certificates by the month they were issued
// (Asia/Ho_Chi_Minh), for months in [from, to] given as "YYYY-MM".
func CertificatesIssued(ctx context.Context, db bun.IDB, from, to string) (map[string]int64, error) {
	start, end, err := monthRange(from, to)
	if err != nil {
		return nil, fmt.Errorf("content.CertificatesIssued: %w", err)
	}
	var times []time.Time
	if err := db.NewSelect().Model((*Certificate)(nil)).Column("issued_at").
		Where("issued_at >= ?", start).Where("issued_at < ?", end).Scan(ctx, &times); err != nil {
		return nil, fmt.Errorf("content.CertificatesIssued: %w", err)
	}
	out := map[string]int64{}
	for _, t := range times {
		out[MonthOf(t)]++
	}
	return out, nil
}
