package indicators

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// Comparison sets a report's values beside the previous period's, as the
// entry form and the review show them.
type Comparison struct {
	// Prev are the previous period's values of the unit that had the code
	// then; none when no unit had it.
	Prev Values
	// Jumps warn of the values that changed against Prev by more than the
	// jump share (JumpShare). They never refuse.
	Jumps []Problem
}

// CompareWithPrevious compares vals, values of u for period, with the
// previous period's report of the unit that had u's code then. That no
// unit had the code then is no error: there is nothing to compare with.
func CompareWithPrevious(ctx context.Context, db bun.IDB, u *Unit, period Period, vals Values) (Comparison, error) {
	prev := period.Prev()
	pu, err := UnitByCode(ctx, db, u.Code, prev.Day())
	if errors.Is(err, database.ErrNotFound) {
		return Comparison{Prev: Values{}}, nil
	}
	if err != nil {
		return Comparison{}, err
	}
	_, pv, err := ReportFor(ctx, db, pu.ID, prev)
	if err != nil {
		return Comparison{}, err
	}
	share, err := JumpShare(ctx, db)
	if err != nil {
		return Comparison{}, err
	}
	return Comparison{Prev: pv, Jumps: Jumps(vals, pv, share)}, nil
}

// Entry is a month of values a commune official saves or submits.
type Entry struct {
	Unit   *Unit
	Period Period
	Values Values
	// Submit asks to submit the values for approval rather than keep a
	// draft.
	Submit bool
	// Confirmed says the official has checked the jumps an earlier attempt
	// warned of.
	Confirmed bool
}

// EntryResult is what SaveEntry did.
type EntryResult struct {
	Report *Report
	// Jumps warn of the values that changed by more than the jump share
	// against the previous month.
	Jumps []Problem
	// Held says a submit was kept as a draft instead, because of jumps the
	// official had not confirmed: they confirm and submit again.
	Held bool
}

// SaveEntry saves a month's values as a draft or submits them, with the
// rule of data entry: a value that changed by more than the jump share
// against the previous month is a warning, not a refusal, but a submit
// with warnings is held as a draft until the official confirms having
// checked them. The comparison, the values, the report's state and their
// audit lines are one transaction. Refusals are those of SaveDraft and
// Submit: a *ProblemsError, ErrNotEditable or ErrNotReporting.
func SaveEntry(ctx context.Context, db bun.IDB, who accounts.Actor, e Entry) (*EntryResult, error) {
	var res EntryResult
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		cmp, err := CompareWithPrevious(ctx, tx, e.Unit, e.Period, e.Values)
		if err != nil {
			return err
		}
		submit := e.Submit && (len(cmp.Jumps) == 0 || e.Confirmed)
		res.Jumps, res.Held = cmp.Jumps, e.Submit && !submit
		res.Report, err = saveValues(ctx, tx, who, e.Unit, e.Period, e.Values, submit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}
