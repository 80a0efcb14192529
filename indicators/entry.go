package indicators

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// Comparison sets a report's values beside the previous period's, as the
// entry form and the review show them.
type Comparison struct {
	// Prev are the previous period's values of the unit, or, when the
	// unit came out of a reorganisation, what its predecessors reported
	// then as the roll-ups carry it (full merges summed, shares
	// apportioned; submitted and approved reports only). None when
	// nothing was reported.
	Prev Values
	// NotComparable names the elements whose previous value is unknown
	// because a predecessor was split without a stated share: there is
	// no base to warn against.
	NotComparable map[int64]bool
	// Jumps warn of the values that changed against Prev by more than the
	// jump share (JumpShare). They never refuse.
	Jumps []Problem
}

// CompareWithPrevious compares vals, values of u for period, with the
// previous period's. When u is the same unit version then and has taken
// in no other unit, that is its own report. Otherwise u came out of a
// reorganisation (a merge into a new or a reused code, a unit merged into
// it): its base is what its predecessors reported, carried onto it as the
// roll-ups carry figures. A code alone never names the predecessor.
func CompareWithPrevious(ctx context.Context, db bun.IDB, u *Unit, period Period, vals Values) (Comparison, error) {
	prev := period.Prev()
	cmp := Comparison{Prev: Values{}, NotComparable: map[int64]bool{}}
	pu, err := UnitByCode(ctx, db, u.Code, prev.Day())
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		return Comparison{}, err
	}
	merged, err := db.NewSelect().Model((*Successor)(nil)).Where("new_unit_id = ?", u.ID).Count(ctx)
	if err != nil {
		return Comparison{}, fmt.Errorf("indicators.CompareWithPrevious: %w", err)
	}
	if pu != nil && pu.ID == u.ID && merged == 0 {
		if _, cmp.Prev, err = ReportFor(ctx, db, pu.ID, prev); err != nil {
			return Comparison{}, err
		}
	} else {
		g, err := loadGraph(ctx, db, period.Day())
		if err != nil {
			return Comparison{}, err
		}
		c, err := compute(ctx, db, g, []int64{u.ID}, []string{prev.String()})
		if err != nil {
			return Comparison{}, err
		}
		for e := range c.elems {
			cell := c.Cell(u.ID, prev.String(), e)
			switch {
			case cell.CountedNC > 0:
				cmp.NotComparable[e] = true
			case cell.Counted != 0:
				cmp.Prev[e] = int64(math.Round(cell.Counted))
			}
		}
	}
	share, err := JumpShare(ctx, db)
	if err != nil {
		return Comparison{}, err
	}
	base := Values{}
	for e, v := range cmp.Prev {
		if !cmp.NotComparable[e] {
			base[e] = v
		}
	}
	cmp.Jumps = Jumps(vals, base, share)
	return cmp, nil
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
