package server

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"digiportal/assessments"
	"digiportal/content"
	"digiportal/indicators"
	"digiportal/payments"
	"digiportal/teams"
)

// DemoSeed loads one part's demo data; each is idempotent.
type DemoSeed struct {
	Part string
	Run  func(ctx context.Context, db bun.IDB) error
}

// DemoSeeds lists the parts' demo data in the order they depend on each
// other: units first, since accounts and values refer to them. The portal
// command and the browser checks both use this list, so the pages the
// checks visit are the pages a demo portal shows. Demo accounts are seeded
// by the command, which prints their passwords once.
func DemoSeeds() []DemoSeed {
	return []DemoSeed{
		{"indicators", indicators.SeedDemo},
		{"lessons", content.SeedDemo},
		{"assessments", func(ctx context.Context, db bun.IDB) error {
			// The demo businesses are in the demo units seeded above.
			return assessments.SeedDemo(ctx, db, unitAreas{db: db, now: time.Now})
		}},
		{"payments", payments.SeedDemo},
		{"teams", func(ctx context.Context, db bun.IDB) error {
			// A team in the commune the browser checks' commune official
			// works in (the home province's first commune today).
			home, err := indicators.HomeUnit(ctx, db)
			if err != nil || home == "" {
				return err
			}
			communes, err := indicators.Children(ctx, db, home, indicators.Today(time.Now()))
			if err != nil || len(communes) == 0 {
				return err
			}
			return teams.SeedDemo(ctx, db, communes[0].Code)
		}},
	}
}
