package indicators

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// UnitFileKind is what a file of the statistics office holds.
type UnitFileKind string

// The files ImportUnitFile reads.
const (
	// UnitList is the administrative-unit list as of a day (ParseUnitList).
	UnitList UnitFileKind = "units"
	// SuccessorMapping is the successor mapping of a reorganisation that
	// took effect on a day (ParseMappings).
	SuccessorMapping UnitFileKind = "mapping"
)

// Refusals of ImportUnitFile, inside an *accounts.ValidationError.
var (
	// ErrUnitFileKind: neither a unit list nor a successor mapping.
	ErrUnitFileKind = errors.New("a unit file is a unit list or a successor mapping")
	// ErrBadDay: not a day written YYYY-MM-DD.
	ErrBadDay = errors.New("not a day written YYYY-MM-DD")
	// ErrDayRange: a day outside FirstImportDay to LastImportDay.
	ErrDayRange = errors.New("a day outside the years a unit file can be for")
)

// The days a unit file can be for. Vietnam's provinces have been as the
// lists know them since 1976; a day far in the future is a typing slip,
// and the last day of 9999 means "still valid" (OpenEnd), so a version
// beginning then would never be valid at all.
const (
	FirstImportDay = "1976-01-01"
	LastImportDay  = "2099-12-31"
)

// UnitFile is a file of the statistics office to import.
type UnitFile struct {
	Kind UnitFileKind
	// Day is the day a list is valid from, or the day a mapped
	// reorganisation took effect.
	Day string
	// Complete says a list holds the whole country: units missing from it
	// end on Day. Otherwise only units under the provinces it names do.
	Complete bool
	// Name is the file's name, kept as the source of the units it creates.
	Name string
	Data []byte
	// DryRun imports the file inside a transaction that is rolled back:
	// the result says what the import would change, and nothing does.
	DryRun bool
}

// UnitFileResult is what an import changed: Units for a list, Mappings for
// a mapping.
type UnitFileResult struct {
	Kind     UnitFileKind
	DryRun   bool // nothing was kept: the counts say what would change
	Units    UnitImport
	Mappings MappingImport
}

// Check applies the rules of an import that need no file: a known kind
// and a day. ImportUnitFile applies them; a form asks first, to show them
// beside its own checks.
func (f UnitFile) Check() error {
	var ps refusals
	if f.Kind != UnitList && f.Kind != SuccessorMapping {
		ps.add("kind", ErrUnitFileKind)
	}
	switch {
	case !ValidDay(f.Day):
		ps.add("day", ErrBadDay)
	case f.Day < FirstImportDay || f.Day > LastImportDay:
		ps.add("day", ErrDayRange)
	}
	return ps.err()
}

// errRowProblems rolls back an import whose rows name units that do not
// exist; ImportUnitFile returns the rows' problems instead.
var errRowProblems = errors.New("the file has problems")

// errDryRun rolls back a dry run once it knows what the import would do.
var errDryRun = errors.New("dry run")

// ImportUnitFile imports a unit list or a successor mapping: it parses the
// file, imports it, rebuilds the stored roll-ups on the hierarchy of now
// and audits the import, all in one transaction, so that the admin page and
// `portal units import` do the same. A kind or a day that is wrong is an
// *accounts.ValidationError on "kind" or "day"; a file that is no table
// wraps ErrNotTable (a *TableLimitError when it passes a bound); problems
// with rows come back row by row, and then nothing is written. Importing
// the same file twice changes nothing.
//
// Once the file is read ImportUnitFile sets f.Data to nil: a country's
// list, as large as an upload may be, is then not held a second time
// while its units are written and the roll-ups rebuilt.
func ImportUnitFile(ctx context.Context, db bun.IDB, who accounts.Actor, f *UnitFile, now time.Time) (UnitFileResult, []RowError, error) {
	res := UnitFileResult{Kind: f.Kind}
	if err := f.Check(); err != nil {
		return res, nil, err
	}
	var (
		list []ListUnit
		rows []MappingRow
		errs []RowError
		err  error
	)
	if f.Kind == UnitList {
		list, errs, err = ParseUnitList(ctx, f.Data)
	} else {
		rows, errs, err = ParseMappings(ctx, f.Data)
	}
	f.Data = nil
	if err != nil || len(errs) > 0 {
		return res, errs, err
	}
	source := "import"
	if f.Name != "" {
		source += " " + f.Name
	}
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		// One import at a time, here or on another instance: two lists
		// written at once would both create the same units.
		if err := lockRollups(ctx, tx, false); err != nil {
			return err
		}
		// Whether the stored roll-ups followed the units until now: then
		// only the hierarchies from the file's day on need rebuilding.
		before, err := storedHierarchies(ctx, tx)
		if err != nil {
			return err
		}
		var detail string
		if f.Kind == UnitList {
			u, err := ImportUnits(ctx, tx, list, f.Day, source, f.Complete)
			if err != nil {
				return err
			}
			list = nil // written; the rebuild below needs memory of its own
			res.Units = u
			detail = fmt.Sprintf("created=%d changed=%d unchanged=%d closed=%d", u.Created, u.Changed, u.Unchanged, u.Closed)
		} else {
			m, err := ImportMappings(ctx, tx, rows, f.Day)
			if err != nil {
				return err
			}
			if len(m.Errors) > 0 {
				errs = m.Errors
				return errRowProblems
			}
			res.Mappings = m
			detail = fmt.Sprintf("replaced=%d unchanged=%d", m.Replaced, m.Unchanged)
		}
		if f.DryRun {
			return errDryRun // what would change is known; keep none of it
		}
		// A file that changed nothing leaves the roll-ups as they are: a
		// national mapping imported again rebuilt a million values' worth
		// of them for nothing, past the request's time.
		u, m := res.Units, res.Mappings
		if u.Created+u.Changed+u.Closed+u.Extended+m.Replaced > 0 {
			from := f.Day
			if before == nil {
				from = ""
			}
			if err := RebuildRollupsFrom(ctx, tx, now, from); err != nil {
				return err
			}
		}
		if f.Name != "" {
			detail = f.Name + ": " + detail
		}
		return who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.units_import", ObjectType: "org_units",
			ObjectID: string(f.Kind) + "/" + f.Day, Detail: detail})
	})
	if errors.Is(err, errRowProblems) {
		return UnitFileResult{Kind: f.Kind}, errs, nil
	}
	if errors.Is(err, errDryRun) {
		res.DryRun = true
		return res, nil, nil
	}
	if err != nil {
		return UnitFileResult{Kind: f.Kind}, nil, err
	}
	return res, nil, nil
}
