package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"digiportal/accounts"
	"digiportal/indicators"
)

// indicatorsImportCommand imports a value file (the Excel template's layout,
// XLSX or CSV) for any unit: the operator's bulk load of history. It checks
// every row first and writes all rows or none; --dry-run stops after the
// check. Values are saved as drafts, or submitted with --submit.
func indicatorsImportCommand() command {
	var dryRun, submit *bool
	return command{
		name:  "indicators import",
		usage: "indicators import [--dry-run] [--submit] FILE",
		flags: func(fs *flag.FlagSet) {
			dryRun = fs.Bool("dry-run", false, "check the file and report its problems without writing")
			submit = fs.Bool("submit", false, "submit the reports for approval instead of saving drafts")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 {
				return &usageError{"give exactly one FILE"}
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			db, err := openDB(ctx, e.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			any := func(context.Context, string) (bool, error) { return true, nil }
			plan, err := indicators.CheckValueFile(ctx, db, data, any, *submit)
			if err != nil {
				return tableError(err)
			}
			if len(plan.Errors) > 0 {
				return rowErrors(plan.Errors)
			}
			if *dryRun {
				fmt.Fprintf(e.stdout, "%d reports would be written; nothing was written (dry run)\n", plan.Reports)
				return nil
			}
			who := accounts.SystemActor("portal indicators import")
			if err := indicators.CommitImport(ctx, db, who, plan, *submit); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%d reports written\n", plan.Reports)
			return nil
		},
	}
}

// indicatorsGenerateCommand fills an empty database with the national-scale
// data of the benchmark (see README: the indicators benchmark).
func indicatorsGenerateCommand() command {
	var months *int
	return command{
		name:  "indicators generate",
		usage: "indicators generate [--months 48]",
		flags: func(fs *flag.FlagSet) {
			months = fs.Int("months", 48, "monthly periods of values, ending last month")
		},
		run: func(ctx context.Context, e *env, _ []string) error {
			if *months < 1 || *months > 120 {
				return &usageError{"--months must be from 1 to 120"}
			}
			db, err := openDB(ctx, e.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			n, err := db.NewSelect().Model((*indicators.Unit)(nil)).Count(ctx)
			if err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("the database already holds %d units; generate into an empty database", n)
			}
			start := time.Now()
			if err := indicators.GenerateNational(ctx, db, indicators.GenerateOptions{Months: *months, Now: time.Now(), Log: e.stdout}); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "done in %s\n", time.Since(start).Round(time.Second))
			return nil
		},
	}
}
