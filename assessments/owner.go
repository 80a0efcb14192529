package assessments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
)

// A series may be kept under a user account, so that its owner opens it on
// any device without the resume code and compares one assessment with the
// next. It happens only when the signed-in user has given the separate
// consent "assessments" (accounts.Purposes); the caller checks that
// consent, this file only keeps the link. The link gives its owner, and
// nobody else, access: the resume code keeps working for whoever holds it,
// and the link is never passed on to another account.
//
// Withdrawing the consent or deleting the account cuts the link: the
// results stay, anonymous, as the account-deletion page says.

// AccountPurpose is the accounts consent under which series are kept
// under an account (accounts.Purposes).
const AccountPurpose = "assessments"

// KeepUnderAccount keeps the given series under the account userID when,
// and only when, the user consents now to AccountPurpose; without that
// consent nothing changes. It returns how many of them are kept under the
// account afterwards (see LinkOwner for the series that cannot be).
func KeepUnderAccount(ctx context.Context, db bun.IDB, userID int64, seriesIDs ...string) (int, error) {
	if len(seriesIDs) == 0 {
		return 0, nil
	}
	ok, err := accounts.HasConsent(ctx, db, userID, AccountPurpose)
	if err != nil || !ok {
		return 0, err
	}
	n := 0
	for _, id := range seriesIDs {
		kept, err := LinkOwner(ctx, db, id, userID)
		if errors.Is(err, database.ErrNotFound) {
			continue // deleted meanwhile (an abandoned one, purged)
		}
		if err != nil {
			return n, fmt.Errorf("assessments.KeepUnderAccount: %w", err)
		}
		if kept {
			n++
		}
	}
	return n, nil
}

// LinkOwner keeps the series under the account userID, and reports whether
// it is now kept under that account. A series already kept under another
// account stays there (holding the resume code is enough to open a series,
// not to take it into one's own account), and demo series are never kept
// under anyone.
func LinkOwner(ctx context.Context, db bun.IDB, seriesID string, userID int64) (bool, error) {
	if userID <= 0 {
		return false, fmt.Errorf("assessments.LinkOwner: no user")
	}
	_, err := db.NewUpdate().Model((*Series)(nil)).
		Set("owner_id = ?", userID).
		Where("id = ?", seriesID).Where("owner_id IS NULL").Where("demo = ?", false).
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("assessments.LinkOwner: %w", err)
	}
	s, err := GetSeries(ctx, db, seriesID)
	if err != nil {
		return false, fmt.Errorf("assessments.LinkOwner: %w", err)
	}
	return s.OwnerID == userID, nil
}

