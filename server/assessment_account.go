package server

import (
	"context"
	"net/http"
	"time"

	"github.com/uptrace/bun"

	"digiportal/assessments"
)

// The self-assessment and user accounts. A signed-in user who consents to
// it (accounts purpose "assessments") keeps the series they start or
// resume under their account (assessmentKeep, in assessment_access.go) and
// finds them on the account page from any device; export and deletion of
// the account reach them (assessments.DataHolder); withdrawing the consent
// cuts them loose.

// maxAccountSeries bounds the account page's list (retakes stay in their
// series, so a business rarely has more than one or two).
const maxAccountSeries = 20

// assessmentAccountRow is a series kept under the account, as the account
// page lists it.
type assessmentAccountRow struct {
	Date      time.Time // the latest result's sending, or else the start of the one in progress
	Submitted bool      // there is a result
	Level     int
	LevelName string
	Result    string // path of the latest result
	Continue  string // path of the response in progress, "" when none
}

// assessmentAccountRows lists the series kept under the account userID for
// the account page, the most recently active first.
func (s *assessmentsPart) assessmentAccountRows(r *http.Request, p Page, userID int64) ([]assessmentAccountRow, error) {
	list, err := assessments.ListOwned(r.Context(), s.db, userID, maxAccountSeries)
	if err != nil {
		return nil, err
	}
	lang := string(p.Lang)
	var rows []assessmentAccountRow
	for _, o := range list {
		var row assessmentAccountRow
		if l := o.Latest; l != nil {
			row.Date, row.Submitted, row.Level = l.SubmittedAt, true, l.Level
			row.Result = assessmentURL(lang, l.ID, "result")
			if m, ok := s.cat.Model(l.ModelVersion); ok {
				row.LevelName = m.Level(l.Level).Name.In(p.Lang)
			}
		}
		if op := o.Open; op != nil {
			if o.Latest == nil {
				row.Date = op.CreatedAt
			}
			row.Continue = assessmentURL(lang, op.ID, s.assessmentFirstOpenStep(op))
		}
		if row.Result == "" && row.Continue == "" {
			continue // nothing left in it to open
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// assessmentKeepSession runs in the sign-in transaction, and when the
// user grants the consent: the series this browser holds (started here or
// opened with their code) are kept under the account, if the user consents
// to that.
func (s *assessmentsPart) assessmentKeepSession(ctx context.Context, tx bun.IDB, userID int64) error {
	var ids []string
	for _, o := range s.assessmentOwned(ctx) {
		ids = append(ids, o.ID)
	}
	_, err := assessments.KeepUnderAccount(ctx, tx, userID, ids...)
	return err
}

// assessmentsConsentChanged follows a change of one of the user's consents
// on the account page, in the same transaction: granting the consent to
// keep self-assessments keeps those this browser holds; withdrawing it
// cuts every series loose from the account (the results stay, anonymous,
// opened by their resume codes). Other purposes are not the
// self-assessment's business.
func (s *assessmentsPart) assessmentsConsentChanged(ctx context.Context, tx bun.IDB, userID int64, purpose string, granted bool) error {
	if purpose != assessments.AccountPurpose {
		return nil
	}
	if granted {
		return s.assessmentKeepSession(ctx, tx, userID)
	}
	_, err := assessments.UnlinkOwner(ctx, tx, userID)
	return err
}
