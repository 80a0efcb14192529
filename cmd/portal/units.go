package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

// unitsImportCommand imports the statistics office's administrative-unit
// list (CSV or XLSX) as of a day, or with --mapping a successor mapping of
// a reorganisation that took effect on that day, in one transaction, and
// rebuilds the indicators' roll-ups. Importing the same file twice changes
// nothing.
func unitsImportCommand() command {
	var day *string
	var mapping, complete, dryRun *bool
	return command{
		name:  "units import",
		usage: "units import --day YYYY-MM-DD [--mapping] [--complete] [--dry-run] FILE",
		flags: func(fs *flag.FlagSet) {
			day = fs.String("day", "", "the day the list is valid from, or the day the mapped reorganisation took effect")
			mapping = fs.Bool("mapping", false, "FILE is a successor mapping (Mã cũ, Mã mới, Loại, Tỷ lệ)")
			complete = fs.Bool("complete", false, "FILE is the whole country: units missing from it end on --day")
			dryRun = fs.Bool("dry-run", false, "say what the import would change, and keep nothing")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 {
				return &usageError{"give exactly one FILE"}
			}
			if !indicators.ValidDay(*day) {
				return &usageError{"--day must be a day such as 2025-07-01"}
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
			start := time.Now()
			f := indicators.UnitFile{Kind: indicators.UnitList, Day: *day, Complete: *complete, DryRun: *dryRun, Name: filepath.Base(args[0]), Data: data}
			if *mapping {
				f.Kind = indicators.SuccessorMapping
			}
			res, errs, err := indicators.ImportUnitFile(ctx, db, accounts.SystemActor("portal units import"), &f, time.Now())
			if err != nil {
				return tableError(err)
			}
			if len(errs) > 0 {
				return rowErrors(errs)
			}
			summary := fmt.Sprintf("mapping: %d old units replaced, %d unchanged", res.Mappings.Replaced, res.Mappings.Unchanged)
			if res.Kind == indicators.UnitList {
				u := res.Units
				summary = fmt.Sprintf("units: %d created, %d changed, %d unchanged, %d ended", u.Created, u.Changed, u.Unchanged, u.Closed)
				if u.Extended > 0 {
					summary += fmt.Sprintf("; %d already known from a later day, now valid from --day", u.Extended)
				}
				if u.Renamed > 0 {
					summary += fmt.Sprintf("; %d renamed, linked only by a mapping", u.Renamed)
				}
			}
			if res.DryRun {
				summary = "dry run, nothing kept: " + summary
			}
			fmt.Fprintf(e.stdout, "%s (%s)\n", summary, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
}

// rowErrors reports a file's problems, row by row in English, and fails
// the command.
func rowErrors(errs []indicators.RowError) error {
	bundle, err := i18n.NewBundle()
	if err != nil {
		return err
	}
	l := bundle.Localizer(i18n.EN)
	for _, e := range errs {
		fmt.Fprintf(os.Stderr, "row %d, column %s, value %q: %s\n", e.Row, e.Column, e.Value,
			l.T(e.MsgID, "Name", e.Column, "Other", e.Other, "Row", e.Row, "Ref", e.Ref))
	}
	if len(errs) > indicators.MaxRowErrors {
		return fmt.Errorf("the file has more than %d problems; nothing was imported", indicators.MaxRowErrors)
	}
	return fmt.Errorf("the file has %d problems; nothing was imported", len(errs))
}

// tableError words a file refused for its size (too many rows, columns or
// cells, or too long a line), or for cells holding control characters, in
// English, with the message the import pages show, as rowErrors words row
// problems. Other errors stay as they are.
func tableError(err error) error {
	var tle *indicators.TableLimitError
	var te *indicators.TextError
	if !errors.As(err, &tle) && !errors.As(err, &te) {
		return err
	}
	bundle, berr := i18n.NewBundle()
	if berr != nil {
		return berr
	}
	l := bundle.Localizer(i18n.EN)
	if te != nil {
		return fmt.Errorf("%s Nothing was imported", l.N(te.MsgID(), te.Count, "Cell", te.Cell))
	}
	return fmt.Errorf("%s Nothing was imported", l.T(tle.MsgID(), "Limit", l.Int(int64(tle.Limit)), "Row", l.Int(int64(tle.Row))))
}