// UnlinkOwner cuts every series kept under the account userID loose from
// it (the consent was withdrawn, or the account is being deleted) and
// returns how many it cut loose. The responses stay as they are.
func UnlinkOwner(ctx context.Context, db bun.IDB, userID int64) (int64, error) {
	res, err := db.NewUpdate().Model((*Series)(nil)).
		Set("owner_id = NULL").
		Where("owner_id = ?", userID).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("assessments.UnlinkOwner: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// OwnedSeries is a series kept under an account, as its owner's list shows
// it: the latest result and the response still in progress, if any.
type OwnedSeries struct {
	ID        string
	CreatedAt time.Time
	Results   int       // submitted responses
	Latest    *Response // the latest submitted one; nil before the first
	Open      *Response // the one in progress; nil when none is
}

// ListOwned returns at most limit (if positive) series kept under the
// account userID, the most recently active first.
func ListOwned(ctx context.Context, db bun.IDB, userID int64, limit int) ([]OwnedSeries, error) {
	var series []Series
	if err := db.NewSelect().Model(&series).Where("owner_id = ?", userID).
		OrderExpr("created_at DESC, id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("assessments.ListOwned: %w", err)
	}
	if len(series) == 0 {
		return nil, nil
	}
	ids := make([]string, len(series))
	for i := range series {
		ids[i] = series[i].ID
	}
	var rs []Response
	if err := db.NewSelect().Model(&rs).
		Where("series_id IN (?)", bun.List(ids)).OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("assessments.ListOwned: %w", err)
	}
	byID := make(map[string]*OwnedSeries, len(series))
	out := make([]OwnedSeries, len(series))
	for i, s := range series {
		out[i] = OwnedSeries{ID: s.ID, CreatedAt: s.CreatedAt}
		byID[s.ID] = &out[i]
	}
	for i := range rs {
		o := byID[rs[i].SeriesID]
		if rs[i].Submitted() {
			o.Results++
			o.Latest = &rs[i]
		} else {
			o.Open = &rs[i]
		}
	}
	// Most recently active first: a retake started today comes before a
	// series last sent a year ago.
	active := func(o *OwnedSeries) time.Time {
		var t time.Time
		if o.Latest != nil {
			t = o.Latest.SubmittedAt
		}
		if o.Open != nil && o.Open.UpdatedAt.After(t) {
			t = o.Open.UpdatedAt
		}
		return t
	}
	slices.SortStableFunc(out, func(a, b OwnedSeries) int { return active(&b).Compare(active(&a)) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// DataHolder lets account export and deletion reach the series kept under
// an account (it satisfies accounts.DataHolder).
type DataHolder struct{}

// UserExport is what the self-assessment keeps under an account.
type UserExport struct {
	Series []ExportSeries `json:"series"`
}

// ExportSeries is one series kept under the account, oldest response
// first.
type ExportSeries struct {
	StartedAt time.Time        `json:"started_at"`
	Responses []ExportResponse `json:"responses"`
}

// ExportResponse is one response with its answers and, once submitted,
// its result.
type ExportResponse struct {
	ID           string             `json:"id"`
	ModelVersion string             `json:"model_version"`
	Sector       string             `json:"sector,omitempty"`
	Employees    int                `json:"employees"`
	Revenue      string             `json:"revenue_band,omitempty"`
	Capital      string             `json:"capital_band,omitempty"`
	SizeClass    string             `json:"size_class,omitempty"`
	Area         string             `json:"area,omitempty"`
	Answers      Answers            `json:"answers"`
	StartedAt    time.Time          `json:"started_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
	SubmittedAt  time.Time          `json:"submitted_at,omitzero"`
	Score        *float64           `json:"score_percent,omitempty"`
	Level        *int               `json:"level,omitempty"`
	PillarScores map[string]float64 `json:"pillar_scores_percent,omitempty"`
	// StatisticsConsent is the version of the consent to count the result
	// in the province's statistics, empty when not given.
	StatisticsConsent   string    `json:"statistics_consent,omitempty"`
	StatisticsConsentAt time.Time `json:"statistics_consent_at,omitzero"`
}

// ExportUser returns every series kept under the account with its
// responses, answers and results.
func (DataHolder) ExportUser(ctx context.Context, db bun.IDB, userID int64) (any, error) {
	out := UserExport{Series: []ExportSeries{}}
	var series []Series
	if err := db.NewSelect().Model(&series).Where("owner_id = ?", userID).OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("assessments.ExportUser: %w", err)
	}
	for _, s := range series {
		rs, err := SeriesResponses(ctx, db, s.ID)
		if err != nil {
			return nil, fmt.Errorf("assessments.ExportUser: %w", err)
		}
		xs := ExportSeries{StartedAt: s.CreatedAt, Responses: make([]ExportResponse, 0, len(rs))}
		for _, r := range rs {
			xs.Responses = append(xs.Responses, exportResponse(&r))
		}
		out.Series = append(out.Series, xs)
	}
	return out, nil
}

func exportResponse(r *Response) ExportResponse {
	x := ExportResponse{
		ID: r.ID, ModelVersion: r.ModelVersion, Sector: r.Sector, Employees: r.Employees,
		Revenue: r.Revenue, Capital: r.Capital, SizeClass: r.SizeClass, Area: r.Area,
		Answers: r.Answers, StartedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, SubmittedAt: r.SubmittedAt,
		StatisticsConsent: r.ConsentVersion, StatisticsConsentAt: r.ConsentAt,
	}
	if x.Answers == nil {
		x.Answers = Answers{}
	}
	if r.Submitted() {
		score, level := r.Score, r.Level
		x.Score, x.Level, x.PillarScores = &score, &level, r.PillarScores
	}
	return x
}

// ForgetUser cuts the account's series loose: the results stay,
// anonymous, still opened by their resume codes.
func (DataHolder) ForgetUser(ctx context.Context, db bun.IDB, userID int64) error {
	_, err := UnlinkOwner(ctx, db, userID)
	return err
}
