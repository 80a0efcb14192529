package main

import (
	"context"
	"log/slog"

	"github.com/uptrace/bun"
)

// seedDemo fills a database with the demo data of every part. Each part's
// seed is idempotent: running it twice leaves one copy.
func seedDemo(ctx context.Context, db *bun.DB, log *slog.Logger) error {
	for _, seed := range demoSeeds() {
		if err := seed.run(ctx, db, log); err != nil {
			return err
		}
	}
	return nil
}

type demoSeed struct {
	name string
	run  func(ctx context.Context, db *bun.DB, log *slog.Logger) error
}

// demoSeeds lists the parts' demo seeds in the order they depend on each
// other: units before accounts scoped to them, definitions before values.
func demoSeeds() []demoSeed {
	return nil
}
