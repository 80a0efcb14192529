package assessments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// ConsentVersion names the wording of the consent to include a result in
// the province's statistics. Changing the wording means a new version (and
// new messages "assessment.consent.<version>.…"); each response keeps the
// version it agreed to.
const ConsentVersion = "stats-v1"

// ErrSubmitted means a submitted response was asked to change: answers are
// editable only until submission.
var ErrSubmitted = errors.New("assessments: response already submitted")

// ErrNotSubmitted means a result was asked of a response still in progress.
var ErrNotSubmitted = errors.New("assessments: response not submitted")

// Series is one business's responses over time, opened by one resume code.
type Series struct {
	bun.BaseModel `bun:"table:assessment_series"`
	ID            string    `bun:"id,pk"`
	ResumeHash    string    `bun:"resume_hash,notnull"`
	Demo          bool      `bun:"demo,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
	// OwnerID is the account the series is kept under (see owner.go), 0
	// for an anonymous series.
	OwnerID int64 `bun:"owner_id,nullzero"`
}

// Response is one sitting of the assessment.
type Response struct {
	bun.BaseModel `bun:"table:assessment_responses"`
	ID            string `bun:"id,pk"`
	SeriesID      string `bun:"series_id,notnull"`
	// PreviousID is the earlier result this retake is compared with.
	PreviousID     string             `bun:"previous_id,nullzero"`
	ModelVersion   string             `bun:"model_version,notnull"`
	Sector         string             `bun:"sector,notnull"`
	Employees      int                `bun:"employees,notnull"`
	Revenue        string             `bun:"revenue_band,notnull"`
	Capital        string             `bun:"capital_band,notnull"`
	SizeClass      string             `bun:"size_class,notnull"`
	Area           string             `bun:"area,notnull"`
	Answers        Answers            `bun:"answers,notnull"`
	ConsentVersion string             `bun:"consent_version,notnull"`
	ConsentAt      time.Time          `bun:"consent_at,nullzero"`
	Score          float64            `bun:"score,notnull"` // overall percentage, once submitted
	Level          int                `bun:"level,notnull"`
	PillarScores   map[string]float64 `bun:"pillar_scores,nullzero"`
	CreatedAt      time.Time          `bun:"created_at,notnull"`
	UpdatedAt      time.Time          `bun:"updated_at,notnull"`
	SubmittedAt    time.Time          `bun:"submitted_at,nullzero"`
	// SourceAddr and SourceNet are keyed hashes of the address and network
	// a result was sent from, keyed by its day (source.go); never the
	// address itself.
	SourceAddr string `bun:"source_addr,notnull"`
	SourceNet  string `bun:"source_net,notnull"`
}

// Submitted reports whether the response was submitted (and is read-only).
func (r *Response) Submitted() bool { return !r.SubmittedAt.IsZero() }

// Consented reports whether the result may join the province's statistics.
func (r *Response) Consented() bool { return r.ConsentVersion != "" }

// Profile returns the business profile the response holds.
func (r *Response) Profile() Profile {
	return Profile{Sector: r.Sector, Employees: r.Employees, Revenue: r.Revenue, Capital: r.Capital, Area: r.Area}
}

// HasProfile reports whether the profile page was saved.
func (r *Response) HasProfile() bool { return r.Sector != "" }

// Start opens a new series with a fresh resume code and its first
// response, under the current model. It returns the response and the code
// in its display form; the code is not stored and cannot be shown again.
func Start(ctx context.Context, db bun.IDB, now time.Time) (*Response, string, error) {
	code := NewResumeCode()
	norm, _ := ParseResumeCode(code)
	now = now.UTC()
	s := &Series{ID: NewID(), ResumeHash: hashCode(norm), CreatedAt: now}
	r := &Response{ID: NewID(), SeriesID: s.ID, ModelVersion: CurrentModel, Answers: Answers{}, CreatedAt: now, UpdatedAt: now}
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(r).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("assessments.Start: %w", err)
	}
	return r, code, nil
}

// Get returns the response with id.
func Get(ctx context.Context, db bun.IDB, id string) (*Response, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("assessments.Get: %w", database.ErrNotFound)
	}
	r := new(Response)
	err := db.NewSelect().Model(r).Where("id = ?", id).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("assessments.Get: %w", database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("assessments.Get: %w", err)
	}
	return r, nil
}

// GetSeries returns the series with id.
func GetSeries(ctx context.Context, db bun.IDB, id string) (*Series, error) {
	s := new(Series)
	err := db.NewSelect().Model(s).Where("id = ?", id).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, fmt.Errorf("assessments.GetSeries: %w", database.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("assessments.GetSeries: %w", err)
	}
	return s, nil
}

// FindByCode returns the series a typed resume code opens and its latest
// response. A malformed code is ErrBadCode; an unknown one ErrNotFound.
func FindByCode(ctx context.Context, db bun.IDB, code string) (*Series, *Response, error) {
	norm, err := ParseResumeCode(code)
	if err != nil {
		return nil, nil, err
	}
	s := new(Series)
	err = db.NewSelect().Model(s).Where("resume_hash = ?", hashCode(norm)).Scan(ctx)
	if database.IsNoRows(err) {
		return nil, nil, fmt.Errorf("assessments.FindByCode: %w", database.ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("assessments.FindByCode: %w", err)
	}
	r := new(Response)
	err = db.NewSelect().Model(r).Where("series_id = ?", s.ID).
		OrderExpr("created_at DESC, id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("assessments.FindByCode: latest: %w", err)
	}
	return s, r, nil
}

// update changes a response still in progress, inside one transaction: it
// loads it (locked on PostgreSQL; SQLite transactions here take the write
// lock at once), lets change edit it and writes it back.
func update(ctx context.Context, db bun.IDB, id string, now time.Time, change func(r *Response) error) (*Response, error) {
	var out *Response
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r := new(Response)
		q := tx.NewSelect().Model(r).Where("id = ?", id)
		if database.IsPostgres(tx) {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			if database.IsNoRows(err) {
				return database.ErrNotFound
			}
			return err
		}
		if r.Submitted() {
			return ErrSubmitted
		}
		if err := change(r); err != nil {
			return err
		}
		r.UpdatedAt = now.UTC()
		_, err := tx.NewUpdate().Model(r).WherePK().Exec(ctx)
		out = r
		return err
	})
	return out, err
}

// SaveProfile stores the profile of a response in progress with the size
// class it falls in. The profile must have passed Catalog.CheckProfile.
func SaveProfile(ctx context.Context, db bun.IDB, id string, p Profile, sizeClass string, now time.Time) error {
	_, err := update(ctx, db, id, now, func(r *Response) error {
		r.Sector, r.Employees, r.Revenue, r.Capital, r.Area = p.Sector, p.Employees, p.Revenue, p.Capital, p.Area
		r.SizeClass = sizeClass
		return nil
	})
	if err != nil {
		return fmt.Errorf("assessments.SaveProfile: %w", err)
	}
	return nil
}

// SaveAnswers replaces the answers of the given items: items in answers get
// their new answer, the other items of page lose theirs (the visitor cleared
// them). Answers of other pages stay as they are. It returns the response as
// saved.
func SaveAnswers(ctx context.Context, db bun.IDB, id string, page []Item, answers Answers, now time.Time) (*Response, error) {
	r, err := update(ctx, db, id, now, func(r *Response) error {
		if r.Answers == nil {
			r.Answers = Answers{}
		}
		for i := range page {
			delete(r.Answers, page[i].ID)
		}
		for k, a := range answers {
			r.Answers[k] = a
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assessments.SaveAnswers: %w", err)
	}
	return r, nil
}

// Submit scores a response in progress under its own model version and
// freezes it, with the visitor's consent choice. A response without a
// profile or with missing answers is refused with an *IncompleteError.
func Submit(ctx context.Context, db bun.IDB, c *Catalog, id string, consent bool, now time.Time) (*Response, error) {
	r, err := update(ctx, db, id, now, func(r *Response) error {
		m, ok := c.Model(r.ModelVersion)
		if !ok {
			return fmt.Errorf("unknown model %q", r.ModelVersion)
		}
		if !r.HasProfile() {
			return &IncompleteError{}
		}
		if err := m.record(r); err != nil {
			return err
		}
		r.SubmittedAt = now.UTC()
		setConsent(r, consent, now)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assessments.Submit: %w", err)
	}
	return r, nil
}

// record scores r's answers and keeps the result on it, for aggregates
// that must not score every response again.
func (m *Model) record(r *Response) error {
	res, err := m.Score(r.Answers)
	if err != nil {
		return err
	}
	r.Score, r.Level = res.Percent, res.Level
	r.PillarScores = make(map[string]float64, len(res.Pillars))
	for _, p := range res.Pillars {
		r.PillarScores[p.ID] = p.Percent
	}
	return nil
}

func setConsent(r *Response, consent bool, now time.Time) {
	if consent {
		r.ConsentVersion, r.ConsentAt = ConsentVersion, now.UTC()
	} else {
		r.ConsentVersion, r.ConsentAt = "", time.Time{}
	}
}

// SetConsent gives or withdraws, after submission, the consent to include
// the result in the province's statistics. Withdrawing takes effect at once:
// aggregates and benchmarks are computed from the stored consent on every
// request.
func SetConsent(ctx context.Context, db bun.IDB, id string, consent bool, now time.Time) error {
	r, err := Get(ctx, db, id)
	if err != nil {
		return fmt.Errorf("assessments.SetConsent: %w", err)
	}
	if !r.Submitted() {
		return fmt.Errorf("assessments.SetConsent: %w", ErrNotSubmitted)
	}
	setConsent(r, consent, now)
	if _, err := db.NewUpdate().Model(r).Column("consent_version", "consent_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("assessments.SetConsent: %w", err)
	}
	return nil
}

// Retake starts a new response in the series of a submitted one, under the
// current model, with the profile and the answers (those the current model
// still asks) filled in from it, and remembers it as the result to compare
// with. When the series already has a response in progress, that one is
// returned instead of a second.
func Retake(ctx context.Context, db bun.IDB, c *Catalog, prevID string, now time.Time) (*Response, error) {
	var out *Response
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		prev, err := Get(ctx, tx, prevID)
		if err != nil {
			return err
		}
		if !prev.Submitted() {
			return ErrNotSubmitted
		}
		open := new(Response)
		err = tx.NewSelect().Model(open).Where("series_id = ?", prev.SeriesID).Where("submitted_at IS NULL").
			OrderExpr("created_at DESC").Limit(1).Scan(ctx)
		if err == nil {
			out = open
			return nil
		}
		if !database.IsNoRows(err) {
			return err
		}
		m := c.Current()
		answers := Answers{}
		for id, a := range prev.Answers {
			if _, ok := m.Item(id); ok {
				answers[id] = a
			}
		}
		now = now.UTC()
		r := &Response{
			ID: NewID(), SeriesID: prev.SeriesID, PreviousID: prev.ID, ModelVersion: m.Version,
			Sector: prev.Sector, Employees: prev.Employees, Revenue: prev.Revenue, Capital: prev.Capital,
			Area: prev.Area, SizeClass: prev.SizeClass, Answers: answers, CreatedAt: now, UpdatedAt: now,
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return err
		}
		out = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assessments.Retake: %w", err)
	}
	return out, nil
}

// SeriesResponses lists the responses of a series, oldest first.
func SeriesResponses(ctx context.Context, db bun.IDB, seriesID string) ([]Response, error) {
	var rs []Response
	if err := db.NewSelect().Model(&rs).Where("series_id = ?", seriesID).OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("assessments.SeriesResponses: %w", err)
	}
	return rs, nil
}

// PurgeAbandoned deletes responses never submitted and untouched since
// before, and series left empty: data kept no longer than needed. It
// returns how many responses it deleted.
func PurgeAbandoned(ctx context.Context, db bun.IDB, before time.Time) (int64, error) {
	var n int64
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*Response)(nil)).
			Where("submitted_at IS NULL").Where("updated_at < ?", before.UTC()).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.NewDelete().Model((*Series)(nil)).
			Where("NOT EXISTS (SELECT 1 FROM assessment_responses r WHERE r.series_id = series.id)").Exec(ctx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("assessments.PurgeAbandoned: %w", err)
	}
	return n, nil
}
