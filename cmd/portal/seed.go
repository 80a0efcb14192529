package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/server"
)

// seedDemo fills a database with the demo data of every part. Each part's
// seed is idempotent: running it twice leaves one copy.
func seedDemo(ctx context.Context, db *bun.DB, log *slog.Logger) error {
	for _, seed := range demoSeeds() {
		if err := seed.run(ctx, db, log); err != nil {
			return err
		}
		log.Debug("demo data seeded", "part", seed.name)
	}
	return nil
}

type demoSeed struct {
	name string
	run  func(ctx context.Context, db *bun.DB, log *slog.Logger) error
}

// demoSeeds lists the parts' demo seeds (server.DemoSeeds, in dependency
// order) and then the demo accounts, scoped to the demo units.
func demoSeeds() []demoSeed {
	var out []demoSeed
	for _, s := range server.DemoSeeds() {
		out = append(out, demoSeed{s.Part, func(ctx context.Context, db *bun.DB, _ *slog.Logger) error { return s.Run(ctx, db) }})
	}
	return append(out, demoSeed{"accounts", seedDemoAccounts})
}

// seedDemoAccounts creates the demo logins and prints each new one once to
// the log: these are demo credentials for a demo database, never real ones.
func seedDemoAccounts(ctx context.Context, db *bun.DB, log *slog.Logger) error {
	created, err := accounts.SeedDemo(ctx, db, accounts.NewPasswords(1))
	if err != nil {
		return err
	}
	for _, a := range created {
		log.Warn("demo account created; this password is shown only now",
			"email", a.Email, "role", a.Role, "unit", a.Unit, "password", a.Password)
	}
	return nil
}

func seedCommand() command {
	var demo *bool
	return command{
		name:  "seed",
		usage: "seed --demo",
		flags: func(fs *flag.FlagSet) { demo = fs.Bool("demo", false, "load the demo data of every part") },
		run: func(ctx context.Context, e *env, _ []string) error {
			if !*demo {
				return &usageError{"only demo data can be seeded: pass --demo"}
			}
			db, err := openDB(ctx, e.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			return seedDemo(ctx, db, e.log)
		},
	}
}
