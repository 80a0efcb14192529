package indicators

import (
	"context"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// CheckValueFile reads a value file (the template's layout, XLSX or CSV)
// and checks every row against the database without writing (PlanImport):
// the dry run of the import page and of `portal indicators import`. A file
// that is no table wraps ErrNotTable (a *TableLimitError when it passes a
// bound); problems with rows are in the plan's Errors.
func CheckValueFile(ctx context.Context, db bun.IDB, data []byte, inScope ScopeFunc, submit bool) (*ImportPlan, error) {
	els, err := EnteredElements(ctx, db)
	if err != nil {
		return nil, err
	}
	rows, perrs, err := ParseValueFile(ctx, data, els)
	if err != nil {
		return nil, err
	}
	return PlanImport(ctx, db, rows, perrs, inScope, submit)
}

// CommitUpload writes the rows of a value file that KeepUpload kept for
// userID after its dry run, all or none, in one transaction that also takes
// them: they are checked again, since reports may have changed since the dry
// run, and written, as drafts or submitted, only when it has no problems.
// With problems nothing is written and the plan's Errors say why; the file
// is taken all the same, so that its owner uploads it again once fixed. It
// returns the file's name and the plan, with the error when a report
// refused its values after all (ErrInvalid, nothing written); a file that
// is not kept for userID is database.ErrNotFound.
func CommitUpload(ctx context.Context, db bun.IDB, who accounts.Actor, userID int64, token string, inScope ScopeFunc, submit bool) (string, *ImportPlan, error) {
	var name string
	var plan *ImportPlan
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockRollups(ctx, tx, true); err != nil {
			return err
		}
		var rows []ImportRow
		var err error
		if name, rows, err = TakeUpload(ctx, tx, userID, token); err != nil {
			return err
		}
		if plan, err = PlanImport(ctx, tx, rows, nil, inScope, submit); err != nil {
			return err
		}
		if len(plan.Errors) > 0 {
			return nil
		}
		return CommitImport(ctx, tx, who, plan, submit)
	})
	return name, plan, err
}
