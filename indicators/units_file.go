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

// ParsedUnitFile is a unit file checked and read: its rows, without the
// file. A job keeps it, as JSON, until a worker imports it.
type ParsedUnitFile struct {
	Kind     UnitFileKind
	Day      string
	Complete bool
	Name     string
	Units    []ListUnit   `json:",omitempty"`
	Mappings []MappingRow `json:",omitempty"`
}

// ParseUnitFile applies Check and reads the file's rows; problems with
// rows come back row by row. It sets f.Data to nil once read: a country's
// list, as large as an upload may be, is then not held a second time.
func ParseUnitFile(ctx context.Context, f *UnitFile) (*ParsedUnitFile, []RowError, error) {
	if err := f.Check(); err != nil {
		return nil, nil, err
	}
	p := &ParsedUnitFile{Kind: f.Kind, Day: f.Day, Complete: f.Complete, Name: f.Name}
	var (
		errs []RowError
		err  error
	)
	if f.Kind == UnitList {
		p.Units, errs, err = ParseUnitList(ctx, f.Data)
	} else {
		p.Mappings, errs, err = ParseMappings(ctx, f.Data)
	}
	f.Data = nil
	if err != nil || len(errs) > 0 {
		return nil, errs, err
	}
	return p, nil, nil
}

// ImportUnitFile imports a unit list or a successor mapping: it parses the
// file, imports it, rebuilds the stored roll-ups on the hierarchy of now
// and audits the import, all in one transaction, so that `portal units
// import` and the admin page's dry run do the same as the page's jobs
// (RunUnitJob). A kind or a day that is wrong is an
// *accounts.ValidationError on "kind" or "day"; a file that is no table
// wraps ErrNotTable (a *TableLimitError when it passes a bound); problems
// with rows come back row by row, and then nothing is written. Importing
// the same file twice changes nothing.
//
// Once the file is read ImportUnitFile sets f.Data to nil (ParseUnitFile).
func ImportUnitFile(ctx context.Context, db bun.IDB, who accounts.Actor, f *UnitFile, now time.Time) (UnitFileResult, []RowError, error) {
	p, errs, err := ParseUnitFile(ctx, f)
	if err != nil || len(errs) > 0 {
		return UnitFileResult{Kind: f.Kind}, errs, err
	}
	var res UnitFileResult
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		res, errs, err = applyUnitFile(ctx, tx, who, p, f.DryRun, now, nil)
		return err
	})
	return unitFileOutcome(p.Kind, res, errs, err)
}

// unitFileOutcome turns the rollbacks of applyUnitFile into its results.
func unitFileOutcome(kind UnitFileKind, res UnitFileResult, errs []RowError, err error) (UnitFileResult, []RowError, error) {
	if errors.Is(err, errRowProblems) {
		return UnitFileResult{Kind: kind}, errs, nil
	}
	if errors.Is(err, errDryRun) {
		res.DryRun = true
		return res, nil, nil
	}
	if err != nil {
		return UnitFileResult{Kind: kind}, nil, err
	}
	return res, nil, nil
}

// Progress is told what an import is doing: a message ID of the stage and,
// for a stage done in steps, how many of total are done.
type Progress func(msgID string, done, total int)

// The stages of an import, as message IDs.
const (
	ProgressUnits    = "indicators.admin.units.job.progress.units"
	ProgressMappings = "indicators.admin.units.job.progress.mappings"
	ProgressRollups  = "indicators.admin.units.job.progress.rollups"
)

// applyUnitFile is the import itself, in tx: it takes the import lock,
// writes the units or mappings, rebuilds the roll-ups when anything
// changed and audits. Row problems found against the stored units return
// errRowProblems, a dry run errDryRun, so that tx is rolled back.
// progress, when not nil, hears of each stage.
func applyUnitFile(ctx context.Context, tx bun.Tx, who accounts.Actor, p *ParsedUnitFile, dryRun bool, now time.Time, progress Progress) (UnitFileResult, []RowError, error) {
	res := UnitFileResult{Kind: p.Kind}
	tell := func(msgID string, done, total int) {
		if progress != nil {
			progress(msgID, done, total)
		}
	}
	source := "import"
	if p.Name != "" {
		source += " " + p.Name
	}
	// One import at a time, here or on another instance: two lists
	// written at once would both create the same units.
	if err := lockRollups(ctx, tx, false); err != nil {
		return res, nil, err
	}
	// Whether the stored roll-ups followed the units until now: then only
	// the hierarchies from the file's day on need rebuilding.
	before, err := storedHierarchies(ctx, tx)
	if err != nil {
		return res, nil, err
	}
	var detail string
	if p.Kind == UnitList {
		tell(ProgressUnits, 0, len(p.Units))
		u, err := ImportUnits(ctx, tx, p.Units, p.Day, source, p.Complete)
		if ended := (*UnitsHaveReportsError)(nil); errors.As(err, &ended) {
			return res, ended.Rows, errRowProblems
		}
		if err != nil {
			return res, nil, err
		}
		p.Units = nil // written; the rebuild below needs memory of its own
		res.Units = u
		detail = fmt.Sprintf("created=%d changed=%d unchanged=%d closed=%d", u.Created, u.Changed, u.Unchanged, u.Closed)
	} else {
		tell(ProgressMappings, 0, len(p.Mappings))
		m, err := ImportMappings(ctx, tx, p.Mappings, p.Day)
		if err != nil {
			return res, nil, err
		}
		if len(m.Errors) > 0 {
			return res, m.Errors, errRowProblems
		}
		res.Mappings = m
		detail = fmt.Sprintf("replaced=%d unchanged=%d", m.Replaced, m.Unchanged)
	}
	if dryRun {
		return res, nil, errDryRun // what would change is known; keep none of it
	}
	// A file that changed nothing leaves the roll-ups as they are: a
	// national mapping imported again rebuilt a million values' worth
	// of them for nothing, past the request's time.
	u, m := res.Units, res.Mappings
	if u.Created+u.Changed+u.Closed+u.Extended+m.Replaced > 0 {
		from := p.Day
		if before == nil {
			from = ""
		}
		if err := rebuildRollups(ctx, tx, now, from, func(done, total int) { tell(ProgressRollups, done, total) }); err != nil {
			return res, nil, err
		}
	}
	if p.Name != "" {
		detail = p.Name + ": " + detail
	}
	return res, nil, who.Record(ctx, tx, accounts.AuditEntry{Action: "indicators.units_import", ObjectType: "org_units",
		ObjectID: string(p.Kind) + "/" + p.Day, Detail: detail})
}
