package content

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/i18n"
)

// Demo data: a learner who finished the first learning path, with a resume
// code and a certificate whose codes are fixed so that documentation and
// the browser checks can point at them. They exist only where SeedDemo ran.
const (
	DemoResumeCode      = "DEMQRESUMZ"
	DemoCertificateCode = "DEMQCERTXAMP2EW"
	// demoHolder is the placeholder name Vietnamese forms use, like
	// "John Doe": it names nobody.
	demoHolder = "Nguyễn Văn A"
	// demoMonths is how many past months of usage counts the demo shows.
	demoMonths = 6
)

// SeedDemo fills the demo learner, certificate and some months of usage
// counts. Running it again changes nothing.
func SeedDemo(ctx context.Context, db bun.IDB) error {
	lib, err := LoadEmbedded()
	if err != nil {
		return fmt.Errorf("content.SeedDemo: %w", err)
	}
	return seedDemo(ctx, db, lib, time.Now())
}

func seedDemo(ctx context.Context, db bun.IDB, lib *Library, now time.Time) error {
	if len(lib.Paths) == 0 {
		return nil
	}
	path := lib.Paths[0]
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l := &Learner{ResumeCode: DemoResumeCode, CreatedAt: now.UTC().AddDate(0, 0, -30), LastSeenAt: now.UTC()}
		if _, err := tx.NewInsert().Model(l).On("CONFLICT (resume_code) DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		l, err := LearnerByResumeCode(ctx, tx, DemoResumeCode)
		if err != nil {
			return err
		}
		var lessons []CertifiedLesson
		for i, slug := range path.Lessons {
			at := now.UTC().AddDate(0, 0, -len(path.Lessons)+i)
			c := &completion{LearnerID: l.ID, Slug: slug, CompletedAt: at}
			if _, err := tx.NewInsert().Model(c).On("CONFLICT (learner_id, slug) DO NOTHING").Exec(ctx); err != nil {
				return err
			}
			lesson, _ := lib.Lesson(slug)
			lessons = append(lessons, CertifiedLesson{Slug: slug, TitleVI: lesson.In(i18n.VI).Title, TitleEN: lesson.In(i18n.EN).Title, CompletedAt: at})
		}
		lj, err := json.Marshal(lessons)
		if err != nil {
			return err
		}
		cert := &Certificate{
			Code: DemoCertificateCode, LearnerID: l.ID, PathSlug: path.Slug,
			PathNameVI: path.Name[i18n.VI], PathNameEN: path.Name[i18n.EN],
			HolderName: demoHolder, LessonsJSON: string(lj), IssuedAt: now.UTC(),
		}
		if _, err := tx.NewInsert().Model(cert).On("CONFLICT (code) DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		return seedUsage(ctx, tx, lib, now)
	})
	if err != nil {
		return fmt.Errorf("content.SeedDemo: %w", err)
	}
	return nil
}

// seedUsage invents plausible, varied counts for the past months, so the
// officials' report has something to show. Existing counts are kept.
func seedUsage(ctx context.Context, db bun.IDB, lib *Library, now time.Time) error {
	months := Months(now.AddDate(0, -demoMonths+1, 0), now)
	for m, month := range months {
		for i, l := range lib.Lessons {
			views := int64(15 + (i*37+m*53)%90 + m*6)
			row := &usageRow{Month: month, Slug: l.Slug, Views: views, Completions: views * int64(25+(i*11+m*7)%30) / 100}
			if _, err := db.NewInsert().Model(row).On("CONFLICT (month, slug) DO NOTHING").Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}
