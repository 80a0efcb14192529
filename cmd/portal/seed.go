package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/server"
)

// seedDemo fills a database with the demo data of every part. Each part's
// seed is idempotent: running it twice leaves one copy. The demo accounts
// that it creates are returned with their passwords; with resetPasswords,
// every demo account is, old ones included.
func seedDemo(ctx context.Context, db *bun.DB, log *slog.Logger, actor string, resetPasswords bool) ([]accounts.DemoAccount, error) {
	for _, s := range server.DemoSeeds() {
		if err := s.Run(ctx, db); err != nil {
			return nil, err
		}
		log.Debug("demo data seeded", "part", s.Part)
	}
	// The accounts come last: the officials are scoped to the demo units.
	seed := accounts.SeedDemo
	if resetPasswords {
		seed = accounts.ResetDemo
	}
	demo, err := seed(ctx, db, accounts.NewPasswords(1), actor)
	if err != nil {
		return nil, err
	}
	// These are demo credentials for a demo database, never real ones;
	// only their hashes are stored, so this is the one chance to see them.
	for _, a := range demo {
		msg := "demo account created; this password is shown only now"
		if !a.Created {
			msg = "demo account password reset; this password is shown only now"
		}
		attrs := []any{"email", a.Email, "role", a.Role, "unit", a.Unit, "password", a.Password}
		if a.TOTPSecret != "" {
			attrs = append(attrs, "totp_secret", a.TOTPSecret)
		}
		log.Warn(msg, attrs...)
	}
	return demo, nil
}

// printDemoAccounts writes the demo accounts as a table for a person to
// read, after the log lines that say the same for machines. The last
// column says whether the role must add a second factor (TOTP) at its
// first sign-in: demo accounts have no TOTP secret until then.
func printDemoAccounts(w io.Writer, demo []accounts.DemoAccount, totp map[accounts.Role]bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tEMAIL\tUNIT\tPASSWORD\tTOTP_SECRET")
	for _, a := range demo {
		unit, secret := a.Unit, a.TOTPSecret
		if unit == "" {
			unit = "-"
		}
		if secret == "" {
			secret = "-"
			if totp[a.Role] {
				secret = "set-up-at-first-sign-in"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Role, a.Email, unit, a.Password, secret)
	}
	return tw.Flush()
}

// totpRoles returns the roles that must add a second factor, or none if the
// setting cannot be read (the table is help, not a gate).
func totpRoles(ctx context.Context, db bun.IDB) map[accounts.Role]bool {
	roles, err := accounts.TOTPRequired(ctx, db)
	if err != nil {
		return nil
	}
	return roles
}

// seedCommand loads the demo data where it is missing and gives every demo
// account a new password, printed once: the way back in for whoever lost
// the passwords the first start printed, without deleting the data. The
// accounts' sessions end, since their passwords changed.
func seedCommand() command {
	return command{
		name: "seed",
		// --demo is the configuration's flag (PORTAL_DEMO), which means
		// the same here: load the demo data.
		usage: "seed --demo",
		run: func(ctx context.Context, e *env, args []string) error {
			if err := noArguments(args); err != nil {
				return err
			}
			if e.cfg.Demo == nil || !*e.cfg.Demo {
				return &usageError{"only demo data can be seeded: pass --demo"}
			}
			db, err := openDB(ctx, e.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			demo, err := seedDemo(ctx, db, e.log, "portal seed --demo", true)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Demo data loaded. The demo accounts have new passwords, shown only now (sign in at %s/vi/login):\n", e.cfg.BaseURL)
			return printDemoAccounts(e.stdout, demo, totpRoles(ctx, db))
		},
	}
}
